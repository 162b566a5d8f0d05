// @ts-check
// Where the selection bar goes: clear of the map's title, the controls and the selection as drawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { barPlace } from '../js/ui/context-bar.js';

const BAR = { width: 360, height: 42 };
const SCREEN = { width: 683, height: 768 };
const FREE = { x0: 0, y0: 114, x1: 683, y1: 358 };
/** @param {{left: number, top: number}} at @param {{x: number, y: number, w: number, h: number}} r */
const covers = (at, r) => at.left < r.x + r.w && at.left + BAR.width > r.x && at.top < r.y + r.h && at.top + BAR.height > r.y;

test('with room above the selection the bar goes there, centred on it', () => {
  const step = { x: 300, y: 250, w: 84, h: 48 };
  assert.deepEqual(barPlace(BAR, step, FREE, SCREEN, [step]), { left: 162, top: 196 });
});

test('the bar keeps off the map title just above the steps', () => {
  const step = { x: 300, y: 240, w: 84, h: 48 };
  const drawn = { ...step, h: 90 }; // the step and its figures under it
  const title = { x: 65, y: 185, w: 480, h: 20 };
  const at = barPlace(BAR, step, FREE, SCREEN, [drawn, title]);
  assert.ok(!covers(at, title), JSON.stringify(at));
  assert.ok(!covers(at, drawn), JSON.stringify(at));
  assert.ok(at.top >= FREE.y0 && at.top + BAR.height <= FREE.y1, JSON.stringify(at));
});

test('pushed under a step by the top bar, the bar goes under its figures, not over them', () => {
  const step = { x: 200, y: 120, w: 168, h: 96 };
  const drawn = { ...step, h: 200 };
  const at = barPlace(BAR, step, { ...FREE, y1: 700 }, SCREEN, [drawn]);
  assert.ok(at.top >= drawn.y + drawn.h, JSON.stringify(at));
});
