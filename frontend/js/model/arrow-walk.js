// @ts-check
/**
 * Reaching arrows from the keyboard: Tab visits the boxes (steps, queues, notes);
 * from a selected box, A selects its arrows one after another, and Shift+A goes
 * back to the box. Pure: the page's keyboard handler keeps which box it started from.
 *
 *   const arrows = arrowsOf(elements, 'review');           // out of it, then into it
 *   const next = nextArrow(elements, 'review', current);   // the one after `current`, round again
 */

import { center, rectOf } from './geometry.js';

/** @typedef {import('../protocol.js').Element} BoardElement */

/**
 * The arrows that touch box `id`: those leaving it first, then those coming in; each
 * group in the order of the box at its other end, left to right, then top to bottom.
 * @param {Map<string, BoardElement>} elements
 * @param {string} id
 * @returns {BoardElement[]}
 */
export function arrowsOf(elements, id) {
  /** @type {[number, number, number, BoardElement][]} */
  const found = [];
  for (const el of elements.values()) {
    if (el.kind !== 'connector' || (el.source !== id && el.target !== id)) continue;
    const out = el.source === id;
    const other = elements.get((out ? el.target : el.source) ?? '');
    if (!other) continue; // an arrow whose other end is gone is not drawn
    const at = center(rectOf(other));
    found.push([out ? 0 : 1, at.x, at.y, el]);
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return found.map((entry) => entry[3]);
}

/**
 * The arrow of box `anchor` after `current` (the first when `current` is none of them,
 * the first again after the last); null when the box has no arrows.
 * @param {Map<string, BoardElement>} elements
 * @param {string} anchor
 * @param {string|null} current
 * @returns {BoardElement|null}
 */
export function nextArrow(elements, anchor, current) {
  const arrows = arrowsOf(elements, anchor);
  if (!arrows.length) return null;
  const at = arrows.findIndex((el) => el.id === current);
  return arrows[(at + 1) % arrows.length];
}

/**
 * The box the walk goes round: the selected box itself, or, from a selected arrow, the
 * box it started from if that is one of the arrow's ends, else the arrow's source.
 * @param {BoardElement} selected
 * @param {string|null} started
 * @returns {string|null}
 */
export function walkAnchor(selected, started) {
  if (selected.kind !== 'connector') return selected.id;
  if (started && (selected.source === started || selected.target === started)) return started;
  return selected.source ?? null;
}
