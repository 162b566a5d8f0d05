// @ts-check
/**
 * Where the map's frame goes on the canvas: the header (title, scope, customer
 * and owner) above the map, the trigger at its left edge and the delivered value
 * at its right edge, each joined to the first and last step on the path.
 *
 * Pure layout, no DOM: it follows the steps as they move.
 *
 *   const frame = frameLayout({title: 'Feature delivery', trigger: 'Request'}, metrics, elements);
 *   frame?.trigger;   // {x, y, w, h, text} left of the first step, or null without a trigger
 *
 * A board with a frame but no steps yet (the pre-work) gets the frame around an
 * empty lane: the facilitator and the team see scope, trigger and delivery first.
 */

import { rectOf } from './geometry.js';
import { textHeight, textWidth } from './text-fit.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{x: number, y: number, w: number, h: number}} Rect
 * @typedef {Rect & {text: string}} Edge
 * @typedef {object} FrameLayout
 * @property {Rect & {title: string, scope: string, people: string}|null} header
 * @property {Edge|null} trigger     left of the first step
 * @property {Edge|null} delivery    right of the last step
 * @property {{from: Rect, to: Rect}[]} arrows  trigger -> first step, last step -> delivery
 * @property {Rect|null} lane       on a board without steps: where they will go
 * @property {Rect} bounds           everything the frame draws
 */

export const EDGE_SIZE = { w: 168, h: 72 };
// A trigger or delivered value too long for EDGE_SIZE grows as tall as its words need (as
// the exports' pills do: app/export/layout.py edge_height): nothing on the frame is cut off.
// Far enough from the steps for an inventory triangle that may sit before the first one.
export const EDGE_GAP = 112;
// The header: at least a title line, a scope line and a line of who is who.
export const HEADER_HEIGHT = 96;
const HEADER_GAP = 40;
// The constraint's badge stands this far over its step (canvas/metrics-layer.js): the
// header keeps clear of it, by this much.
export const BADGE_ABOVE = 44;
const BADGE_GAP = 12;
// The header is as wide as the map, or as its longest line needs up to HEADER_MAX_W; a
// longer title, scope or people line wraps, and the header grows upwards to show it whole.
const HEADER_MIN_W = 480;
export const HEADER_MAX_W = 1200;
// The header's lines and the edges' words as frame.css sets them (text-fit.js estimates
// generously, so an estimate of n lines never needs n + 1).
export const TITLE_TEXT = Object.freeze({ size: 28, lineHeight: 32.2, padX: 0, padY: 0, bold: true });
const SCOPE_TEXT = Object.freeze({ size: 16, lineHeight: 21.6, padX: 0, padY: 0 });
const PEOPLE_TEXT = Object.freeze({ size: 13.5, lineHeight: 18.3, padX: 0, padY: 0 });
const HEADER_LINE_GAP = 4;
// An edge's words (13 px on 1.25 lines) under its caption (one line of 10.5 on 1.2), inside
// a 2 px border and 8 x 12 px of padding.
const EDGE_TEXT = Object.freeze({ size: 13, lineHeight: 16.25, padX: 14, padY: 0 });
const EDGE_CHROME_H = 12.6 + 2 * 8 + 2 * 2 + 4;
// Before the first step (the workshop's pre-work), the frame stands around a lane this
// size at the origin: room for four steps, so the trigger and the delivered value show.
export const LANE = { x: 0, y: 0, w: 4 * 168 + 3 * 144, h: 96 };

/**
 * @param {Record<string, unknown>} frame the board's frame fields
 * @param {{path?: string[], constraint?: {id: string}|null}|null} metrics
 * @param {Map<string, BoardElement>} elements
 * @returns {FrameLayout|null}
 */
export function frameLayout(frame, metrics, elements) {
  const text = (/** @type {string} */ key) => (typeof frame[key] === 'string' ? /** @type {string} */ (frame[key]).trim() : '');
  const found = pathEnds(metrics, elements);
  const fields = ['title', 'scope', 'customer', 'owner', 'trigger', 'delivery'].some((key) => text(key));
  if (!found && !fields) return null;
  const lane = found ? null : { ...LANE };
  const [first, last] = found ?? [lane, lane];
  const row = first.y + first.h / 2;
  const trigger = text('trigger') ? edgeBox(text('trigger'), first.x - EDGE_GAP, row, 'left') : null;
  const lastRow = last.y + last.h / 2;
  const delivery = text('delivery') ? edgeBox(text('delivery'), last.x + last.w + EDGE_GAP, lastRow, 'right') : null;
  const arrows = [];
  if (trigger) arrows.push({ from: trigger, to: first });
  if (delivery) arrows.push({ from: last, to: delivery });
  const left = trigger?.x ?? first.x;
  const right = delivery ? delivery.x + delivery.w : last.x + last.w;
  const people = [text('customer') && `Customer: ${text('customer')}`, text('owner') && `Value-stream owner: ${text('owner')}`]
    .filter(Boolean).join('   ·   ');
  const top = Math.min(topOf(elements), lane?.y ?? Infinity, trigger?.y ?? Infinity, delivery?.y ?? Infinity);
  const constraint = metrics?.constraint ? elements.get(metrics.constraint.id) : undefined;
  const badge = constraint ? rectOf(constraint).y - BADGE_ABOVE - BADGE_GAP : Infinity;
  const bottom = Math.min(top - HEADER_GAP, badge);
  const lines = /** @type {const} */ ([[text('title'), TITLE_TEXT], [text('scope'), SCOPE_TEXT], [people, PEOPLE_TEXT]])
    .filter(([words]) => words);
  let header = null;
  if (lines.length) {
    const longest = Math.max(...lines.map(([words, style]) => textWidth(words, style)));
    const w = Math.max(right - left, HEADER_MIN_W, Math.min(longest, HEADER_MAX_W));
    const needed = lines.reduce((sum, [words, style]) => sum + textHeight(words, w, style), 0)
      + HEADER_LINE_GAP * (lines.length - 1);
    const h = Math.max(HEADER_HEIGHT, Math.ceil(needed));
    header = { x: left, y: bottom - h, w, h, title: text('title'), scope: text('scope'), people };
  }
  const boxes = [header, trigger, delivery, first, last, lane].filter((b) => b !== null);
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.w));
  const y1 = Math.max(...boxes.map((b) => b.y + b.h));
  return { header, trigger, delivery, arrows, lane, bounds: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } };
}

/**
 * The trigger (left of `x`) or the delivered value (right of it), on `row`, as tall as
 * its words need.
 * @param {string} words
 * @param {number} x
 * @param {number} row
 * @param {'left'|'right'} side
 * @returns {Edge}
 */
function edgeBox(words, x, row, side) {
  const w = EDGE_SIZE.w;
  const h = Math.max(EDGE_SIZE.h, Math.ceil(textHeight(words, w, EDGE_TEXT) + EDGE_CHROME_H));
  // A tall one grows upwards from where a short one's foot is: below the row are the
  // data boxes and the ladder's totals, above it only the header, which keeps clear.
  return { x: side === 'left' ? x - w : x, y: row + EDGE_SIZE.h / 2 - h, w, h, text: words };
}

/**
 * The first and last step of the flow: the metrics' path, else the leftmost and rightmost step.
 * @param {{path?: string[]}|null} metrics
 * @param {Map<string, BoardElement>} elements
 * @returns {[Rect, Rect]|null}
 */
function pathEnds(metrics, elements) {
  const onPath = (metrics?.path ?? []).map((id) => elements.get(id)).filter((el) => el?.kind === 'step');
  if (onPath.length) return [rectOf(/** @type {BoardElement} */ (onPath[0])), rectOf(/** @type {BoardElement} */ (onPath[onPath.length - 1]))];
  const steps = [...elements.values()].filter((el) => el.kind === 'step').map(rectOf);
  if (!steps.length) return null;
  steps.sort((a, b) => a.x - b.x);
  return [steps[0], steps[steps.length - 1]];
}

/** @param {Map<string, BoardElement>} elements */
function topOf(elements) {
  let top = Infinity;
  for (const el of elements.values()) if (el.kind !== 'connector') top = Math.min(top, rectOf(el).y);
  return top;
}
