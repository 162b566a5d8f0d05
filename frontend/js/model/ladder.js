// @ts-check
/**
 * Where the lead-time ladder goes: the classic value-stream timeline along the
 * bottom of the map, in flow order. Each step on the path gets a wait segment
 * on the upper rung (the queue before it) and a process segment on the lower
 * rung (under the step itself); the totals sit at the right end.
 *
 * Pure layout, no DOM: the server's metrics say what is on the path and the
 * figures; the board's elements say where the steps are right now (so the
 * ladder follows a drag).
 *
 *   const ladder = ladderLayout(metrics, elements);
 *   ladder?.segments[0];  // {kind: 'wait', id: 's-1', x0: 40, x1: 100, minutes: 1440, ...}
 */

import { footprintOf } from './boxes.js';
import { rectOf } from './geometry.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {object} Segment
 * @property {'wait'|'process'} kind
 * @property {string} id         the step
 * @property {number} x0
 * @property {number} x1
 * @property {number|null} minutes      the estimate, null when not given
 * @property {string|null} typed        the step's figure as typed ("1w"), shown as typed while it says `minutes`
 * @property {number|null} actual       from the example walk, null when not walked
 * @property {boolean} constraint       the queue before the constraint
 * @typedef {object} Ladder
 * @property {number} top       y of the upper (wait) rung
 * @property {number} bottom    y of the lower (process) rung
 * @property {number} x0        left end
 * @property {number} x1        right end of the last segment; the totals start after it
 * @property {Segment[]} segments  wait then process for each step, in flow order
 * @property {boolean} aligned  true when the segments sit under their steps
 */

// The rungs: far enough apart for a label on each side, close enough to read as one line.
export const RUNG_GAP = 36;
// Room under the steps for their data boxes before the ladder starts.
export const BELOW_STEPS = 132;
// The ladder keeps at least this far under the lowest data box (waste chips included),
// room for the wait labels above its upper rung...
export const DATA_CLEARANCE = 28;
// ...and this far when a rework loop runs under the data boxes (model/geometry.js
// REWORK_CLEARANCE 22, its rate label 22, the wait labels 22, a little air).
export const REWORK_BAND = 74;
// The first step's wait has no step before it: give it a short lead-in.
export const LEAD_IN = 72;
// Slots when the path doubles back and cannot sit under its steps.
const SLOT_GAP = 72;

/**
 * @param {{path?: string[], steps?: {id: string, wait_minutes: number|null,
 *   process_minutes: number|null, actual_wait_minutes?: number|null,
 *   actual_process_minutes?: number|null}[], constraint?: {id: string}|null}|null} metrics
 * @param {Map<string, BoardElement>} elements
 * @param {{hours_per_day: number, days_per_week: number}} [calendar] how the measured figures read (their lines)
 * @returns {Ladder|null}
 */
export function ladderLayout(metrics, elements, calendar = { hours_per_day: 8, days_per_week: 5 }) {
  if (!metrics?.steps?.length) return null;
  const rows = metrics.steps.filter((s) => elements.get(s.id)?.kind === 'step');
  if (!rows.length) return null;
  const rects = rows.map((s) => rectOf(/** @type {BoardElement} */ (elements.get(s.id))));
  const aligned = rects.every((r, i) => i === 0 || r.x >= rects[i - 1].x + rects[i - 1].w);
  const slots = aligned ? rects : evenSlots(rects);
  const constraintId = metrics.constraint?.id ?? null;
  /** @type {Segment[]} */
  const segments = [];
  rows.forEach((row, i) => {
    const slot = slots[i];
    const step = /** @type {any} */ (elements.get(row.id));
    const start = i === 0 ? slot.x - LEAD_IN : slots[i - 1].x + slots[i - 1].w;
    segments.push({
      kind: 'wait', id: row.id, x0: start, x1: slot.x, minutes: row.wait_minutes, typed: step.wait_text ?? null,
      actual: row.actual_wait_minutes ?? null, constraint: row.id === constraintId,
    });
    segments.push({
      kind: 'process', id: row.id, x0: slot.x, x1: slot.x + slot.w, minutes: row.process_minutes,
      typed: step.process_text ?? null, actual: row.actual_process_minutes ?? null, constraint: false,
    });
  });
  const top = ladderTop(elements, { measured: /** @type {any} */ (metrics).measured, calendar });
  return {
    top, bottom: top + RUNG_GAP, x0: segments[0].x0, x1: segments[segments.length - 1].x1,
    segments, aligned,
  };
}

/**
 * Equal slots from the leftmost step, for a path that does not run left to right.
 * @param {{x: number, y: number, w: number, h: number}[]} rects
 */
function evenSlots(rects) {
  let x = Math.min(...rects.map((r) => r.x));
  return rects.map((r) => {
    const slot = { x, y: r.y, w: r.w, h: r.h };
    x += r.w + SLOT_GAP;
    return slot;
  });
}

/**
 * Where the ladder's upper rung runs: BELOW_STEPS under the lowest step, and
 * lower when the data boxes (and a rework loop under them) need the room.
 * @param {Map<string, BoardElement>} elements
 * @param {import('./boxes.js').Figures} [figures] the board's measurement: the lines it adds
 *   under the steps' figures
 */
export function ladderTop(elements, figures = {}) {
  let bottom = -Infinity;
  let foot = -Infinity;
  let rework = false;
  for (const el of elements.values()) {
    if (el.kind === 'connector' && el.connector === 'rework') rework = true;
    if (el.kind !== 'step') continue;
    const r = rectOf(el);
    const f = footprintOf(el, figures);
    bottom = Math.max(bottom, r.y + r.h);
    foot = Math.max(foot, f.y + f.h);
  }
  return Math.max(bottom + BELOW_STEPS, foot + (rework ? REWORK_BAND : DATA_CLEARANCE));
}

/**
 * The inventory queued before a step (the constraint's pile): fed into it by a flow arrow, or
 * standing between it and the step on its left.
 * @param {BoardElement} step
 * @param {Map<string, BoardElement>} elements
 */
export function queueBefore(step, elements) {
  const all = [...elements.values()];
  const into = new Set(all.filter((el) => el.kind === 'connector' && (el.connector ?? 'flow') === 'flow'
    && el.target === step.id).map((el) => el.source));
  const fed = all.filter((el) => el.kind === 'inventory' && into.has(el.id));
  if (fed.length) return fed;
  // No arrow through a triangle: the queue is the inventory in the gap to its left.
  const r = rectOf(step);
  const rights = all.filter((el) => el.kind === 'step' && el.id !== step.id)
    .map((el) => rectOf(el)).filter((o) => o.x + o.w <= r.x).map((o) => o.x + o.w);
  const left = rights.length ? Math.max(...rights) : -Infinity;
  return all.filter((el) => {
    if (el.kind !== 'inventory') return false;
    const o = rectOf(el);
    const c = o.x + o.w / 2;
    return c > left && c < r.x && o.y < r.y + r.h && o.y + o.h > r.y;
  });
}
