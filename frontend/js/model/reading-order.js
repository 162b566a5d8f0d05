// @ts-check
/**
 * The order a map is read in: column by column from the left, each top to bottom, the order
 * the server lists steps off the flow in (app/domain/reading_order.py; a missing place reads
 * as 0). Boxes put in a column by hand are a few pixels out of line: a box whose left edge is
 * within COLUMN_SLACK of its column's leftmost box is in that column, so Tab goes down the
 * column instead of zigzagging between its rows. Tab goes through the map's boxes in this
 * order, not in the order they were made. tests/fixtures/reading_order/cases.json holds the
 * page and the server to the same answers.
 *
 *   readingNeighbours(elements, 's-2');   // {before: 's-1', after: 's-3'}: ids, null at either end
 *   readingNeighbours(elements, null);    // {before: the last box, after: the first}
 */

import { isBox } from './boxes.js';

/** @typedef {{id: string, x?: number|null, y?: number|null}} Placed */

// Canvas pixels (the server's COLUMN_SLACK): boxes a hand put "in line" are within a few
// pixels, a deliberate stagger is half a box (168 wide). 40 tells them apart.
export const COLUMN_SLACK = 40;

/** @param {string} a @param {string} b */
const byId = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Negative when `a` is placed before `b` by x, then y, then id (never 0 for two ids): the
 * sweep that finds the columns goes in this order.
 * @param {Placed} a @param {Placed} b
 */
function byPlace(a, b) {
  return (a.x ?? 0) - (b.x ?? 0) || (a.y ?? 0) - (b.y ?? 0) || byId(a.id, b.id);
}

/**
 * `boxes` in reading order: columns left to right (COLUMN_SLACK), each top to bottom,
 * then left to right, then by id.
 * @template {Placed} T
 * @param {Iterable<T>} boxes
 * @returns {T[]}
 */
export function readingOrder(boxes) {
  const placed = [...boxes].sort(byPlace);
  /** @type {Array<{box: T, column: number}>} */
  const ranked = [];
  let column = -1;
  let anchor = 0;
  for (const box of placed) {
    const x = box.x ?? 0;
    if (column < 0 || x - anchor > COLUMN_SLACK) {
      column += 1;
      anchor = x;
    }
    ranked.push({ box, column });
  }
  ranked.sort((a, b) => a.column - b.column || (a.box.y ?? 0) - (b.box.y ?? 0) || byPlace(a.box, b.box));
  return ranked.map(({ box }) => box);
}

/**
 * The boxes just before and just after `id` in reading order. With no `id`, or one that is
 * not a box on the map, `after` is the first box and `before` the last. One sort of the
 * map's boxes: it runs on a Tab, and when the map or the one selected box changes
 * (canvas/render.js keeps the neighbours of a selection drawn), never per frame otherwise.
 * @param {Map<string, import('../protocol.js').Element>} elements
 * @param {string|null} id
 * @returns {{before: string|null, after: string|null}}
 */
export function readingNeighbours(elements, id) {
  /** @type {Placed[]} */
  const boxes = [];
  for (const el of elements.values()) if (isBox(el)) boxes.push(el);
  const order = readingOrder(boxes);
  const at = id === null ? -1 : order.findIndex((box) => box.id === id);
  if (at < 0) return { before: order.at(-1)?.id ?? null, after: order[0]?.id ?? null };
  return { before: order[at - 1]?.id ?? null, after: order[at + 1]?.id ?? null };
}
