// @ts-check
/**
 * Copy and paste without a DOM: what a copy of the selection holds, its text
 * form for the system clipboard (JSON tagged as Flowmap, so a paste can tell
 * it from any other text, and another board can read it), and the create
 * operations a paste makes: fresh ids, arrows rewired to the copies, the
 * group moved to the pointer or a little off its original place.
 *
 *   const clip = copyElements(view.elements, selection);         // null when nothing copyable
 *   const text = clipText(clip);                                  // '{"type":"flowmap/elements",...}'
 *   const again = readClip(text);                                 // the clip, or null for other text
 *   const {edits, ids} = pasteEdits(again, {at: pointer, newId}); // one create per element
 */

import { MAX_COORD } from '../protocol.js';
import { boundsOf } from './align.js';
import { isBox } from './boxes.js';
import { rectOf } from './geometry.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {import('../commands/history.js').Edit} Edit
 * @typedef {import('./geometry.js').Point} Point
 * @typedef {{type: typeof CLIP_TYPE, version: number, elements: BoardElement[]}} Clip
 */

/** The tag that marks clipboard text as Flowmap elements. */
export const CLIP_TYPE = 'flowmap/elements';
// Bump when the clip's shape changes in a way an older page cannot read.
export const CLIP_VERSION = 1;
/** How far a paste without a pointer (or a duplicate) lands from the original. */
export const PASTE_OFFSET = 24;

// The fields a client may set when it creates each kind, as app/domain/fields.py
// lists them (STEP_FIELDS, ...). Anything else an element carries (provenance and
// other server-stamped fields, fields from a newer version) stays behind, so the
// server never refuses a paste because of it. A figure's typed text (wait_text) stays
// behind too: on another board's calendar "1w" may be other minutes, which the server
// refuses; the copy shows its minutes by the one rule instead.
const BOX_FIELDS = ['x', 'y', 'w', 'h', 'text', 'color'];
/** @type {Record<string, readonly string[]>} */
const SETTABLE = Object.freeze({
  step: [...BOX_FIELDS, 'wait_minutes', 'process_minutes', 'pca', 'people', 'waste', 'walk_ready', 'walk_start', 'walk_end'],
  inventory: [...BOX_FIELDS, 'count'],
  note: [...BOX_FIELDS, 'variant'],
  experiment: [...BOX_FIELDS, 'metric', 'baseline', 'target', 'review', 'status', 'result'],
  connector: ['text', 'color', 'source', 'target', 'connector', 'rework_rate'],
  // Who wrote these (author, author_id, at) the server stamps from the connection.
  comment: ['target', 'parent', 'text'],
  estimate: ['target', 'field', 'minutes'],
  vote: ['text', 'dots', 'open'],
  dot: ['vote', 'target'],
});

/**
 * The element as a create may carry it: only fields a client may set (a
 * comment's author is stamped by the server, never sent). Kinds this page does
 * not know come back unchanged.
 * @param {BoardElement} el
 * @returns {BoardElement}
 */
export function creatable(el) {
  return SETTABLE[el.kind] ? portable(el) : el;
}

// What a step keeps only on its own board (an undone delete puts it back there): its team
// (a team id of this board) and its figures as typed (on this board's calendar).
const SAME_BOARD = Object.freeze({ step: ['owner', 'wait_text', 'process_text'] });

/**
 * The element as a create that puts it back on its own board may carry it: what
 * `creatable` keeps, and its team and typed figures.
 * @param {BoardElement} el
 * @returns {BoardElement}
 */
export function restorable(el) {
  const source = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (el));
  const out = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (creatable(el)));
  for (const name of /** @type {Record<string, string[]>} */ (SAME_BOARD)[el.kind] ?? []) {
    if (source[name] !== undefined) out[name] = source[name];
  }
  return /** @type {BoardElement} */ (/** @type {unknown} */ (out));
}

/**
 * @param {BoardElement} el
 * @returns {BoardElement}
 */
function portable(el) {
  const fields = SETTABLE[el.kind] ?? [];
  const source = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (el));
  const out = /** @type {Record<string, unknown>} */ ({ id: el.id, kind: el.kind });
  for (const name of fields) {
    if (source[name] !== undefined) out[name] = structuredClone(source[name]);
  }
  return /** @type {BoardElement} */ (/** @type {unknown} */ (out));
}

/**
 * A copy of the selected boxes, with every arrow that runs between two of them
 * (selected or not); arrows whose ends are not both copied stay behind.
 * @param {Map<string, BoardElement>} elements the board view
 * @param {Iterable<string>} ids the selection
 * @returns {Clip|null} null when nothing in the selection can be copied
 */
export function copyElements(elements, ids) {
  const boxes = [...ids].map((id) => elements.get(id)).filter((el) => el !== undefined && isBox(el));
  if (!boxes.length) return null;
  const copied = new Set(boxes.map((el) => /** @type {BoardElement} */ (el).id));
  const arrows = [...elements.values()].filter((el) => el.kind === 'connector'
    && copied.has(el.source ?? '') && copied.has(el.target ?? ''));
  return {
    type: CLIP_TYPE,
    version: CLIP_VERSION,
    elements: [.../** @type {BoardElement[]} */ (boxes), ...arrows].map(portable),
  };
}

/** @param {Clip} clip @returns {string} the text put on the system clipboard */
export function clipText(clip) {
  return JSON.stringify(clip);
}

/**
 * A clip from clipboard text, or null when the text is anything else.
 * Checks the shape only; the server checks every value when the paste arrives.
 * @param {string|null|undefined} text
 * @returns {Clip|null}
 */
export function readClip(text) {
  if (!text || !text.trimStart().startsWith('{')) return null;
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!data || data.type !== CLIP_TYPE || data.version !== CLIP_VERSION || !Array.isArray(data.elements)) return null;
  const boxes = data.elements.filter((/** @type {any} */ el) => el && typeof el.id === 'string' && isBox(el));
  const ids = new Set(boxes.map((/** @type {BoardElement} */ el) => el.id));
  const arrows = data.elements.filter((/** @type {any} */ el) => el && typeof el.id === 'string'
    && el.kind === 'connector' && ids.has(el.source) && ids.has(el.target));
  if (!boxes.length) return null;
  return { type: CLIP_TYPE, version: CLIP_VERSION, elements: [...boxes, ...arrows].map(portable) };
}

/** @param {number} v */
const onBoard = (v) => Math.min(MAX_COORD, Math.max(-MAX_COORD, Math.round(v)));

/**
 * The creates that paste a clip: boxes first, then the arrows between them
 * (the server checks an arrow's ends exist), each with a fresh id.
 * @param {Clip} clip
 * @param {{at?: Point|null, offset?: number, newId: (kind: import('../protocol.js').ElementKind) => string}} opts
 *   `at`: centre the group on this canvas point; otherwise shift it by `offset` (default PASTE_OFFSET)
 * @returns {{edits: Edit[], ids: string[]}} ids of the new elements, boxes first
 */
export function pasteEdits(clip, opts) {
  const boxes = clip.elements.filter(isBox);
  const area = boundsOf(boxes.map(rectOf));
  if (!area) return { edits: [], ids: [] };
  const offset = opts.offset ?? PASTE_OFFSET;
  const shift = opts.at
    ? { x: Math.round(opts.at.x - (area.x + area.w / 2)), y: Math.round(opts.at.y - (area.y + area.h / 2)) }
    : { x: offset, y: offset };
  /** @type {Map<string, string>} */
  const renamed = new Map(boxes.map((el) => [el.id, opts.newId(el.kind)]));
  /** @type {BoardElement[]} */
  const made = boxes.map((el) => ({
    ...structuredClone(el), id: renamed.get(el.id) ?? el.id,
    x: onBoard((el.x ?? 0) + shift.x), y: onBoard((el.y ?? 0) + shift.y),
  }));
  for (const el of clip.elements) {
    const source = renamed.get(el.source ?? '');
    const target = renamed.get(el.target ?? '');
    if (el.kind === 'connector' && source && target) {
      made.push({ ...structuredClone(el), id: opts.newId('connector'), source, target });
    }
  }
  return { edits: made.map((element) => ({ op: 'create', element })), ids: made.map((el) => el.id) };
}
