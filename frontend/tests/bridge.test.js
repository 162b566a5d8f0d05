// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { bridges } from '../js/model/bridge.js';
import { cascade } from '../js/model/board.js';

/** @param {string} id */
const step = (id) => ({ id, kind: 'step' });
/** @param {string} source @param {string} target @param {string} [connector] */
const arrow = (source, target, connector = 'flow') => ({ id: `${source}-${target}`, kind: 'connector', source, target, connector });

/** @param {object[]} list */
const board = (list) => new Map(list.map((el) => [/** @type {any} */ (el).id, /** @type {any} */ (el)]));

/** What a delete of `ids` removes, as the editor works it out. @param {Map<string, any>} elements @param {string[]} ids */
const removed = (elements, ids) => new Set(ids.flatMap((id) => cascade(elements, id)));

test('deleting a step in the middle of the flow joins the steps on either side', () => {
  const elements = board([step('a'), step('b'), step('c'), arrow('a', 'b'), arrow('b', 'c')]);
  assert.deepEqual(bridges(elements, removed(elements, ['b'])), [{ source: 'a', target: 'c', through: ['b'] }]);
});

test('a run of deleted steps and queues is bridged once, from each kept box to each it led to', () => {
  const elements = board([
    step('a'), step('b'), { id: 'q', kind: 'inventory' }, step('c'), step('d'), step('e'),
    arrow('a', 'b'), arrow('b', 'q'), arrow('q', 'c'), arrow('c', 'd'), arrow('c', 'e'),
  ]);
  assert.deepEqual(bridges(elements, removed(elements, ['b', 'q', 'c'])), [
    { source: 'a', target: 'd', through: ['b', 'c', 'q'] }, { source: 'a', target: 'e', through: ['b', 'c', 'q'] },
  ]);
});

test('each bridge stands only for the deleted boxes on its own way', () => {
  // a -> b -> c and a -> d -> e, b and d deleted: were b's delete refused (someone else's
  // comment on it), a -> e must still be drawn, so it may name d alone.
  const elements = board([step('a'), step('b'), step('c'), step('d'), step('e'),
    arrow('a', 'b'), arrow('b', 'c'), arrow('a', 'd'), arrow('d', 'e')]);
  assert.deepEqual(bridges(elements, removed(elements, ['b', 'd'])), [
    { source: 'a', target: 'c', through: ['b'] }, { source: 'a', target: 'e', through: ['d'] },
  ]);
});

test('no bridge where the flow still leads there without the deleted boxes', () => {
  // a -> b -> c -> d beside a -> e -> d: deleting e, a still reaches d through b and c,
  // and an arrow a -> d drawn straight behind them would be a bypass nobody sees.
  const elements = board([step('a'), step('b'), step('c'), step('d'), step('e'),
    arrow('a', 'b'), arrow('b', 'c'), arrow('c', 'd'), arrow('a', 'e'), arrow('e', 'd')]);
  assert.deepEqual(bridges(elements, removed(elements, ['e'])), []);
});

test('no bridge where an arrow already joins them, to a box itself, or for rework and information arrows', () => {
  const joined = board([step('a'), step('b'), step('c'), arrow('a', 'b'), arrow('b', 'c'), arrow('a', 'c')]);
  assert.deepEqual(bridges(joined, removed(joined, ['b'])), []);
  const loop = board([step('a'), step('b'), arrow('a', 'b'), arrow('b', 'a')]);
  assert.deepEqual(bridges(loop, removed(loop, ['b'])), []);
  const others = board([step('a'), step('b'), step('c'), arrow('a', 'b', 'info'), arrow('b', 'c', 'rework')]);
  assert.deepEqual(bridges(others, removed(others, ['b'])), []);
});

test('deleting the first or the last step, or an arrow, bridges nothing', () => {
  const elements = board([step('a'), step('b'), step('c'), arrow('a', 'b'), arrow('b', 'c')]);
  assert.deepEqual(bridges(elements, removed(elements, ['a'])), []);
  assert.deepEqual(bridges(elements, removed(elements, ['c'])), []);
  assert.deepEqual(bridges(elements, removed(elements, ['a-b'])), []);
});
