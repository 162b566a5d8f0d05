// @ts-check
// What a peer drags goes to the SVG over the map while they drag, with the arrows that
// follow it, and goes back to its own place in the map's stacking order (canvas/live-layer.js, issue 20).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liftedIds, placeBefore } from '../js/canvas/live-layer.js';

/** @param {any[]} list */
const board = (list) => new Map(list.map((el) => [el.id, /** @type {any} */ (el)]));
const elements = board([
  { id: 'a', kind: 'step' }, { id: 'ab', kind: 'connector', source: 'a', target: 'b' },
  { id: 'b', kind: 'step' }, { id: 'bc', kind: 'connector', source: 'b', target: 'c' },
  { id: 'c', kind: 'step' }, { id: 'n', kind: 'note' },
]);

test('a dragged box goes up with every arrow that has an end on it', () => {
  assert.deepEqual([...liftedIds(['b'], elements)].sort(), ['ab', 'b', 'bc']);
  assert.deepEqual([...liftedIds(['n'], elements)], ['n']);
});

test('nothing goes up for ids that are gone or are arrows themselves', () => {
  assert.equal(liftedIds(['gone', 'ab'], elements).size, 0);
  assert.equal(liftedIds([], elements).size, 0);
});

test('a node goes back before the next element of its own layer that is in the map', () => {
  const all = (/** @type {string} */ _id) => true;
  assert.equal(placeBefore('b', elements, all), 'c');
  assert.equal(placeBefore('ab', elements, all), 'bc'); // arrows among arrows
  assert.equal(placeBefore('bc', elements, all), null); // the last arrow: at the end
  assert.equal(placeBefore('a', elements, (id) => id !== 'b' && id !== 'c'), 'n'); // skips what is still over the map
  assert.equal(placeBefore('gone', elements, all), null);
});
