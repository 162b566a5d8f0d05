// @ts-check
/**
 * Where a new element goes: the nearest free spot to where it was asked for
 * (the middle of the view, or the pointer), overlapping nothing already on the
 * board, with a margin. Thirteen people pressing "Add note" at once get thirteen
 * notes side by side, not one pile on top of the map.
 *
 * Steps prefer the flow row (the row most steps stand on) when asked for near
 * it; notes and experiment cards keep off the map itself (the steps, their data
 * boxes, inventory and the lead-time ladder under them), so they land above or
 * below it, where a facilitator puts them. Nothing lands on what the canvas draws
 * around the elements: the frame's header, trigger and delivery, the ladder.
 *
 *   const drawn = drawnAround(frame, metrics, elements, calendar);
 *   const at = placeNew('note', {x: 400, y: 300}, elements, drawn);   // the new note's top-left corner
 *   const next = placeBeside(step, elements);                   // a spot right of a step, on its row
 */

import { boxOf, footprintOf, isBox, storedRect } from './boxes.js';
import { frameLayout } from './frame-layout.js';
import { RUNG_GAP, ladderLayout, ladderTop } from './ladder.js';

/**
 * @typedef {import('../protocol.js').Element} Element
 * @typedef {import('./boxes.js').Rect} Rect
 * @typedef {import('./boxes.js').Figures} Figures
 * @typedef {{x: number, y: number}} Point
 */

/** Space kept free around every box, so new ones never touch. */
export const MARGIN = 24;
// The ladder's labels and totals hang this far under its lower rung, and its totals
// stand this wide right of its last rung.
export const LADDER_BELOW = 64;
export const LADDER_TOTALS_WIDTH = 240;
// The constraint's badge and the frame's labels stand this far over the steps (canvas/badges.js).
const ABOVE_STEPS = 44;
// Steps within this distance of the flow row (about a row of the tidy layout) join it.
const ROW_REACH = 264;
// Steps whose tops are this close stand on the same row.
const SAME_ROW = 24;
// Kinds kept off the map (they annotate it; they are not part of the flow).
const OFF_MAP = new Set(['note', 'experiment']);
// The map is made of these.
const MAP_KINDS = new Set(['step', 'inventory']);
// Between a step and the next one added beside it: the tidy layout's gap (app/domain/tidy.py).
export const NEXT_STEP_GAP = 144;

/** @param {Rect} a @param {Rect} b @param {number} margin */
function overlaps(a, b, margin) {
  return a.x < b.x + b.w + margin && a.x + a.w + margin > b.x && a.y < b.y + b.h + margin && a.y + a.h + margin > b.y;
}

/**
 * The nearest top-left corner to `want` where a box of `shape` (its footprint,
 * relative to its corner) overlaps none of the obstacles. The nearest free spot
 * either is `want` or touches an obstacle's edge on one axis and keeps `want` on
 * the other, or touches edges on both: so those are the only candidates.
 * @param {Point} want the corner asked for
 * @param {Rect} shape footprint relative to the corner (x, y usually 0)
 * @param {Rect[]} obstacles
 * @param {{margin?: number, ys?: number[], minX?: number}} [opts] ys: only these rows (corner
 *   y); minX: no corner further left than this
 * @returns {Point|null} null when `ys` was given and none of them has room
 */
export function nearestFree(want, shape, obstacles, opts = {}) {
  const margin = opts.margin ?? MARGIN;
  const minX = opts.minX ?? -Infinity;
  const xs = new Set([Math.max(want.x, minX)]);
  const ys = new Set(opts.ys ?? [want.y]);
  for (const o of obstacles) {
    xs.add(o.x - margin - shape.w - shape.x).add(o.x + o.w + margin - shape.x);
    if (!opts.ys) ys.add(o.y - margin - shape.h - shape.y).add(o.y + o.h + margin - shape.y);
  }
  const byDistance = (/** @type {Set<number>} */ values, /** @type {number} */ from) =>
    [...values].map((v) => ({ v, d: Math.abs(v - from) })).sort((a, b) => a.d - b.d || a.v - b.v);
  const across = byDistance(new Set([...xs].filter((x) => x >= minX)), want.x);
  const down = byDistance(ys, want.y);
  /** @type {Point|null} */
  let best = null;
  let bestD = Infinity;
  // Nearest first along each axis: once one axis alone is as far as the best, nothing nearer is left.
  for (const x of across) {
    if (x.d >= bestD) break;
    for (const y of down) {
      if (y.d >= bestD) break;
      const d = Math.hypot(x.d, y.d);
      if (d >= bestD) continue;
      const r = { x: x.v + shape.x, y: y.v + shape.y, w: shape.w, h: shape.h };
      if (obstacles.some((o) => overlaps(r, o, margin))) continue;
      best = { x: Math.round(x.v), y: Math.round(y.v) };
      bestD = d;
    }
  }
  return best;
}

/**
 * The map: the boxes around the steps and inventory with what hangs under them,
 * down to the lead-time ladder's labels, up to the constraint's badge. Null for
 * a board without steps.
 * @param {Element[]} elements
 * @param {Figures} [figures] the board's measurement (the lines it adds under steps' figures)
 * @returns {Rect|null}
 */
export function mapArea(elements, figures = {}) {
  const parts = elements.filter((el) => MAP_KINDS.has(el.kind)).map((el) => footprintOf(el, figures));
  if (!parts.length) return null;
  const steps = elements.filter((el) => el.kind === 'step').map(boxOf);
  const x0 = Math.min(...parts.map((r) => r.x));
  const y0 = Math.min(...parts.map((r) => r.y), ...steps.map((r) => r.y - ABOVE_STEPS));
  const x1 = Math.max(...parts.map((r) => r.x + r.w));
  const ladder = steps.length ? ladderTop(new Map(elements.map((el) => [el.id, el])), figures) + RUNG_GAP + LADDER_BELOW : 0;
  const y1 = Math.max(ladder, ...parts.map((r) => r.y + r.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * The flow row: the top y that most steps share (ties: the one nearest `near`).
 * @param {Element[]} elements
 * @param {number} near
 * @returns {number|null}
 */
export function flowRow(elements, near) {
  const tops = elements.filter((el) => el.kind === 'step').map((el) => storedRect(el).y);
  let best = null;
  let bestCount = 0;
  for (const y of tops) {
    const count = tops.filter((t) => Math.abs(t - y) <= SAME_ROW).length;
    if (count > bestCount || (count === bestCount && best !== null && Math.abs(y - near) < Math.abs(best - near))) {
      best = y;
      bestCount = count;
    }
  }
  return best;
}

/**
 * A new element's footprint relative to its top-left corner.
 * @param {Element} el
 */
function shapeOf(el) {
  const box = storedRect(el);
  const f = footprintOf(el);
  return { x: f.x - box.x, y: f.y - box.y, w: f.w, h: f.h };
}

/**
 * What the canvas draws around the elements, which a new one must not cover: the frame's
 * header, trigger and delivery (a new step landed on the trigger), and the lead-time
 * ladder with its labels and totals (an inventory triangle landed on its rungs).
 * @param {Record<string, unknown>} frame the board's frame
 * @param {Parameters<typeof ladderLayout>[0]} metrics
 * @param {Map<string, Element>} elements
 * @param {{hours_per_day: number, days_per_week: number}} [calendar]
 * @returns {Rect[]}
 */
export function drawnAround(frame, metrics, elements, calendar) {
  const framed = frameLayout(frame, metrics, elements);
  const drawn = framed ? [framed.header, framed.trigger, framed.delivery].filter((b) => b !== null) : [];
  const ladder = ladderLayout(metrics, elements, calendar);
  if (ladder) {
    drawn.push({ x: ladder.x0, y: ladder.top, w: ladder.x1 + LADDER_TOTALS_WIDTH - ladder.x0, h: RUNG_GAP + LADDER_BELOW });
  }
  return drawn.map((b) => ({ x: b.x, y: b.y, w: b.w, h: b.h }));
}

/**
 * Where the flow starts on the canvas: right of the trigger the frame draws (and its
 * arrow's room), or null without one.
 * @param {Record<string, unknown>} frame the board's frame
 * @param {Parameters<typeof frameLayout>[1]} metrics
 * @param {Map<string, Element>} elements
 * @returns {number|null}
 */
export function flowStart(frame, metrics, elements) {
  const trigger = frameLayout(frame, metrics, elements)?.trigger;
  return trigger ? trigger.x + trigger.w + MARGIN : null;
}

/**
 * Where a new element of this kind goes, asked for centred on `want`.
 * @param {Element} el the new element (its kind and size; x and y are ignored)
 * @param {Point} want where its centre was asked for
 * @param {Iterable<Element>} elements the board
 * @param {Rect[]} [drawn] what the canvas draws around them (drawnAround)
 * @param {number|null} [upstream] where the flow starts (flowStart): a step on the flow row
 *   goes no further left, so the map never reads backwards past its trigger
 * @param {Figures} [figures] the board's measurement: a new element keeps off the measured
 *   lines under a step's figures as off the figures
 * @returns {Point} its top-left corner
 */
export function placeNew(el, want, elements, drawn = [], upstream = null, figures = {}) {
  const all = [...elements].filter(isBox);
  const box = storedRect(el);
  const corner = { x: Math.round(want.x - box.w / 2), y: Math.round(want.y - box.h / 2) };
  const shape = shapeOf(el);
  const obstacles = [...drawn, ...all.map((other) => footprintOf(other, figures))];
  if (el.kind === 'step') {
    const row = flowRow(all, corner.y);
    if (row !== null && Math.abs(row - corner.y) <= ROW_REACH) {
      const minX = upstream === null ? undefined : upstream - shape.x;
      const onRow = nearestFree(corner, shape, obstacles, { ys: [row], minX });
      if (onRow) return onRow;
    }
  }
  const map = OFF_MAP.has(el.kind) ? mapArea(all, figures) : null;
  // The map first: it turns most candidates away at once.
  return /** @type {Point} */ (nearestFree(corner, shape, map ? [map, ...obstacles] : obstacles));
}

/**
 * A spot for the step after `step`: on its row, to its right, the first with room.
 * @param {Element} step
 * @param {Iterable<Element>} elements the board
 * @param {Element} fresh the new step (its size)
 * @param {Figures} [figures] the board's measurement (the lines it adds under steps' figures)
 * @returns {Point} its top-left corner
 */
export function placeBeside(step, elements, fresh, figures = {}) {
  const r = storedRect(step);
  const shape = shapeOf(fresh);
  const obstacles = [...elements].filter(isBox).map((other) => footprintOf(other, figures));
  // Only spots to the right count: moving left would reverse the flow.
  const right = obstacles.filter((o) => o.x + o.w > r.x + r.w);
  let x = r.x + r.w + NEXT_STEP_GAP;
  for (;;) {
    const spot = { x: x + shape.x, y: r.y + shape.y, w: shape.w, h: shape.h };
    const blocking = right.filter((o) => overlaps(spot, o, MARGIN));
    if (!blocking.length) return { x: Math.round(x), y: Math.round(r.y) };
    // Past whatever is in the way, with the same room for an arrow as after the step.
    x = Math.max(...blocking.map((o) => o.x + o.w)) + NEXT_STEP_GAP - shape.x;
  }
}
