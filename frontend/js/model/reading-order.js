// @ts-check
/**
 * The order a map is read in: left to right, then top to bottom (x, then y, then id), the
 * order the server lists steps in (app/domain/flow_path.py READING_KEY; a missing place reads
 * as 0). Tab goes through the map's boxes in it, not in the order they were made.
 *
 *   readingNeighbours(elements, 's-2');   // {before: 's-1', after: 's-3'}: ids, null at either end
 *   readingNeighbours(elements, null);    // {before: the last box, after: the first}
 */

import { isBox } from './boxes.js';

/** @typedef {{id: string, x?: number|null, y?: number|null}} Placed */

/**
 * Negative when `a` is read before `b`, positive after (never 0 for two ids).
 * @param {Placed} a @param {Placed} b
 */
export function readingCompare(a, b) {
  return (a.x ?? 0) - (b.x ?? 0) || (a.y ?? 0) - (b.y ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The boxes just before and just after `id` in reading order, in one look at each element (this
 * runs as the view pans, on maps of thousands). With no `id`, or one that is not a box on the
 * map, `after` is the first box and `before` the last.
 * @param {Map<string, import('../protocol.js').Element>} elements
 * @param {string|null} id
 * @returns {{before: string|null, after: string|null}}
 */
export function readingNeighbours(elements, id) {
  const found = id === null ? undefined : elements.get(id);
  const at = found && isBox(found) ? found : undefined;
  /** @type {Placed|null} */ let before = null;
  /** @type {Placed|null} */ let after = null;
  for (const el of elements.values()) {
    if (!isBox(el) || el === at) continue;
    const side = at ? readingCompare(el, at) : 0;
    if (side >= 0 && (!after || readingCompare(el, after) < 0)) after = el;
    if (side <= 0 && (!before || readingCompare(el, before) > 0)) before = el;
  }
  return { before: before?.id ?? null, after: after?.id ?? null };
}
