// @ts-check
// The editor draws once per animation frame; drawNow() draws a waiting frame at once
// (the debug hook does, so what it reports is what the page shows).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Editor } from '../js/editor.js';

/** A stand-in animation-frame clock: frames run only when the test says so. */
function frames() {
  /** @type {Map<number, () => void>} */
  const waiting = new Map();
  let next = 1;
  globalThis.requestAnimationFrame = /** @type {any} */ ((/** @type {() => void} */ f) => {
    waiting.set(next, f);
    return next++;
  });
  globalThis.cancelAnimationFrame = /** @type {any} */ ((/** @type {number} */ id) => waiting.delete(id));
  return {
    get waiting() { return waiting.size; },
    run() {
      const due = [...waiting.values()];
      waiting.clear();
      for (const f of due) f();
    },
  };
}

function editor() {
  const elements = new Map([['s1', { id: 's1', kind: 'step', text: 'Plan', x: 0, y: 0 }]]);
  const model = /** @type {any} */ ({ view: () => ({ elements, frame: {} }) });
  const live = /** @type {any} */ ({ apply: (/** @type {any} */ m) => m, expire() {}, peers: new Map() });
  const session = /** @type {any} */ ({ canEdit: true, submit() {} });
  /** @type {number[]} */
  const drawn = [];
  const e = new Editor({ model, live, session, nextCid: () => 'c1' });
  e.onFrame((els) => drawn.push(els.size));
  return { e, drawn };
}

test('a render asked for is drawn once, on the next frame', () => {
  const clock = frames();
  const { e, drawn } = editor();
  e.requestRender();
  e.requestRender();
  assert.deepEqual(drawn, []);
  clock.run();
  assert.deepEqual(drawn, [1]);
});

test('drawNow draws the waiting frame at once and the frame does not draw it again', () => {
  const clock = frames();
  const { e, drawn } = editor();
  e.requestRender();
  e.drawNow();
  assert.deepEqual(drawn, [1]);
  assert.equal(clock.waiting, 0);
  clock.run();
  assert.deepEqual(drawn, [1]);
  e.requestRender(); // and the next change still gets its frame
  clock.run();
  assert.deepEqual(drawn, [1, 1]);
});

test('drawNow with nothing waiting draws nothing', () => {
  frames();
  const { e, drawn } = editor();
  e.drawNow();
  assert.deepEqual(drawn, []);
});
