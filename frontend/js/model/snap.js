// @ts-check
/**
 * Snapping while dragging, without a DOM: pull the dragged box so one of its
 * edges or its centre lines up with an edge or centre of another box, when it
 * is already within a few pixels, and say which guide lines to draw.
 *
 *   const s = snap({x: 103, y: 0, w: 50, h: 50}, [{x: 100, y: 200, w: 80, h: 40}], 6);
 *   s.dx;       // -3: the left edges line up at x = 100
 *   s.guides;   // [{axis: 'x', at: 100, from: 0, to: 240}]  a vertical line through both boxes
 */

/**
 * @typedef {import('./geometry.js').Rect} Rect
 * @typedef {'x'|'y'} Axis
 * @typedef {{axis: Axis, at: number, from: number, to: number}} Guide
 *   axis 'x': a vertical line x = at, from y = from to y = to; axis 'y': a horizontal one
 * @typedef {{dx: number, dy: number, guides: Guide[]}} Snap
 */

/** How close, in screen pixels, a line must come before it snaps. */
export const SNAP_PIXELS = 6;
// Positions are whole canvas units; lines closer than this are the same line.
const SAME_LINE = 0.5;

/**
 * A box's start, centre and end along an axis.
 * @param {Rect} r
 * @param {Axis} axis
 */
function lines(r, axis) {
  const start = axis === 'x' ? r.x : r.y;
  const size = axis === 'x' ? r.w : r.h;
  return [start, start + size / 2, start + size];
}

/**
 * The smallest shift (within the threshold) that lines the box up with a target, or null.
 * @param {Rect} moving
 * @param {Rect[]} targets
 * @param {Axis} axis
 * @param {number} threshold
 */
function nearest(moving, targets, axis, threshold) {
  /** @type {number|null} */
  let best = null;
  const mine = lines(moving, axis);
  for (const t of targets) {
    for (const v of lines(t, axis)) {
      for (const m of mine) {
        const d = v - m;
        if (Math.abs(d) <= threshold && (best === null || Math.abs(d) < Math.abs(best))) best = d;
      }
    }
  }
  return best;
}

/**
 * The guides along one axis for a box that is already lined up: one line per
 * shared coordinate, long enough to run through the box and every target on it.
 * @param {Rect} box
 * @param {Rect[]} targets
 * @param {Axis} axis
 * @returns {Guide[]}
 */
function guidesAlong(box, targets, axis) {
  /** @type {Map<number, Guide>} */
  const found = new Map();
  const across = axis === 'x' ? 'y' : 'x';
  const size = axis === 'x' ? 'h' : 'w';
  const mine = lines(box, axis);
  for (const t of targets) {
    for (const v of lines(t, axis)) {
      const m = mine.find((line) => Math.abs(line - v) < SAME_LINE);
      if (m === undefined) continue;
      const from = Math.min(box[across], t[across]);
      const to = Math.max(box[across] + box[size], t[across] + t[size]);
      const g = found.get(m);
      if (g) {
        g.from = Math.min(g.from, from);
        g.to = Math.max(g.to, to);
      } else found.set(m, { axis, at: m, from, to });
    }
  }
  return [...found.values()];
}

/**
 * Where a dragged box should go to line up with the others, and the guides to show.
 * Each axis snaps on its own: the nearest pair of lines within `threshold` wins.
 * @param {Rect} moving the dragged box (or the box around a dragged group), where the pointer puts it
 * @param {Rect[]} targets the boxes it may line up with (not itself)
 * @param {number} threshold in canvas units (a few screen pixels divided by the zoom)
 * @returns {Snap}
 */
export function snap(moving, targets, threshold) {
  const dx = nearest(moving, targets, 'x', threshold);
  const dy = nearest(moving, targets, 'y', threshold);
  const placed = { ...moving, x: moving.x + (dx ?? 0), y: moving.y + (dy ?? 0) };
  return {
    dx: dx ?? 0,
    dy: dy ?? 0,
    guides: [
      ...(dx === null ? [] : guidesAlong(placed, targets, 'x')),
      ...(dy === null ? [] : guidesAlong(placed, targets, 'y')),
    ],
  };
}
