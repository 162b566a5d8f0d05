// @ts-check
// A zoom gesture is shown by a CSS transform and drawn for real once it pauses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Settle, previewCover, previewTransform } from '../js/canvas/zoom-preview.js';

const SIZE = { width: 1280, height: 800 };

/** @param {{x: number, y: number, k: number}} view @param {{x: number, y: number}} p */
const onScreen = (view, p) => ({ x: p.x * view.k + view.x, y: p.y * view.k + view.y });

test('the preview transform puts every canvas point where the true view shows it', () => {
  const drawn = { x: 100, y: -40, k: 1 };
  const view = { x: 420, y: 210, k: 0.37 };
  const t = previewTransform(drawn, view);
  for (const p of [{ x: 0, y: 0 }, { x: 900, y: -300 }, { x: -1234, y: 5678 }]) {
    const painted = onScreen(drawn, p);
    const shown = { x: painted.x * t.s + t.x, y: painted.y * t.s + t.y };
    const want = onScreen(view, p);
    assert.ok(Math.abs(shown.x - want.x) < 1e-9 && Math.abs(shown.y - want.y) < 1e-9, JSON.stringify({ shown, want }));
  }
  assert.deepEqual(previewTransform(view, view), { s: 1, x: 0, y: 0 });
});

test('zoomed in, the drawing covers the screen; zoomed out, the share it still covers', () => {
  const drawn = { x: 0, y: 0, k: 1 };
  // Around the middle of the screen: in, it overflows every edge.
  assert.equal(previewCover(drawn, { x: -640, y: -400, k: 2 }, SIZE), 1);
  // Out to half around the middle: a quarter of the screen.
  assert.ok(Math.abs(previewCover(drawn, { x: 320, y: 200, k: 0.5 }, SIZE) - 0.25) < 1e-9);
  // Panned half a screen to the right at the same zoom: half.
  assert.ok(Math.abs(previewCover(drawn, { x: 640, y: 0, k: 1 }, SIZE) - 0.5) < 1e-9);
  assert.equal(previewCover(drawn, { x: 5000, y: 0, k: 1 }, SIZE), 0);
});

/** A clock whose time, timers and animation frames the test moves by hand. */
function fakeClock() {
  let now = 0;
  let nextId = 1;
  /** @type {Map<number, {at: number, f: () => void}>} */
  const timers = new Map();
  /** @type {(() => void)[]} */
  let frames = [];
  return {
    now: () => now,
    setTimeout: (/** @type {() => void} */ f, /** @type {number} */ ms) => { timers.set(nextId, { at: now + ms, f }); return nextId++; },
    clearTimeout: (/** @type {number} */ id) => { timers.delete(id); },
    requestAnimationFrame: (/** @type {() => void} */ f) => { frames.push(f); return 0; },
    /** Let `ms` pass: due timers run. @param {number} ms */
    advance(ms) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now) { timers.delete(id); t.f(); }
      }
    },
    /** An animation frame: its callbacks run (after the frame's input). */
    frame() {
      const due = frames;
      frames = [];
      for (const f of due) f();
    },
  };
}

test('a gesture is drawn once, after it has been quiet long enough', () => {
  const clock = fakeClock();
  let commits = 0;
  const settle = new Settle(() => commits++, 140, clock);
  for (let i = 0; i < 20; i++) {
    settle.touch();
    clock.advance(16);
    clock.frame();
  }
  assert.equal(commits, 0, 'no commit while the wheel keeps turning');
  assert.ok(settle.pending);
  for (let i = 0; i < 10; i++) {
    clock.advance(16);
    clock.frame();
  }
  assert.equal(commits, 1);
  assert.equal(settle.pending, false);
  clock.advance(1000);
  clock.frame();
  assert.equal(commits, 1, 'once');
});

test('a slow frame that holds the next wheel event back does not end the gesture', () => {
  const clock = fakeClock();
  let commits = 0;
  const settle = new Settle(() => commits++, 140, clock);
  settle.touch();
  // A 300 ms frame: the timer comes due in it, the next event arrives with the next frame.
  clock.advance(300);
  settle.touch();
  clock.frame();
  assert.equal(commits, 0);
  clock.advance(150);
  clock.frame();
  assert.equal(commits, 1);
});

test('flush draws a due gesture now; cancel drops it; neither draws when nothing is due', () => {
  const clock = fakeClock();
  let commits = 0;
  const settle = new Settle(() => commits++, 140, clock);
  settle.flush();
  assert.equal(commits, 0);
  settle.touch();
  settle.flush();
  assert.equal(commits, 1);
  settle.touch();
  settle.cancel();
  clock.advance(500);
  clock.frame();
  assert.equal(commits, 1);
});
