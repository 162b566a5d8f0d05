// @ts-check
/**
 * Swimlanes without a DOM: one horizontal band per team, behind the steps it
 * owns. The same numbers as app/domain/lanes.py (the exports and tidy use
 * those); tests/fixtures/lanes/cases.json holds both to the same answers.
 *
 * A band spans its steps from the topmost box to the lowest data box (the box as
 * the board has it, a long name cut short; the figures, the lines an event log's
 * medians add under them, the waste chips), LANE_PAD around them, and runs across the whole map: from a label column at the left
 * (LANE_LABEL_W wide, the lane's name goes there) to the rightmost step. Teams
 * in the board's order, then "Unassigned" (id "") for the steps nobody owns once
 * the map has owners at all. Bands may overlap when a step is dragged out of its
 * lane: each still covers its own steps.
 *
 *   laneBands(view.elements, view.frame.teams, {measured: metrics.measured, calendar});
 *   // [{id: 't-dev', name: 'Development', color: 'blue', x: -56, y: -24, w: 960, h: 215}, ...]
 */

import { footprintOf } from './boxes.js';

/** The lane's name sits in a column this wide at the band's left edge. */
export const LANE_LABEL_W = 160;
/** From the label column to the leftmost step: room for the trigger pill (frame-layout.js) and air. */
export const LANE_LEAD = 296;
/** Around a lane's steps above, below and at the right end. */
export const LANE_PAD = 24;
export const UNASSIGNED = 'Unassigned';
export const UNASSIGNED_COLOR = 'grey';

/**
 * @typedef {{id: string, name: string, color: string}} Team
 * @typedef {{id: string, name: string, color: string, x: number, y: number, w: number, h: number}} Band
 * @typedef {{id: string, kind: string, x: number, y: number, w: number, h: number,
 *   owner?: string|null, people?: number|null, waste?: string[]}} LaneStep
 * @typedef {import('./boxes.js').Figures} LaneFigures  the board's event log summary
 *   (metrics.measured) and its calendar: the measured lines lengthen a data box
 */

/**
 * How far below its top a step is drawn: its box, the gap, its data box with the
 * measured lines under its figures (app/domain/lanes.py footprint).
 * @param {LaneStep} s
 * @param {LaneFigures} figures
 */
export function stepReach(s, figures = {}) {
  return footprintOf(/** @type {import('../protocol.js').Element} */ (/** @type {unknown} */ (s)), figures).h;
}

/**
 * @param {Map<string, any>|Iterable<any>} elements the board's elements (a Map or a list)
 * @param {Team[]|null|undefined} teams the map's teams, in the board's order
 * @param {LaneFigures} [figures] the board's measurement, when an event log measured its steps
 * @returns {Band[]} top lane first; [] when no step names one of the teams
 */
export function laneBands(elements, teams, figures = {}) {
  const all = elements instanceof Map ? [...elements.values()] : [...elements];
  /** @type {LaneStep[]} */
  const steps = all.filter((e) => e && e.kind === 'step');
  const named = teams ?? [];
  const known = new Set(named.map((t) => t.id));
  /** @param {LaneStep} s */
  const ownerOf = (s) => (s.owner && known.has(s.owner) ? s.owner : '');
  if (!steps.length || !steps.some((s) => ownerOf(s))) return [];
  const left = Math.min(...steps.map((s) => s.x)) - LANE_LEAD - LANE_LABEL_W;
  const right = Math.max(...steps.map((s) => s.x + s.w)) + LANE_PAD;
  const lanes = [...named.map((t) => ({ id: t.id, name: t.name, color: t.color })),
    { id: '', name: UNASSIGNED, color: UNASSIGNED_COLOR }];
  /** @type {Band[]} */
  const bands = [];
  for (const lane of lanes) {
    const mine = steps.filter((s) => ownerOf(s) === lane.id);
    if (!mine.length) continue;
    const top = Math.min(...mine.map((s) => s.y)) - LANE_PAD;
    const bottom = Math.max(...mine.map((s) => s.y + stepReach(s, figures))) + LANE_PAD;
    bands.push({ ...lane, x: left, y: top, w: right - left, h: bottom - top });
  }
  return bands;
}

/**
 * The team whose lane a point is in (the first such band, top down), or null: a
 * step added there joins that team, so it never draws an "Unassigned" band over
 * the lane with the two names on top of each other.
 * @param {Map<string, any>|Iterable<any>} elements
 * @param {Team[]|null|undefined} teams
 * @param {{x: number, y: number}} point
 * @param {LaneFigures} [figures]
 * @returns {string|null}
 */
export function laneAt(elements, teams, point, figures = {}) {
  for (const band of laneBands(elements, teams, figures)) {
    if (band.id && point.y >= band.y && point.y <= band.y + band.h) return band.id;
  }
  return null;
}

/** Between one lane's band and the next, so two lanes never touch (app/domain/tidy_lanes.py LANE_GAP). */
export const LANE_GAP = 16;

/**
 * The moves that stack overlapping lanes in their order, top down, each band clear of
 * the one above: a lane moves down (its steps, and each queue with the step it stands
 * before on its row) by as much as it must, never up. With the lanes on before anyone
 * owned a step, the steps given owners one by one stay on the map's one row and every
 * band lay over the others until a tidy; now each owner picked moves what must move
 * with it. Bands clear of each other are left where people put them, in any order.
 *
 *   lanesApart(elements, teams);   // [{id: 's-build', y: 420}, ...]: [] when no band overlaps
 *
 * @param {Map<string, any>|Iterable<any>} elements
 * @param {Team[]|null|undefined} teams
 * @param {LaneFigures} [figures]
 * @returns {{id: string, y: number}[]}
 */
export function lanesApart(elements, teams, figures = {}) {
  const all = elements instanceof Map ? [...elements.values()] : [...elements];
  const bands = laneBands(all, teams, figures);
  const overlap = bands.some((b, i) => bands.slice(i + 1).some((c) => b.y < c.y + c.h && c.y < b.y + b.h));
  if (!overlap) return [];
  const known = new Set((teams ?? []).map((t) => t.id));
  /** @type {LaneStep[]} */
  const steps = all.filter((e) => e && e.kind === 'step');
  /** @type {Map<string, number>} step id -> how far down it goes */
  const shifts = new Map();
  let bottom = -Infinity;
  for (const band of bands) {
    const mine = steps.filter((s) => (s.owner && known.has(s.owner) ? s.owner : '') === band.id);
    const shift = Math.max(0, bottom + LANE_GAP - band.y);
    for (const s of mine) shifts.set(s.id, shift);
    bottom = band.y + shift + band.h;
  }
  const moves = [];
  for (const s of steps) if (shifts.get(s.id)) moves.push({ id: s.id, y: s.y + /** @type {number} */ (shifts.get(s.id)) });
  for (const e of all) {
    if (e?.kind !== 'inventory') continue;
    const before = queuedFor(e, steps);
    if (before && shifts.get(before.id)) moves.push({ id: e.id, y: e.y + /** @type {number} */ (shifts.get(before.id)) });
  }
  return moves;
}

/**
 * The step a queue stands before: the nearest to its right on its row.
 * @param {{x: number, y: number, w?: number, h?: number}} queue
 * @param {LaneStep[]} steps
 */
function queuedFor(queue, steps) {
  const middle = queue.y + (queue.h ?? 0) / 2;
  let best = null;
  for (const s of steps) {
    if (s.x < queue.x || middle < s.y || middle > s.y + s.h) continue;
    if (!best || s.x < best.x) best = s;
  }
  return best;
}
