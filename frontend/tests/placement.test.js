// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { footprintOf } from '../js/model/boxes.js';
import {
  MARGIN, NEXT_STEP_GAP, drawnAround, flowRow, flowStart, mapArea, nearestFree, placeBeside, placeNew,
} from '../js/model/placement.js';
import { frameLayout } from '../js/model/frame-layout.js';

/** @typedef {import('../js/protocol.js').Element} Element */

/** @param {Element} a @param {Element} b */
function apart(a, b) {
  const r = footprintOf(a);
  const s = footprintOf(b);
  return r.x + r.w + MARGIN <= s.x || s.x + s.w + MARGIN <= r.x || r.y + r.h + MARGIN <= s.y || s.y + s.h + MARGIN <= r.y;
}

/** Three steps on a row at y = 100, 312 apart: a map. */
const map = /** @type {Element[]} */ ([0, 1, 2].map((i) => ({ id: `s${i}`, kind: 'step', x: i * 312, y: 100 })));

/**
 * Add `count` elements of a kind one after another, each wanted at the same point.
 * @param {string} kind
 * @param {{x: number, y: number}} want
 * @param {number} count
 * @param {Element[]} board
 */
function addInARow(kind, want, count, board) {
  const all = [...board];
  for (let i = 0; i < count; i++) {
    const el = /** @type {Element} */ ({ id: `${kind}-${i}`, kind: /** @type {any} */ (kind) });
    all.push({ ...el, ...placeNew(el, want, all) });
  }
  return all.slice(board.length);
}

test('a box goes where it is wanted when that spot is free', () => {
  assert.deepEqual(nearestFree({ x: 10, y: 20 }, { x: 0, y: 0, w: 50, h: 50 }, []), { x: 10, y: 20 });
  assert.deepEqual(nearestFree({ x: 10, y: 20 }, { x: 0, y: 0, w: 50, h: 50 }, [{ x: 500, y: 0, w: 10, h: 10 }]), { x: 10, y: 20 });
});

test('a taken spot gives the nearest free one, clear of everything by the margin', () => {
  const at = nearestFree({ x: 0, y: 0 }, { x: 0, y: 0, w: 100, h: 100 }, [{ x: 0, y: 0, w: 100, h: 40 }]);
  assert.deepEqual(at, { x: 0, y: 40 + MARGIN });
});

test('notes added in a row at the same point do not overlap each other or the map', () => {
  const notes = addInARow('note', { x: 400, y: 150 }, 5, map);
  const all = [...map, ...notes];
  for (const a of notes) for (const b of all) if (a !== b) assert.ok(apart(a, b), `${a.id} touches ${b.id}`);
  // They go above or below the map (steps, data boxes, the ladder), not beside it.
  const area = /** @type {{x: number, y: number, w: number, h: number}} */ (mapArea(map));
  for (const n of notes) {
    const r = footprintOf(n);
    assert.ok(r.y + r.h <= area.y || r.y >= area.y + area.h, `${n.id} at ${r.y}`);
  }
});

test('experiment cards keep off the map as notes do', () => {
  const cards = addInARow('experiment', { x: 400, y: 150 }, 3, map);
  const area = /** @type {{x: number, y: number, w: number, h: number}} */ (mapArea(map));
  for (const c of cards) {
    const r = footprintOf(c);
    assert.ok(r.y + r.h <= area.y || r.y >= area.y + area.h, `${c.id} at ${r.y}`);
  }
});

test('new steps near the flow row join it, in the nearest free gap', () => {
  const steps = addInARow('step', { x: 400, y: 190 }, 3, map);
  const all = [...map, ...steps];
  for (const s of steps) {
    assert.equal(s.y, 100, `${s.id} is on the row`);
    for (const b of all) if (s !== b) assert.ok(apart(s, b), `${s.id} touches ${b.id}`);
  }
});

test('a step wanted far from the flow row goes where it was wanted', () => {
  const [s] = addInARow('step', { x: 400, y: 1500 }, 1, map);
  assert.deepEqual({ x: s.x, y: s.y }, { x: 400 - 84, y: 1500 - 48 });
});

test('the flow row is the one most steps stand on', () => {
  const board = [...map, /** @type {Element} */ ({ id: 'low', kind: 'step', x: 0, y: 600 })];
  assert.equal(flowRow(board, 600), 100);
  assert.equal(flowRow([], 0), null);
});

test('the next step goes right of its step on its row, past anything in the way', () => {
  const fresh = /** @type {Element} */ ({ id: 'new', kind: 'step' });
  const last = map[2];
  assert.deepEqual(placeBeside(last, map, fresh), { x: 2 * 312 + 168 + NEXT_STEP_GAP, y: 100 });
  // From the first step, the second is in the way: the next free spot is after the last.
  const first = map[0];
  const spot = placeBeside(first, map, fresh);
  assert.equal(spot.y, 100);
  assert.ok(apart({ ...fresh, ...spot }, map[1]) && apart({ ...fresh, ...spot }, map[2]));
  assert.equal(spot.x, 2 * 312 + 168 + NEXT_STEP_GAP);
});

test("nothing lands on what the canvas draws around the map: the trigger, the header, the ladder", () => {
  const flow = [...map,
    /** @type {Element} */ ({ id: 'c1', kind: 'connector', source: 's0', target: 's1' }),
    /** @type {Element} */ ({ id: 'c2', kind: 'connector', source: 's1', target: 's2' })];
  const elements = new Map(flow.map((el) => [el.id, el]));
  const metrics = { path: ['s0', 's1', 's2'], steps: ['s0', 's1', 's2'].map((id) => ({ id, wait_minutes: 60, process_minutes: 30 })) };
  const frame = { title: 'Order to cash', trigger: 'Order signed', delivery: 'Cash in' };
  const drawn = drawnAround(frame, metrics, elements);
  assert.equal(drawn.length, 4, 'header, trigger, delivery, ladder');
  const [header, trigger, , ladder] = drawn;
  /** @param {{x: number, y: number, w: number, h: number}} r @param {{x: number, y: number, w: number, h: number}} s */
  const clear = (r, s) => r.x + r.w <= s.x || s.x + s.w <= r.x || r.y + r.h <= s.y || s.y + s.h <= r.y;
  const centre = (/** @type {{x: number, y: number, w: number, h: number}} */ r) => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 });
  const cases = /** @type {[string, {x: number, y: number, w: number, h: number}][]} */ ([
    ['step', trigger], ['inventory', ladder], ['note', header], ['inventory', trigger]]);
  for (const [kind, on] of cases) {
    const el = /** @type {Element} */ ({ id: 'new', kind: /** @type {any} */ (kind) });
    const at = placeNew(el, centre(on), flow, drawn);
    const r = footprintOf({ ...el, ...at });
    for (const d of drawn) assert.ok(clear(r, d), `a new ${kind} asked for on ${JSON.stringify(on)} lands at ${JSON.stringify(r)}`);
  }
  // Without what is drawn, the trigger's spot would have been taken: the test can fail.
  const blind = footprintOf({ id: 'x', kind: 'step', ...placeNew({ id: 'x', kind: 'step' }, centre(trigger), flow) });
  assert.ok(!clear(blind, trigger));
});

test('steps added near the trigger go downstream of it, one after another, never upstream', () => {
  // "Add step" with the view on the map's start put four steps left of the trigger, each
  // further left: outside the frame, the map reading backwards.
  const flow = [...map,
    /** @type {Element} */ ({ id: 'c1', kind: 'connector', source: 's0', target: 's1' }),
    /** @type {Element} */ ({ id: 'c2', kind: 'connector', source: 's1', target: 's2' })];
  const frame = { title: 'Order to cash', trigger: 'Order signed', delivery: 'Cash in' };
  const metrics = { path: ['s0', 's1', 's2'], steps: [] };
  const all = [...flow];
  const trigger = /** @type {NonNullable<ReturnType<typeof frameLayout>>} */ (frameLayout(frame, metrics, new Map(all.map((el) => [el.id, el])))).trigger;
  assert.ok(trigger);
  const want = { x: trigger.x + trigger.w / 2, y: trigger.y + trigger.h / 2 };
  const xs = [];
  for (let i = 0; i < 4; i++) {
    const elements = new Map(all.map((el) => [el.id, el]));
    const el = /** @type {Element} */ ({ id: `new-${i}`, kind: 'step' });
    const at = placeNew(el, want, all, drawnAround(frame, metrics, elements), flowStart(frame, metrics, elements));
    assert.equal(at.y, 100, 'on the flow row');
    assert.ok(at.x >= trigger.x + trigger.w, `right of the trigger: ${at.x}`);
    xs.push(at.x);
    all.push({ ...el, ...at });
  }
  assert.deepEqual(xs, [...xs].sort((a, b) => a - b), 'each further downstream');
  // Without a trigger there is no frame to keep to: a step may start the flow.
  const bare = placeNew(/** @type {Element} */ ({ id: 'n', kind: 'step' }), { x: -150, y: 148 }, map, [], flowStart({}, metrics, new Map()));
  assert.ok(bare.x < 0);
});

test("a delivered value long enough to take many lines keeps off the ladder's totals under the last step", () => {
  // Over ~330 characters (500 are allowed) the pill grew down over "Lead time" at the
  // ladder's end.
  const flow = [...map,
    /** @type {Element} */ ({ id: 'c1', kind: 'connector', source: 's0', target: 's1' }),
    /** @type {Element} */ ({ id: 'c2', kind: 'connector', source: 's1', target: 's2' })];
  const elements = new Map(flow.map((el) => [el.id, el]));
  const metrics = { path: ['s0', 's1', 's2'], steps: ['s0', 's1', 's2'].map((id) => ({ id, wait_minutes: 60, process_minutes: 30 })) };
  const delivery = 'Cash in the bank, reconciled against the order and the invoice, with the customer told and the order closed in every system it passed through. '.repeat(4).trim().slice(0, 500);
  const drawn = drawnAround({ title: 'Order to cash', delivery }, metrics, elements);
  assert.equal(drawn.length, 3, 'header, delivery, ladder');
  const [header, pill, ladder] = drawn;
  const clear = (/** @type {any} */ r, /** @type {any} */ s) => r.x + r.w <= s.x || s.x + s.w <= r.x || r.y + r.h <= s.y || s.y + s.h <= r.y;
  assert.ok(pill.h > 200, `a tall pill: ${pill.h}`);
  assert.ok(clear(pill, ladder), `${JSON.stringify(pill)} over the ladder ${JSON.stringify(ladder)}`);
  assert.ok(clear(pill, header), `${JSON.stringify(pill)} under the header ${JSON.stringify(header)}`);
});
