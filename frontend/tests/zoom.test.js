// @ts-check
// Wheel zoom: a mouse wheel's notch zooms one button step, a pinch zooms gently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nudge, wheelZoomFactor } from '../js/canvas/viewport.js';

const STEP = 1.25; // the zoom buttons' step

test('one notch of a mouse wheel zooms one button step, in and out', () => {
  assert.equal(wheelZoomFactor(-100), STEP);
  assert.equal(wheelZoomFactor(100), 1 / STEP);
  // Browsers size a notch differently (Chrome 100 px, others 120 or 3 lines of 16 px).
  assert.equal(wheelZoomFactor(-120), STEP);
  assert.equal(wheelZoomFactor(48), 1 / STEP);
});

test('a fast spin of several notches zooms several steps, never a jump', () => {
  assert.equal(wheelZoomFactor(-300), STEP ** 3);
  assert.ok(wheelZoomFactor(-100) < 2, 'a notch never doubles the zoom');
});

test('a pinch arrives in small deltas and zooms a little each', () => {
  const factor = wheelZoomFactor(-4);
  assert.ok(factor > 1 && factor < 1.05, String(factor));
  assert.ok(wheelZoomFactor(4) < 1);
  assert.equal(wheelZoomFactor(0), 1);
});

test('revealing pans by the least that brings a span into the free part, not to its middle', () => {
  assert.equal(nudge(200, 300, 100, 500), 0); // already in
  assert.equal(nudge(450, 560, 100, 500), -60); // just past the end: in by its overshoot
  assert.equal(nudge(40, 140, 100, 500), 60); // just before the start
  assert.equal(nudge(450, 1000, 100, 500), -350); // longer than the room: its start shows
});
