// @ts-check
/**
 * What a box on the canvas is: ONE definition, per element kind, that every
 * tool reads (select and drag, the selection box, align and distribute, copy
 * and paste, snapping, arrow-key nudges, hit tests, arrows, placing new
 * elements). A kind missing here cannot be selected with others, moved or
 * copied; a kind listed here can do all of it, the same way.
 *
 * Stored `w`/`h` are a box's minimum size: notes and experiment cards grow
 * downwards to fit their wrapped text, and `boxOf` gives the box they want. On
 * the canvas they grow only into the free room below them (`roomsBelow`): a
 * long note above a step stops short of it, its text ending in "…", and never
 * covers the step or its figures.
 *
 *   isBox(card);                        // true: experiment cards move like the rest
 *   boxOf(longNote);                    // {x, y, w: 168, h: 190}: taller than its stored 120
 *   nudgeMoves(elements, selection, 8, 0);   // every selected box one nudge right
 */

import { DEFAULTS } from '../protocol.js';
import { DATA_GAP, dataBoxHeight } from './data-layout.js';
import { hypothesis } from './experiment.js';
import { measuredLineCount } from './measured.js';
import { BURST_TEXT, CARD_TEXT, NOTE_TEXT, textHeight } from './text-fit.js';

/**
 * @typedef {import('../protocol.js').Element} Element
 * @typedef {import('../protocol.js').Move} Move
 * @typedef {{x: number, y: number, w: number, h: number}} Rect
 * @typedef {Rect & {id: string}} Box
 * @typedef {object} BoxKind
 * @property {boolean} resizes   a corner handle sets its w/h
 * @property {string|null} opens  the side panel's field a double-click opens; null: its label is edited in place
 * @property {(el: Element, w: number) => number} [fit]  the height its content needs at width w
 * @property {(el: Element, r: Rect, lines: number) => Rect} [footprint]  what it draws beyond its box
 *   (`lines`: the measured lines an event log adds under a step's figures)
 * @typedef {{measured?: import('./measured.js').Measurement|null,
 *   calendar?: import('./measured.js').Calendar}} Figures  the board's event-log summary
 *   (metrics.measured) and its calendar: a step the log measured has its medians drawn on the
 *   lines under its figures ("measured 3.5d, n=42"), and whatever keeps clear of a step keeps
 *   clear of those lines too
 */

// A sticky's folded corner and the caption over a hypothesis (canvas/shapes.js draws them).
export const NOTE_FOLD = 18;
export const CAPTION_H = 22;
// A kaizen burst's text sits in its calm middle: the inner ellipse (BURST_INNER of
// the half-size), of which the text may use this share across and down.
export const BURST_INNER = 0.76;
const BURST_TEXT_W = 0.92;
const BURST_TEXT_H = 0.74;
// An experiment card's coloured band with its caption.
export const CARD_BAND = 26;
// Experiments read their hypothesis in the board's calendar; for its height the
// usual 8-hour, 5-day week is close enough (the words barely change).
const CALENDAR = Object.freeze({ hours_per_day: 8, days_per_week: 5 });
// An inventory's count and two-line label hang under its triangle (canvas/shapes.js).
const INVENTORY_BELOW = 56;
const INVENTORY_LABEL_W = 136;

// What a box grown into the room below keeps clear of the box under it: a note's gap,
// and over a step the room of its constraint badge (frame-layout.js BADGE_ABOVE).
export const ROOM_GAP = 16;
const STEP_HEADROOM = 44;

/** Resizing stops here: smaller cannot hold a word, larger than a wall of text is a mistake. */
export const MIN_BOX = Object.freeze({ w: 96, h: 56 });
export const MAX_BOX = Object.freeze({ w: 960, h: 960 });

/**
 * Where a note's text goes, inside its w x h box.
 * @param {string} variant comment | hypothesis | kaizen
 * @param {number} w
 * @param {number} h
 * @returns {Rect}
 */
export function noteTextBox(variant, w, h) {
  if (variant === 'kaizen') {
    const bw = w * BURST_INNER * BURST_TEXT_W;
    const bh = h * BURST_INNER * BURST_TEXT_H;
    return { x: (w - bw) / 2, y: (h - bh) / 2, w: bw, h: bh };
  }
  const f = Math.min(NOTE_FOLD, w / 3, h / 3);
  const top = variant === 'hypothesis' ? CAPTION_H : 0;
  return { x: 0, y: top, w: w - f / 2, h: h - top - f / 2 };
}

/** @param {Element} el */
export function noteVariant(el) {
  const v = el.variant ?? 'comment';
  return v === 'hypothesis' || v === 'kaizen' ? v : 'comment';
}

/** @param {Element} el @param {number} w */
function noteFit(el, w) {
  const variant = noteVariant(el);
  const text = el.text ?? '';
  if (variant === 'kaizen') {
    return textHeight(text, w * BURST_INNER * BURST_TEXT_W, BURST_TEXT) / (BURST_INNER * BURST_TEXT_H);
  }
  const fold = Math.min(NOTE_FOLD, w / 3);
  return (variant === 'hypothesis' ? CAPTION_H : 0) + textHeight(text, w - fold / 2, NOTE_TEXT) + fold / 2;
}

/**
 * What an experiment card says: its hypothesis, then its result.
 * @param {Element} el
 * @param {{hours_per_day: number, days_per_week: number}} [calendar]
 */
export function cardText(el, calendar = CALENDAR) {
  const card = /** @type {any} */ (el);
  const sentence = hypothesis(card, calendar);
  return card.result ? `${sentence} Result: ${card.result}` : sentence;
}

/** @param {Element} el @param {number} w */
function cardFit(el, w) {
  return CARD_BAND + textHeight(cardText(el), w, CARD_TEXT);
}

/**
 * A step's data box hangs under it: its figures, the measured lines under them, its waste chips.
 * @param {Element} el @param {Rect} r @param {number} lines
 */
function stepFootprint(el, r, lines) {
  return { ...r, h: r.h + DATA_GAP + dataBoxHeight(el, r.w, lines) };
}

/** @param {Element} _el @param {Rect} r an inventory's count and label hang under it */
function inventoryFootprint(_el, r) {
  const w = Math.max(r.w, INVENTORY_LABEL_W);
  return { x: r.x + r.w / 2 - w / 2, y: r.y, w, h: r.h + INVENTORY_BELOW };
}

/** @type {Readonly<Record<string, BoxKind>>} */
const KINDS = Object.freeze({
  step: { resizes: false, opens: null, footprint: stepFootprint },
  inventory: { resizes: false, opens: 'count', footprint: inventoryFootprint },
  note: { resizes: true, opens: null, fit: noteFit },
  experiment: { resizes: true, opens: 'text', fit: cardFit },
});

// Elements are replaced, never changed in place (model/board.js), so the height an
// element's text needs is worked out once per element object: hit tests run on
// every pointer move over every box.
/** @type {WeakMap<object, number>} */
const fitted = new WeakMap();

/** Every kind drawn as a box, in the order the canvas lists them. */
export const BOX_KINDS = Object.freeze(Object.keys(KINDS));

/** @param {{kind: string}} el whether it is a box: it moves, nudges, aligns, copies and deletes */
export function isBox(el) {
  return Object.hasOwn(KINDS, el.kind);
}

/** @param {{kind: string}} el whether a corner handle resizes it */
export function canResize(el) {
  return isBox(el) && KINDS[el.kind].resizes;
}

/**
 * What a double-click on an element edits: a field of the side panel, or null
 * for its label, in place on the canvas. An arrow opens its rework rate.
 * @param {{kind: string}} el
 * @returns {string|null}
 */
export function opensField(el) {
  if (el.kind === 'connector') return 'rework_rate';
  return isBox(el) ? KINDS[el.kind].opens : null;
}

/**
 * The box as stored (defaults filled in): its place and minimum size.
 * @param {Element} el
 * @returns {Rect}
 */
export function storedRect(el) {
  const d = /** @type {{w?: number, h?: number}} */ (DEFAULTS[/** @type {keyof typeof DEFAULTS} */ (el.kind)] ?? {});
  return { x: el.x ?? 0, y: el.y ?? 0, w: el.w ?? d.w ?? 0, h: el.h ?? d.h ?? 0 };
}

/**
 * The box as drawn: the stored one, taller when its text needs it.
 * @param {Element} el
 * @returns {Rect}
 */
export function boxOf(el) {
  const r = storedRect(el);
  const fit = isBox(el) ? KINDS[el.kind].fit : undefined;
  if (!fit) return r;
  let h = fitted.get(el);
  if (h === undefined) {
    h = Math.ceil(fit(el, r.w));
    fitted.set(el, h);
  }
  return { ...r, h: Math.max(r.h, h) };
}

/**
 * How tall each box that grows with its text may be drawn without covering a box that
 * was clear of it below (its stored box ends above that box's top and they share a
 * column): id -> the most height, for the boxes that want to grow past such a box only.
 * Boxes people stacked over each other on purpose stay as they are.
 *
 *   roomsBelow(elements);   // Map {'n-1' => 180}: the note stops 16 px over the step under it
 *
 * @param {Iterable<Element>} elements
 * @returns {Map<string, number>}
 */
export function roomsBelow(elements) {
  const rooms = new Map();
  /** @type {Element[]} */
  const grown = [];
  /** @type {Map<number, {el: Element, r: Rect}[]>} column -> the footprints reaching into it */
  const columns = new Map();
  /** @type {Element[]} */
  const boxes = [];
  for (const el of elements) {
    if (!isBox(el)) continue;
    boxes.push(el);
    if (KINDS[el.kind].fit && boxOf(el).h > storedRect(el).h) grown.push(el);
  }
  if (!grown.length) return rooms; // most boards: nothing to look at
  for (const el of boxes) {
    const r = footprintOf(el); // only its top and sides count here: no measured lines needed
    for (let c = Math.floor(r.x / COLUMN), last = Math.floor((r.x + r.w) / COLUMN); c <= last; c++) {
      const column = columns.get(c);
      if (column) column.push({ el, r });
      else columns.set(c, [{ el, r }]);
    }
  }
  for (const el of grown) {
    const stored = storedRect(el);
    const wanted = boxOf(el).h;
    let most = wanted;
    for (let c = Math.floor(stored.x / COLUMN), last = Math.floor((stored.x + stored.w) / COLUMN); c <= last; c++) {
      for (const { el: other, r } of columns.get(c) ?? []) {
        if (other === el) continue;
        if (r.x >= stored.x + stored.w || stored.x >= r.x + r.w) continue; // side by side
        if (r.y < stored.y + stored.h) continue; // above it, or overlapping it already
        const gap = Math.min(r.y - stored.y - stored.h, ROOM_GAP + (other.kind === 'step' ? STEP_HEADROOM : 0));
        most = Math.min(most, r.y - gap - stored.y);
      }
    }
    if (most < wanted) rooms.set(el.id, Math.max(stored.h, most));
  }
  return rooms;
}

// Footprints are asked on every draw and every pointer move of a drag (framing, the ladder,
// placement, arrows' routes, roomsBelow): each is worked out once per element object (the
// model replaces an element it changes), without the measured lines and with them, the latter
// kept while the step's measurement and the calendar it is read in stay the same. roomsBelow
// sorts the boxes into columns this wide, so a growing box looks only at those that share a
// column with it.
const COLUMN = 512;
const NO_FIGURES = Object.freeze({});
const WORKING_WEEK = Object.freeze({ hours_per_day: 8, days_per_week: 5 });
/** @typedef {{measure: unknown, hours: number, days: number, r: Readonly<Rect>}} MeasuredFootprint */
/** @type {WeakMap<object, {plain?: Readonly<Rect>, measured?: MeasuredFootprint}>} */
const footprints = new WeakMap();

/**
 * The box plus what is drawn around it (a step's data box with the measured lines under its
 * figures and its waste chips, an inventory's label): the room it takes on the canvas. The one
 * rule for whatever keeps clear of a drawing: arrows' routes, the ladder, framing and placement
 * (app/domain/lanes.py footprint is the same rule, tests/fixtures/lanes holds both to it).
 *
 *   footprintOf(step);                                      // {x, y, w: 168, h: 167}
 *   footprintOf(step, {measured: metrics.measured, calendar});   // 17 px taller a measured line
 *
 * @param {Element} el
 * @param {Figures} [figures] the board's measurement; without it, no measured lines
 * @returns {Readonly<Rect>} shared: do not change it
 */
export function footprintOf(el, figures = NO_FIGURES) {
  const measure = el.kind === 'step' ? figures.measured?.steps?.[el.id] ?? null : null;
  let known = footprints.get(el);
  if (!known) footprints.set(el, (known = {}));
  if (!measure) return (known.plain ??= drawnRect(el, 0));
  const calendar = figures.calendar ?? WORKING_WEEK;
  const hours = calendar.hours_per_day;
  const days = calendar.days_per_week;
  const m = known.measured;
  if (m && m.measure === measure && m.hours === hours && m.days === days) return m.r;
  const r = drawnRect(el, measuredLineCount(el, measure, calendar, boxOf(el).w));
  known.measured = { measure, hours, days, r };
  return r;
}

/** @param {Element} el @param {number} lines measured lines under a step's figures */
function drawnRect(el, lines) {
  const r = boxOf(el);
  const footprint = isBox(el) ? KINDS[el.kind].footprint : undefined;
  return Object.freeze(footprint ? footprint(el, r, lines) : r);
}

/**
 * The boxes among some elements, each as its drawn rectangle with its id.
 * @param {Iterable<Element>} elements
 * @param {Set<string>} [except] ids to leave out
 * @returns {Box[]}
 */
export function boxesOf(elements, except) {
  const out = [];
  for (const el of elements) if (isBox(el) && !except?.has(el.id)) out.push({ id: el.id, ...boxOf(el) });
  return out;
}

/**
 * Where the selected boxes go when shifted by (dx, dy): arrow-key nudges.
 * @param {Map<string, Element>} elements
 * @param {Iterable<string>} ids
 * @param {number} dx
 * @param {number} dy
 * @returns {Move[]}
 */
export function nudgeMoves(elements, ids, dx, dy) {
  const moves = [];
  for (const id of ids) {
    const el = elements.get(id);
    if (el && isBox(el)) moves.push({ id, x: (el.x ?? 0) + dx, y: (el.y ?? 0) + dy });
  }
  return moves;
}

/**
 * The w/h a corner drag asks for, within the sizes a box may have.
 * @param {number} w
 * @param {number} h
 */
export function clampSize(w, h) {
  return {
    w: Math.round(Math.min(MAX_BOX.w, Math.max(MIN_BOX.w, w))),
    h: Math.round(Math.min(MAX_BOX.h, Math.max(MIN_BOX.h, h))),
  };
}

/**
 * The figure the side panel opens with its caret when asked from the keyboard:
 * a step's first figure (its wait); for the rest, what a double-click opens
 * (a note: its text).
 * @param {{kind: string}} el
 * @returns {string}
 */
export function inspectField(el) {
  return el.kind === 'step' ? 'wait_minutes' : opensField(el) ?? 'text';
}
