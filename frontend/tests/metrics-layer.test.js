// @ts-check
// The ladder's drawing is kept while only its place changes (canvas/metrics-layer.js):
// a step of a wrapped map dragged left of the others moves the whole ladder, and that
// must be a new translate, not hundreds of labels drawn again each frame (issue 20).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ladderShape } from '../js/canvas/metrics-layer.js';
import { ladderLayout } from '../js/model/ladder.js';

/** Two rows of steps: the path wraps, so the ladder lays them out in even slots from the leftmost. */
function wrapped(firstX = 0) {
  const steps = [
    { id: 'a', kind: 'step', x: firstX, y: 0, w: 160, h: 96 },
    { id: 'b', kind: 'step', x: 320, y: 0, w: 160, h: 96 },
    { id: 'c', kind: 'step', x: 0, y: 400, w: 160, h: 96 },
    { id: 'd', kind: 'step', x: 320, y: 400, w: 160, h: 96 },
  ];
  const elements = new Map(steps.map((s) => [s.id, /** @type {any} */ (s)]));
  const metrics = { steps: steps.map((s) => ({ id: s.id, wait_minutes: 60, process_minutes: 30 })), constraint: null };
  return /** @type {import('../js/model/ladder.js').Ladder} */ (ladderLayout(metrics, elements));
}

test('a ladder moved as a whole draws the same from its own start', () => {
  const still = wrapped(0);
  const moved = wrapped(-40); // the leftmost step dragged left: every slot shifts
  assert.equal(moved.aligned, false);
  assert.equal(moved.x0, still.x0 - 40);
  assert.deepEqual(ladderShape(moved), ladderShape(still));
  const shape = ladderShape(still);
  assert.equal(shape.x0, 0);
  assert.equal(shape.top, 0);
  assert.equal(shape.bottom, still.bottom - still.top);
  assert.equal(shape.segments[0].x0, 0);
  assert.equal(shape.x1, still.x1 - still.x0);
});

test('a ladder whose figures changed draws anew', () => {
  const still = wrapped(0);
  const other = { ...still, segments: still.segments.map((s, i) => (i === 1 ? { ...s, minutes: 90 } : s)) };
  assert.notDeepEqual(ladderShape(other), ladderShape(still));
});
