// @ts-check
/**
 * Board geometry without a DOM: element boxes, where arrows meet borders, the
 * curve between them, hit tests and fitting a view. All in canvas units.
 *
 *   const a = rectOf(step), b = rectOf(other);
 *   connectorPath(a, b, 'flow').d;   // "M 168 48 C ..."  right edge of a to left edge of b
 */

import { boxOf, footprintOf, isBox } from './boxes.js';

/**
 * @typedef {import('../protocol.js').Element} Element
 * @typedef {{x: number, y: number}} Point
 * @typedef {{x: number, y: number, w: number, h: number}} Rect
 * @typedef {'left'|'right'|'top'|'bottom'} Side
 * @typedef {Point & {side: Side}} Anchor
 * @typedef {{d: string, start: Anchor, end: Anchor, mid: Point}} ConnectorPath
 * @typedef {{x: number, y: number, k: number}} View  screen = world * k + (x, y)
 */

/** @type {Record<Side, Point>} */
const NORMAL = {
  left: { x: -1, y: 0 },
  right: { x: 1, y: 0 },
  top: { x: 0, y: -1 },
  bottom: { x: 0, y: 1 },
};

// How far a curve's control points reach out of a border: long enough to read
// as leaving that side, short enough that close notes still get a gentle S.
const MIN_BEND = 24;
const MAX_BEND = 120;
// A rework loop runs this far under the lowest data box between its ends, far
// enough that its arrowhead and rate label clear them, close enough to stay above
// the lead-time ladder (which leaves it model/ladder.js REWORK_BAND).
const REWORK_CLEARANCE = 22;
// Its corners are rounded this much (less when the loop is tighter).
const REWORK_RADIUS = 14;
// It leaves and enters a data box this far under it, so the arrowhead is seen whole.
const REWORK_GAP = 3;
// A loop from a step onto itself leaves and enters this share of its width off its middle.
const SELF_LOOP_SPREAD = 0.25;
// Arrows between the same two boxes (a back arrow beside a forward one) sit this
// far apart: more than an arrow's hit stroke (canvas.css, 14), so each can be clicked.
export const LANE_GAP = 20;

/**
 * @typedef {{sourceInset?: number, targetInset?: number, lane?: number,
 *   sourceFoot?: number, targetFoot?: number, floor?: number}} Route
 *   insets: how far in from the box an arrow meets the outline; lane: shift to one
 *   side (see laneOffsets); rework loops: each end's foot (the bottom of what is drawn
 *   under it) and the floor (the lowest foot between the ends) to pass under
 */

/**
 * The box of an element as drawn (connectors have none): model/boxes.js says
 * what a box is for every kind; this is its name where geometry is done.
 * @param {Element} el
 * @returns {Rect}
 */
export function rectOf(el) {
  return boxOf(el);
}

/** @param {Rect} r @returns {Point} */
export function center(r) {
  return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
}

/**
 * Where the ray from the rect's centre towards `toward` crosses its border.
 * @param {Rect} r
 * @param {Point} toward
 * @returns {Anchor}
 */
export function borderPoint(r, toward) {
  const c = center(r);
  const dx = toward.x - c.x;
  const dy = toward.y - c.y;
  if (dx === 0 && dy === 0) return { x: r.x + r.w, y: c.y, side: 'right' };
  const tx = dx === 0 ? Infinity : r.w / 2 / Math.abs(dx);
  const ty = dy === 0 ? Infinity : r.h / 2 / Math.abs(dy);
  const t = Math.min(tx, ty);
  /** @type {Side} */
  const side = tx <= ty ? (dx > 0 ? 'right' : 'left') : dy > 0 ? 'bottom' : 'top';
  return { x: c.x + dx * t, y: c.y + dy * t, side };
}

/**
 * The middle of the side facing `toward`: arrows attach there, diagram-style.
 * `inset` pulls left/right anchors inwards (a triangle is narrower at mid-height).
 * @param {Rect} r
 * @param {Point} toward
 * @param {number} [inset]
 * @returns {Anchor}
 */
export function sideAnchor(r, toward, inset = 0) {
  return anchorOn(r, borderPoint(r, toward).side, inset);
}

/**
 * The middle of side `side` of `r`.
 * @param {Rect} r @param {Side} side @param {number} inset @returns {Anchor}
 */
function anchorOn(r, side, inset) {
  const c = center(r);
  if (side === 'left') return { x: r.x + inset, y: c.y, side };
  if (side === 'right') return { x: r.x + r.w - inset, y: c.y, side };
  if (side === 'top') return { x: c.x, y: r.y, side };
  return { x: c.x, y: r.y + r.h, side };
}

/**
 * A box with what is drawn under it (a step's data box) down to `foot`.
 * @param {Rect} r @param {number} [foot] @returns {Rect}
 */
function reaching(r, foot) {
  return foot === undefined || foot <= r.y + r.h ? r : { ...r, h: foot - r.y };
}

/**
 * Where an arrow meets a box whose footprint (box and data box) is `reach`:
 * the side of the footprint facing `toward`, so an arrow never runs through
 * a data box. Left and right at the box's mid-height; bottom under the data box.
 * @param {Rect} box @param {Rect} reach @param {Point} toward @param {number} inset
 * @returns {Anchor}
 */
function endAnchor(box, reach, toward, inset) {
  const { side } = borderPoint(reach, toward);
  return side === 'bottom' ? { x: center(box).x, y: reach.y + reach.h, side } : anchorOn(box, side, inset);
}

/** @param {Element} el how far in from its box an arrow meets this kind's outline */
export function anchorInset(el) {
  return el.kind === 'inventory' ? rectOf(el).w / 4 : 0;
}

/** @param {number} v @param {number} lo @param {number} hi */
export const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** @param {number} n */
const fmt = (n) => String(Math.round(n * 10) / 10);

/**
 * A smooth arrow from the source's border to the target's. Flow and info
 * arrows join facing sides; rework loops run under both ends' data boxes and
 * everything between them, with rounded corners.
 * @param {Rect} source
 * @param {Rect} target
 * @param {string} [kind] connector kind: flow | rework | info
 * @param {Route} [opts]
 * @returns {ConnectorPath}
 */
export function connectorPath(source, target, kind = 'flow', opts = {}) {
  if (kind === 'rework') return reworkPath(source, target, opts);
  const from = reaching(source, opts.sourceFoot);
  const to = reaching(target, opts.targetFoot);
  let start = endAnchor(source, from, center(to), opts.sourceInset ?? 0);
  let end = endAnchor(target, to, center(from), opts.targetInset ?? 0);
  const bend = clamp(Math.hypot(end.x - start.x, end.y - start.y) * 0.4, MIN_BEND, MAX_BEND);
  let c1 = { x: start.x + NORMAL[start.side].x * bend, y: start.y + NORMAL[start.side].y * bend };
  let c2 = { x: end.x + NORMAL[end.side].x * bend, y: end.y + NORMAL[end.side].y * bend };
  if (opts.lane) {
    const a = center(source);
    const b = center(target);
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const shift = (/** @type {Point} */ p) => ({ ...p, x: p.x - ((b.y - a.y) / length) * (opts.lane ?? 0),
      y: p.y + ((b.x - a.x) / length) * (opts.lane ?? 0) });
    [start, end, c1, c2] = [shift(start), shift(end), shift(c1), shift(c2)];
  }
  const mid = {
    x: (start.x + 3 * c1.x + 3 * c2.x + end.x) / 8,
    y: (start.y + 3 * c1.y + 3 * c2.y + end.y) / 8,
  };
  const d = `M ${fmt(start.x)} ${fmt(start.y)} C ${fmt(c1.x)} ${fmt(c1.y)}, ${fmt(c2.x)} ${fmt(c2.y)}, ${fmt(end.x)} ${fmt(end.y)}`;
  return { d, start, end, mid };
}

/**
 * A rework loop: down from under the source's data box, along beneath every
 * data box between the two, and up into the target's, arrowhead pointing up.
 * @param {Rect} source
 * @param {Rect} target
 * @param {Route} opts
 * @returns {ConnectorPath}
 */
function reworkPath(source, target, opts) {
  // A step that redoes part of its own work: out of its right half, back into its left,
  // as every rework loop runs from later (right) to earlier (left).
  const self = source.x === target.x && source.y === target.y && source.w === target.w && source.h === target.h;
  const spread = self ? source.w * SELF_LOOP_SPREAD : 0;
  const sx = center(source).x + spread;
  const ex = center(target).x - spread;
  const sy = (opts.sourceFoot ?? source.y + source.h) + REWORK_GAP;
  const ey = (opts.targetFoot ?? target.y + target.h) + REWORK_GAP;
  const low = Math.max(sy, ey, opts.floor ?? 0) + REWORK_CLEARANCE;
  const toward = ex < sx ? -1 : 1;
  const r = Math.min(REWORK_RADIUS, Math.abs(ex - sx) / 2, low - Math.max(sy, ey));
  const start = /** @type {Anchor} */ ({ x: sx, y: sy, side: 'bottom' });
  const end = /** @type {Anchor} */ ({ x: ex, y: ey, side: 'bottom' });
  const d = `M ${fmt(sx)} ${fmt(sy)} V ${fmt(low - r)} Q ${fmt(sx)} ${fmt(low)} ${fmt(sx + toward * r)} ${fmt(low)}`
    + ` H ${fmt(ex - toward * r)} Q ${fmt(ex)} ${fmt(low)} ${fmt(ex)} ${fmt(low - r)} V ${fmt(ey)}`;
  return { d, start, end, mid: { x: (sx + ex) / 2, y: low } };
}

/**
 * Arrows that join the same two boxes (either way round, not rework loops,
 * which take their own route) get lanes: offsets to one side of the line between
 * the boxes' centres, LANE_GAP apart, so a back arrow never hides under a
 * forward one. Arrows alone between their ends are not listed (offset 0).
 * @param {Iterable<Element>} elements
 * @returns {Map<string, number>} connector id -> offset, to the left of its own direction
 */
export function laneOffsets(elements) {
  /** @type {Map<string, Element[]>} */
  const pairs = new Map();
  for (const el of elements) {
    if (el.kind !== 'connector' || el.connector === 'rework' || !el.source || !el.target) continue;
    const key = el.source < el.target ? `${el.source} ${el.target}` : `${el.target} ${el.source}`;
    pairs.set(key, [...(pairs.get(key) ?? []), el]);
  }
  const lanes = new Map();
  for (const group of pairs.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    group.forEach((el, i) => {
      // Counted to the left of the lower id's direction; a reversed arrow's own left is the other side.
      const offset = (i - (group.length - 1) / 2) * LANE_GAP;
      lanes.set(el.id, /** @type {string} */ (el.source) < /** @type {string} */ (el.target) ? offset : -offset);
    });
  }
  return lanes;
}

/**
 * How one arrow is routed among the others: its lane, its ends' insets, and
 * for a rework loop the feet of its ends and the floor it must pass under
 * (the lowest data box of any box between its ends, on their band of the map).
 * @param {Element} el the connector
 * @param {Element} source
 * @param {Element} target
 * @param {Map<string, Element>} all
 * @param {Map<string, number>} [lanes] from laneOffsets
 * @param {import('./boxes.js').Figures} [figures] the board's measurement: an arrow keeps off
 *   the measured lines under a step's figures as it keeps off the figures
 * @returns {Route}
 */
export function connectorRoom(el, source, target, all, lanes, figures) {
  const a = footprintOf(source, figures);
  const b = footprintOf(target, figures);
  const route = { sourceInset: anchorInset(source), targetInset: anchorInset(target), lane: lanes?.get(el.id) ?? 0,
    sourceFoot: a.y + a.h, targetFoot: b.y + b.h };
  if (el.connector !== 'rework') return route;
  const left = Math.min(a.x, b.x);
  const right = Math.max(a.x + a.w, b.x + b.w);
  const top = Math.min(a.y, b.y);
  const band = Math.max(rectOf(source).y + rectOf(source).h, rectOf(target).y + rectOf(target).h);
  let floor = Math.max(a.y + a.h, b.y + b.h);
  for (const other of all.values()) {
    if (other.kind === 'connector' || other === source || other === target || !isBox(other)) continue;
    const f = footprintOf(other, figures);
    const between = f.x < right && f.x + f.w > left && f.y < band && f.y + f.h > top;
    if (between) floor = Math.max(floor, f.y + f.h);
  }
  return { ...route, floor };
}

/**
 * Where the "draw an arrow" handle sits: the middle of the right edge.
 * @param {Rect} r
 * @returns {Point}
 */
export function handlePoint(r) {
  return { x: r.x + r.w, y: r.y + r.h / 2 };
}

/**
 * @param {Rect} r
 * @param {Point} p
 * @param {number} [pad] grow the box by this much on every side
 */
export function contains(r, p, pad = 0) {
  return p.x >= r.x - pad && p.x <= r.x + r.w + pad && p.y >= r.y - pad && p.y <= r.y + r.h + pad;
}

/**
 * The topmost box element (drawn last) under a point, or null.
 * @param {Iterable<Element>} elements in drawing order
 * @param {Point} p
 * @param {{pad?: number, except?: string}} [opts]
 * @returns {Element|null}
 */
export function hitTest(elements, p, opts = {}) {
  let hit = null;
  for (const el of elements) {
    if (el.kind === 'connector' || el.id === opts.except) continue;
    if (contains(rectOf(el), p, opts.pad ?? 0)) hit = el;
  }
  return hit;
}

/**
 * The box around every element that has one, or null for an empty board.
 * @param {Iterable<Element>} elements
 * @returns {Rect|null}
 */
export function bounds(elements) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const el of elements) {
    if (el.kind === 'connector') continue;
    const r = rectOf(el);
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.w);
    y1 = Math.max(y1, r.y + r.h);
  }
  return x0 === Infinity ? null : { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * The view that shows `box` whole and centred in a screen of `width` x `height`.
 * @param {Rect} box
 * @param {number} width
 * @param {number} height
 * @param {{padding?: number, minZoom?: number, maxZoom?: number}} [opts]
 * @returns {View}
 */
export function fitView(box, width, height, opts = {}) {
  const padding = opts.padding ?? 64;
  const k = clamp(
    Math.min((width - 2 * padding) / Math.max(box.w, 1), (height - 2 * padding) / Math.max(box.h, 1)),
    opts.minZoom ?? 0.1,
    opts.maxZoom ?? 1,
  );
  const c = center(box);
  // Too big even at the least zoom: its start (top left, where the flow begins) shows,
  // padded, rather than a slice of its middle.
  const x = box.w * k > width - 2 * padding ? padding - box.x * k : width / 2 - c.x * k;
  const y = box.h * k > height - 2 * padding ? padding - box.y * k : height / 2 - c.y * k;
  return { x, y, k };
}

/**
 * The nearest box element from `from` in a direction (arrow-key targeting):
 * candidates must lie more that way than sideways; distance decides.
 * @param {Iterable<Element>} elements
 * @param {Element} from
 * @param {'left'|'right'|'up'|'down'} direction
 * @returns {Element|null}
 */
export function nearestInDirection(elements, from, direction) {
  const o = center(rectOf(from));
  const [ux, uy] = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] }[direction];
  let best = null;
  let bestScore = Infinity;
  for (const el of elements) {
    if (el.kind === 'connector' || el.id === from.id) continue;
    const c = center(rectOf(el));
    const along = (c.x - o.x) * ux + (c.y - o.y) * uy;
    const across = Math.abs((c.x - o.x) * uy - (c.y - o.y) * ux);
    if (along <= 0 || across > along * 2) continue;
    const score = along + across * 2;
    if (score < bestScore) {
      bestScore = score;
      best = el;
    }
  }
  return best;
}

/**
 * The smallest box around all of `boxes`, or null when there are none.
 * @param {Rect[]} boxes
 * @returns {Rect|null}
 */
export function unionBox(boxes) {
  if (!boxes.length) return null;
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.w));
  const y1 = Math.max(...boxes.map((b) => b.y + b.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * The selection's box on the map, where the context bar sits: each element's box,
 * an arrow's label point (an arrow whose ends are missing counts for nothing).
 * @param {Element[]} selected
 * @param {Map<string, Element>} elements
 * @returns {Rect|null}
 */
export function selectionRect(selected, elements) {
  const boxes = selected.map((el) => {
    if (el.kind !== 'connector') return rectOf(el);
    const a = elements.get(el.source ?? '');
    const b = elements.get(el.target ?? '');
    if (!a || !b) return null;
    const { mid } = connectorPath(rectOf(a), rectOf(b), el.connector);
    return { x: mid.x, y: mid.y, w: 0, h: 0 };
  }).filter((r) => r !== null);
  return unionBox(boxes);
}
