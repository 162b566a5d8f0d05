// @ts-check
// The zoom is a CSS transform of the canvas; a gesture is previewed and drawn once it pauses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Settle, cssTransform, previewCover, previewTransform, shownRect } from '../js/canvas/zoom-preview.js';

const SIZE = { width: 1280, height: 800 };

/** @param {{x: number, y: number, k: number}} view @param {{x: number, y: number}} p */
const onScreen = (view, p) => ({ x: p.x * view.k + view.x, y: p.y * view.k + view.y });

/** @param {string} css a translate(..px, ..px) scale(..) (either part may be missing) @param {{x: number, y: number}} u */
function cssApply(css, u) {
  const t = /translate\((\S+)px, (\S+)px\)/.exec(css);
  const k = Number(/scale\((\S+)\)/.exec(css)?.[1] ?? 1);
  // transform-origin 0 0: scaled, then moved.
  return { x: u.x * k + Number(t?.[1] ?? 0), y: u.y * k + Number(t?.[2] ?? 0) };
}

/** Where a canvas point is inside the <svg> drawn for `drawn`: the world is moved by drawn.(x, y) / k. */
const inBox = (/** @type {{x: number, y: number, k: number}} */ drawn, /** @type {{x: number, y: number}} */ p) =>
  ({ x: p.x + drawn.x / drawn.k, y: p.y + drawn.y / drawn.k });

const close = (/** @type {{x: number, y: number}} */ a, /** @type {{x: number, y: number}} */ b) =>
  Math.abs(a.x - b.x) < 1e-9 && Math.abs(a.y - b.y) < 1e-9;

test('drawn, and previewed as another view, every canvas point is where that view shows it', () => {
  const drawn = { x: 100, y: -40, k: 1.5 };
  const view = { x: 420, y: 210, k: 0.37 };
  for (const p of [{ x: 0, y: 0 }, { x: 900, y: -300 }, { x: -1234, y: 5678 }]) {
    const drawnAt = cssApply(cssTransform(drawn), inBox(drawn, p));
    assert.ok(close(drawnAt, onScreen(drawn, p)), JSON.stringify({ drawnAt, p }));
    const shown = cssApply(previewTransform(drawn, view), inBox(drawn, p));
    assert.ok(close(shown, onScreen(view, p)), JSON.stringify({ shown, p }));
  }
  // The box's corner is the screen's: it covers the screen, no more.
  assert.ok(close(cssApply(cssTransform(drawn), inBox(drawn, shownRect(drawn, SIZE))), { x: 0, y: 0 }));
});

test('the canvas a view shows', () => {
  const view = { x: 100, y: -40, k: 2 };
  assert.deepEqual(shownRect(view, SIZE), { x: -50, y: 20, w: 640, h: 400 });
  const corner = onScreen(view, { x: -50, y: 20 });
  assert.deepEqual(corner, { x: 0, y: 0 });
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
