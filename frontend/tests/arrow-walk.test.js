// @ts-check
/** Reaching arrows from the keyboard: A walks a box's arrows, out of it first, then in. */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { arrowsOf, nextArrow, walkAnchor } from '../js/model/arrow-walk.js';

/** @param {string} id @param {number} x @param {number} [y] */
const step = (id, x, y = 100) => ({ id, kind: /** @type {const} */ ('step'), x, y, w: 100, h: 50 });
/** @param {string} id @param {string} source @param {string} target */
const arrow = (id, source, target) => ({ id, kind: /** @type {const} */ ('connector'), source, target, x: 0, y: 0, w: 0, h: 0 });
/** @param {any[]} list */
const board = (list) => new Map(list.map((el) => [el.id, el]));

// a -> b -> c, b -> d (below c), e -> b (rework, from the right), and x -> y elsewhere.
const elements = board([
  step('a', 0), step('b', 300), step('c', 600), step('d', 600, 300), step('e', 900),
  step('x', 0, 900), step('y', 300, 900),
  arrow('ab', 'a', 'b'), arrow('bd', 'b', 'd'), arrow('bc', 'b', 'c'), arrow('eb', 'e', 'b'), arrow('xy', 'x', 'y'),
  arrow('gone', 'b', 'nowhere'),
]);

test("a box's arrows: out of it first, then into it, each by where the other end is", () => {
  assert.deepEqual(arrowsOf(elements, 'b').map((el) => el.id), ['bc', 'bd', 'ab', 'eb']);
  assert.deepEqual(arrowsOf(elements, 'a').map((el) => el.id), ['ab']);
  assert.deepEqual(arrowsOf(elements, 'c').map((el) => el.id), ['bc']);
});

test('an arrow whose other end is gone is skipped (it is not drawn)', () => {
  assert.ok(!arrowsOf(elements, 'b').some((el) => el.id === 'gone'));
});

test('A goes round the arrows of the box it started from, and from the last to the first', () => {
  const seen = [];
  let current = null;
  for (let i = 0; i < 5; i += 1) {
    current = nextArrow(elements, 'b', current)?.id ?? null;
    seen.push(current);
  }
  assert.deepEqual(seen, ['bc', 'bd', 'ab', 'eb', 'bc']);
  assert.equal(nextArrow(board([step('lone', 0)]), 'lone', null), null, 'a box without arrows has none to go to');
});

test("the walk keeps to the box it started from, even on an arrow into it; else the arrow's source", () => {
  const ab = /** @type {any} */ (elements.get('ab'));
  assert.equal(walkAnchor(ab, 'b'), 'b', 'ab comes into b, where the walk started');
  assert.equal(walkAnchor(ab, 'c'), 'a', 'started elsewhere: the arrow leaves a');
  assert.equal(walkAnchor(ab, null), 'a');
  assert.equal(walkAnchor(/** @type {any} */ (elements.get('c')), 'b'), 'c', 'a box selected is where a walk starts');
});
