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
// Far enough from the steps for an inventory triangle that may sit before the first one.
export const EDGE_GAP = 112;
// The header: a title line, a scope line and a line of who is who.
export const HEADER_HEIGHT = 96;
const HEADER_GAP = 40;
// The constraint's badge stands this far over its step (canvas/metrics-layer.js): the
// header keeps clear of it, by this much.
export const BADGE_ABOVE = 44;
const BADGE_GAP = 12;
// The header is at least as wide as its longest line needs, so nothing in it is cut:
// canvas units per character of the title (28 px bold), the scope (16 px) and the people line.
const TITLE_CHAR = 17;
const SCOPE_CHAR = 9;
const PEOPLE_CHAR = 8;
const HEADER_MIN_W = 480;
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
  const trigger = text('trigger')
    ? { x: first.x - EDGE_GAP - EDGE_SIZE.w, y: row - EDGE_SIZE.h / 2, ...EDGE_SIZE, text: text('trigger') } : null;
  const lastRow = last.y + last.h / 2;
  const delivery = text('delivery')
    ? { x: last.x + last.w + EDGE_GAP, y: lastRow - EDGE_SIZE.h / 2, ...EDGE_SIZE, text: text('delivery') } : null;
  const arrows = [];
  if (trigger) arrows.push({ from: trigger, to: first });
  if (delivery) arrows.push({ from: last, to: delivery });
  const left = trigger?.x ?? first.x;
  const right = delivery ? delivery.x + delivery.w : last.x + last.w;
  const people = [text('customer') && `Customer: ${text('customer')}`, text('owner') && `Value-stream owner: ${text('owner')}`]
    .filter(Boolean).join('   ·   ');
  const top = Math.min(topOf(elements), lane?.y ?? Infinity);
  const constraint = metrics?.constraint ? elements.get(metrics.constraint.id) : undefined;
  const badge = constraint ? rectOf(constraint).y - BADGE_ABOVE - BADGE_GAP : Infinity;
  const bottom = Math.min(top - HEADER_GAP, badge);
  const header = text('title') || text('scope') || people
    ? { x: left, y: bottom - HEADER_HEIGHT, h: HEADER_HEIGHT, title: text('title'), scope: text('scope'), people,
      w: Math.max(right - left, HEADER_MIN_W, [...text('title')].length * TITLE_CHAR,
        [...text('scope')].length * SCOPE_CHAR, [...people].length * PEOPLE_CHAR) }
    : null;
  const boxes = [header, trigger, delivery, first, last, lane].filter((b) => b !== null);
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.w));
  const y1 = Math.max(...boxes.map((b) => b.y + b.h));
  return { header, trigger, delivery, arrows, lane, bounds: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } };
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
