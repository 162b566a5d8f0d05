// @ts-check
/**
 * The lead-time ladder's layout and the constraint's queue: pure functions of
 * the server's metrics and where the steps are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { BELOW_STEPS, LEAD_IN, RUNG_GAP, ladderLayout, queueBefore } from '../js/model/ladder.js';

/** @param {string} id @param {number} x @param {object} [more] */
const step = (id, x, more = {}) => ({ id, kind: /** @type {const} */ ('step'), x, y: 100, w: 100, h: 50, ...more });
/** @param {any[]} list */
const board = (list) => new Map(list.map((el) => [el.id, el]));
/** @param {string} id @param {number|null} wait @param {number|null} process */
const row = (id, wait, process) => ({ id, wait_minutes: wait, process_minutes: process });

test('no steps on the path means no ladder', () => {
  assert.equal(ladderLayout(null, board([])), null);
  assert.equal(ladderLayout({ path: [], steps: [] }, board([step('a', 0)])), null);
});

test('each step gets its wait on the upper rung before it and its work on the lower rung under it', () => {
  const elements = board([step('a', 0), step('b', 200)]);
  const metrics = { steps: [row('a', 60, 30), row('b', 120, null)], constraint: { id: 'b' } };
  const ladder = /** @type {import('../js/model/ladder.js').Ladder} */ (ladderLayout(metrics, elements));
  assert.equal(ladder.aligned, true);
  assert.equal(ladder.top, 150 + BELOW_STEPS);
  assert.equal(ladder.bottom, ladder.top + RUNG_GAP);
  assert.deepEqual(ladder.segments.map((s) => [s.kind, s.id, s.x0, s.x1, s.minutes, s.constraint]), [
    ['wait', 'a', -LEAD_IN, 0, 60, false],
    ['process', 'a', 0, 100, 30, false],
    ['wait', 'b', 100, 200, 120, true],
    ['process', 'b', 200, 300, null, false],
  ]);
  assert.equal(ladder.x1, 300);
});

test('the ladder follows the path, not the x order, and lays out evenly when the path doubles back', () => {
  const elements = board([step('a', 400), step('b', 0)]);
  const ladder = ladderLayout({ steps: [row('a', 1, 1), row('b', 1, 1)] }, elements);
  assert.ok(ladder);
  assert.equal(ladder.aligned, false);
  assert.deepEqual(ladder.segments.filter((s) => s.kind === 'process').map((s) => [s.id, s.x0]), [['a', 0], ['b', 172]]);
});

test('the example walk\'s actual times ride along each segment', () => {
  const elements = board([step('a', 0)]);
  const ladder = ladderLayout({ steps: [{ ...row('a', 60, 30), actual_wait_minutes: 90, actual_process_minutes: null }] }, elements);
  assert.deepEqual(ladder?.segments.map((s) => s.actual), [90, null]);
});

test('a step deleted here but still in the last metrics is left out, not drawn at 0,0', () => {
  const ladder = ladderLayout({ steps: [row('gone', 1, 1), row('a', 1, 1)] }, board([step('a', 0)]));
  assert.deepEqual(ladder?.segments.map((s) => s.id), ['a', 'a']);
});

test('the queue before a step is the inventory an arrow feeds into it', () => {
  const inv = { id: 'i', kind: 'inventory', x: 500, y: 500, w: 72, h: 64 };
  const other = { id: 'j', kind: 'inventory', x: 130, y: 100, w: 40, h: 40 };
  const elements = board([step('a', 0), step('b', 200), inv, other,
    { id: 'c', kind: 'connector', source: 'i', target: 'b', connector: 'flow' }]);
  assert.deepEqual(queueBefore(/** @type {any} */ (elements.get('b')), elements).map((e) => e.id), ['i']);
});

test('without such an arrow, the queue is the inventory in the gap to the step\'s left', () => {
  const gap = { id: 'g', kind: 'inventory', x: 130, y: 110, w: 40, h: 40 };
  const far = { id: 'f', kind: 'inventory', x: 130, y: 600, w: 40, h: 40 };
  const beyond = { id: 'x', kind: 'inventory', x: -90, y: 110, w: 40, h: 40 };
  const elements = board([step('a', 0), step('b', 200), gap, far, beyond]);
  assert.deepEqual(queueBefore(/** @type {any} */ (elements.get('b')), elements).map((e) => e.id), ['g']);
});
