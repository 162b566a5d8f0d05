// @ts-check
// Wheel zoom: a mouse wheel's notch zooms one button step, a pinch zooms gently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nudge, revealShift, wheelZoomFactor } from '../js/canvas/viewport.js';

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

// 1280 x 720: the Flow panel covers the left 330 px, the top bar the top 56 (panelInsets).
const FREE = { x0: 330, y0: 56, x1: 1280, y1: 720 };

test('a reveal that has to pan brings the map\'s title over the step along, out from under the Flow panel', () => {
  // A step near the map's top left, half under the Flow panel; the title over it starts further left.
  const step = { x0: 250, y0: 200, x1: 450, y1: 420 };
  const title = { x0: 120, y0: 110, x1: 520, y1: 142 };
  assert.deepEqual(revealShift(step, FREE), { dx: 80, dy: 0 }, 'alone: the least pan');
  const { dx, dy } = revealShift(step, FREE, [title]);
  assert.equal(title.x0 + dx, FREE.x0, 'the title\'s first word is out from under the panel');
  assert.equal(dy, 0);
  assert.ok(step.x0 + dx >= FREE.x0 && step.x1 + dx <= FREE.x1, 'the step is in the free part still');
});

test('a reveal does not chase a title that cannot be in view with the step, nor move for it alone', () => {
  const step = { x0: 1200, y0: 300, x1: 1400, y1: 500 };
  const far = { x0: -900, y0: 110, x1: -500, y1: 142 };
  assert.deepEqual(revealShift(step, FREE, [far]), { dx: -120, dy: 0 });
  const seen = { x0: 600, y0: 300, x1: 800, y1: 500 };
  assert.deepEqual(revealShift(seen, FREE, [{ x0: 100, y0: 100, x1: 400, y1: 130 }]), { dx: 0, dy: 0 });
});

test('a revealed step and the title with it keep clear of the controls over the canvas', () => {
  // The session bar hangs under the top bar over the left of the map.
  const sessionBar = { x0: 340, y0: 56, x1: 900, y1: 96 };
  const step = { x0: 400, y0: 40, x1: 600, y1: 260 };
  const { dy } = revealShift(step, FREE, [], [sessionBar]);
  assert.equal(step.y0 + dy, sessionBar.y1, 'under the session bar, not under it');
  // The zoom and status at the bottom: a step revealed downwards stops above them.
  const zoom = { x0: 1100, y0: 660, x1: 1270, y1: 710 };
  const low = { x0: 1000, y0: 600, x1: 1200, y1: 820 };
  const down = revealShift(low, FREE, [], [zoom]);
  assert.equal(low.y1 + down.dy, zoom.y0);
  const title = { x0: 300, y0: 20, x1: 700, y1: 52 };
  const both = revealShift({ x0: 360, y0: 30, x1: 560, y1: 250 }, FREE, [title], [sessionBar]);
  assert.equal(title.y0 + both.dy, sessionBar.y1, 'the title comes out under the session bar');
});
