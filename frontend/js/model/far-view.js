// @ts-check
/**
 * Presentation view: the map made for a shared screen. At the zoom that fits a
 * whole map on a laptop (25-45 %) a step's figures are 5-7 px; here each step
 * gets a card with its name and its two key figures at a fixed size on SCREEN,
 * as wide as the room beside it allows, and the detail (data rows, the ladder's
 * labels) steps back. Pure: positions in canvas units, sizes for a zoom `k`.
 *
 *   farCards(elements, 0.3, calendar)  // [{id, x, y, w, font, color, name, cut, tight, pad}] in canvas units
 *   farQueues(elements, 0.3)  // [{id, cx, w, row, font, count}]: a chip per inventory, under the cards
 */

import { showDuration } from './durations.js';
import { rectOf } from './geometry.js';

// A card's text on screen, in CSS pixels: large when there is room ...
export const FAR_FONT_PX = 16;
// ... and when a long map is fitted into a narrow window, as large as the card's width
// allows, never below this (the canvas's own figures are 5-7 px there).
export const FAR_MIN_FONT_PX = 11;
// A step's longest word may take the text a little smaller still, rather than be broken; a
// word too long even then is cut short with "…" (a phone fits the demo map at 13-16 %:
// cards 40-47 px wide).
export const FAR_WORD_FONT_PX = 8;
// A name wraps to this many lines at most (presentation.css .far-name), not down the map.
export const FAR_NAME_LINES = 3;
// Characters a card's line keeps room for: "Wait 12d" and most words of a step's name.
const CHARS_PER_LINE = 7;
// A card is at least its step's width and at most this many times it.
const MAX_WIDEN = 2.2;
// Canvas units kept free between two neighbours' cards.
const CARD_GAP = 12;
// The width of a bold character, on average, in ems (the name's longest word must fit its
// line: "Stagi / ng test" is no way to read a step), and a card's padding and border, left and
// right; a card whose text is below the usual floor is padded tighter (.far-card.is-tight).
const BOLD_CHAR_EM = 0.72;
const CARD_PAD_EM = 1.3;
const TIGHT_PAD_EM = 0.8;
// A queue chip: its width in ems beyond its words ("▲ 12 waiting"), an average character's
// width in ems, and the room between two chips on one row.
const CHIP_PAD_EM = 1.6;
const CHIP_CHAR_EM = 0.6;
const CHIP_GAP_EM = 0.4;

/**
 * @typedef {import('../protocol.js').Element} Element
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 * @typedef {{id: string, x: number, y: number, w: number, font: number, color: string, name: string,
 *   cut: boolean, tight: boolean, pad: number}} FarCard
 *   x, y, w in canvas units (top-left, width); font in canvas units (screen px / k); the name as
 *   shown (a word too long for the card ends in "…"), and whether it is shown short of the whole
 *   (its tooltip then says it all); a tight card's padding is narrower; `pad` is its padding and
 *   border across, in ems
 */

/**
 * A card's figures as the step's data box says them: what people typed ("1w", "3d-5d"), else
 * the minutes; "?" where there is none.
 * @param {Element} el
 * @param {Calendar} calendar
 * @returns {[label: string, value: string][]}
 */
export function farFigures(el, calendar) {
  /** @type {[string, number|null|undefined, string|null|undefined][]} */
  const figures = [['Wait', el.wait_minutes, el.wait_text], ['Work', el.process_minutes, el.process_text]];
  return figures.map(([label, minutes, typed]) => [label,
    typeof minutes === 'number' ? showDuration(minutes, typed ?? null, calendar) : '?']);
}

/** @param {string} word */
const chars = (word) => [...word].length;

/**
 * One card per step, centred on it, widened into the free room on either side. Its text is as
 * large as the room allows and small enough that each word of the name and the figures fits
 * a line whole: a line breaks between words only.
 * @param {Map<string, Element>|Iterable<Element>} elements
 * @param {number} k the zoom
 * @param {Calendar} [calendar] for the figures' words (none: the name's only)
 * @returns {FarCard[]}
 */
export function farCards(elements, k, calendar) {
  const list = [...(elements instanceof Map ? elements.values() : elements)];
  const steps = list.filter((el) => el.kind === 'step').map((el) => ({ el, r: rectOf(el) }));
  return steps.map(({ el, r }) => {
    const cx = r.x + r.w / 2;
    let room = r.w * MAX_WIDEN;
    for (const other of steps) {
      if (other.el === el) continue;
      const o = other.r;
      const sameRow = o.y < r.y + r.h * 2 && r.y < o.y + o.h * 2;
      // Both neighbours widen alike: each may take up to half the distance between centres.
      if (sameRow) room = Math.min(room, Math.abs(o.x + o.w / 2 - cx) - CARD_GAP);
    }
    const w = Math.max(r.w, room);
    const text = String(el.text ?? '');
    const figures = calendar ? farFigures(el, calendar).flat() : [];
    const word = Math.max(0, ...[...text.split(/\s+/), ...figures].map(chars));
    const roomy = Math.max(FAR_MIN_FONT_PX, Math.min(FAR_FONT_PX, (w * k) / CHARS_PER_LINE));
    const fits = (/** @type {number} */ pad) => (w * k) / (word * BOLD_CHAR_EM + pad);
    const tight = fits(CARD_PAD_EM) < Math.min(roomy, FAR_MIN_FONT_PX);
    const pad = tight ? TIGHT_PAD_EM : CARD_PAD_EM;
    const fontPx = Math.max(FAR_WORD_FONT_PX, Math.min(roomy, fits(pad)));
    const perLine = Math.floor((w * k - pad * fontPx) / (BOLD_CHAR_EM * fontPx) + 1e-9);
    const name = text.split(' ').map((part) => (chars(part) > perLine ? `${[...part].slice(0, Math.max(1, perLine - 1)).join('')}…` : part))
      .join(' ');
    const cut = name !== text || linesOf(name, perLine) > FAR_NAME_LINES;
    return { id: el.id, x: cx - w / 2, y: r.y, w, font: fontPx / k, color: String(el.color ?? 'yellow'), name, cut, tight, pad };
  });
}

/**
 * Lines `text` wraps to at `perLine` characters a line, breaking between words only.
 * @param {string} text
 * @param {number} perLine
 */
function linesOf(text, perLine) {
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const needed = used ? used + 1 + chars(word) : chars(word);
    if (needed <= perLine || !used) used = needed;
    else {
      lines += 1;
      used = chars(word);
    }
  }
  return lines;
}

/**
 * @typedef {{id: string, cx: number, w: number, row: number, font: number, count: number|null}} FarQueue
 *   a chip saying how many items wait there, centred at cx (canvas units) under the row of
 *   cards, about w wide; `row` 0 is the first line of chips, 1 the one under it, ...
 */

/** What a queue's chip says. @param {number|null} count */
export function queueWords(count) {
  return count === null ? '? waiting' : `${count} waiting`;
}

/**
 * One chip per inventory: where work piles up stays on the shared screen. Chips too
 * close to share a line go on the next one down, so none covers another's count.
 * @param {Map<string, Element>|Iterable<Element>} elements
 * @param {number} k the zoom
 * @returns {FarQueue[]}
 */
export function farQueues(elements, k) {
  const list = [...(elements instanceof Map ? elements.values() : elements)];
  const font = FAR_MIN_FONT_PX / k;
  const chips = list.filter((el) => el.kind === 'inventory').map((el) => {
    const r = rectOf(el);
    const count = typeof el.count === 'number' ? el.count : null;
    const w = ([...queueWords(count)].length * CHIP_CHAR_EM + CHIP_PAD_EM) * font;
    return { id: el.id, cx: r.x + r.w / 2, w, row: 0, font, count };
  });
  /** @type {number[]} where each line of chips ends so far (canvas units) */
  const ends = [];
  for (const chip of [...chips].sort((a, b) => a.cx - b.cx)) {
    const left = chip.cx - chip.w / 2;
    let line = ends.findIndex((end) => end + CHIP_GAP_EM * font <= left);
    if (line < 0) line = ends.push(-Infinity) - 1;
    chip.row = line;
    ends[line] = chip.cx + chip.w / 2;
  }
  return chips;
}
