// @ts-check
/**
 * Presentation view: the map made for a shared screen. At the zoom that fits a
 * whole map on a laptop (25-45 %) a step's figures are 5-7 px; here each step
 * gets a card with its name and its two key figures at a fixed size on SCREEN,
 * as wide as the room beside it allows, and the detail (data rows, the ladder's
 * labels) steps back. Pure: positions in canvas units, sizes for a zoom `k`.
 *
 *   farCards(elements, 0.3, calendar)  // [{id, x, y, w, font, color, name, cut, tight, pad, row}] in canvas units
 *   farQueues(elements, 0.3)  // [{id, cx, w, row, font, count}]: a chip per inventory, under the cards
 *   farExtent(elements, 0.3, calendar)  // [{id, x, y, w, h}]: where the cards and chips reach, to fit them
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
// A figure's line the text keeps room for where the figures are not known.
const TYPICAL_FIGURE = 'Wait 12d';
// A card is at least its step's width and at most this many times it.
const MAX_WIDEN = 2.2;
// Canvas units kept free between two neighbours' cards.
const CARD_GAP = 12;
// A card's padding and border, left and right, in ems (presentation.css .far-card, with a
// little to spare); a row whose text is below the usual floor is padded tighter (.is-tight).
const CARD_PAD_EM = 1.3;
const TIGHT_PAD_EM = 0.8;
// A queue chip: its width in ems beyond its words ("▲ 12 waiting": padding and border, with a
// little to spare), and the room between two chips on one row.
const CHIP_PAD_EM = 1.6;
const CHIP_GAP_EM = 0.4;
// The queue chips sit this many of their lines under the lowest card, are at least this many wide,
// and a second line of chips (two queues too close to share one) stands this many lines lower.
export const QUEUE_GAP = 0.6;
export const QUEUE_WIDTH = 8;
export const QUEUE_LINE = 1.9;
// A chip's height in its lines (presentation.css .far-queue: a line, padding and border, rounded up).
const CHIP_TALL_EM = 2;
// A card's height beyond its lines of text, in ems (presentation.css .far-card: padding 0.35 + 0.4,
// the constraint's border 2 x 0.22, the name's margin 0.2, a little to spare), and a line's height.
const CARD_CHROME_EM = 1.45;
const CARD_LINE_EM = 1.25;
// Bold characters' widths in ems, by class, as DejaVu Sans Bold (Debian's system-ui, the widest
// common one) sets them, each class rounded up to its widest: a word is estimated 0-10 % over
// its width. The page measures its own font instead (canvas/text-measure.js); this is for where
// it cannot. "request" at 0.72 an em a letter was 16 % over: 'reque…' on a phone.
const BOLD_CLASSES = /** @type {[number, string][]} */ ([
  [0.38, "ijlIJ'/\\|,. "], [0.5, 'ftr!-()[]:;_`'], [0.6, 'csz?"*'], [0.78, 'ABCKPRVXYZ'],
  [0.86, 'DGHNOQU#+<=>^~&'], [0.93, 'w'], [1, '…'], [1.11, 'mMW@%'],
]);
const BOLD_EMS = new Map(BOLD_CLASSES.flatMap(([ems, chars]) => [...chars].map((ch) => [ch, ems])));
const BOLD_OTHER = 0.72; // the other lower-case letters, digits, E F L S T, $ { }
const CJK_FROM = 0x2e80; // and wider scripts: a full em a character

/**
 * How wide `text` is in bold, in ems, a little generously (see above).
 *
 *   boldWidth('Staging');  // 4.44 (DejaVu Sans Bold: 4.36)
 *
 * @param {string} text
 */
export function boldWidth(text) {
  let w = 0;
  for (const ch of text) w += BOLD_EMS.get(ch) ?? ((ch.codePointAt(0) ?? 0) >= CJK_FROM ? 1 : BOLD_OTHER);
  return w;
}

/**
 * @typedef {import('../protocol.js').Element} Element
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 * @typedef {{id: string, x: number, y: number, w: number, font: number, color: string, name: string,
 *   cut: boolean, tight: boolean, pad: number, row: number, lines: number}} FarCard
 *   x, y, w in canvas units (top-left, width); font in canvas units (screen px / k); the name as
 *   shown (a word too long for the card ends in "…"), and whether it is shown short of the whole
 *   (the step's side panel says it all); a tight card's padding is narrower; `pad` is its padding
 *   and border across, in ems; `row` numbers the cards that share a size (0, 1, ...); `lines`: the
 *   lines of text it shows (its name's, at most FAR_NAME_LINES, and its figures')
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

/**
 * One card per step, centred on it, widened into the free room on either side. The cards of a
 * row share one text size: as large as their room allows, and small enough that each word of
 * every card's name and figures fits a line whole (a line breaks between words only). A word
 * too long even at the smallest size is cut short with "…" instead, and shrinks no other card.
 * @param {Map<string, Element>|Iterable<Element>} elements
 * @param {number} k the zoom
 * @param {Calendar} [calendar] for the figures' words (none: the name's only)
 * @param {(text: string) => number} [measure] how wide a bold text is, in ems: the page's own
 *   font measured (canvas/text-measure.js), else the estimate
 * @returns {FarCard[]}
 */
export function farCards(elements, k, calendar, measure = boldWidth) {
  const list = [...(elements instanceof Map ? elements.values() : elements)];
  const steps = list.filter((el) => el.kind === 'step').map((el) => ({ el, r: rectOf(el) }));
  const sized = steps.map(({ el, r }) => {
    const cx = r.x + r.w / 2;
    let room = r.w * MAX_WIDEN;
    for (const other of steps) {
      // Both neighbours widen alike: each may take up to half the distance between centres.
      if (other.el !== el && sameRow(r, other.r)) room = Math.min(room, Math.abs(other.r.x + other.r.w / 2 - cx) - CARD_GAP);
    }
    const w = Math.max(r.w, room);
    const text = String(el.text ?? '');
    const figures = calendar ? farFigures(el, calendar) : [];
    const words = [...text.split(/\s+/), ...figures.flat()].filter(Boolean).map(measure);
    // As large as keeps each figure on a line of its own ("Wait 3d"), within the usual sizes.
    const lines = figures.length ? figures.map((figure) => figure.join(' ')) : [TYPICAL_FIGURE];
    const figure = Math.max(...lines.map(measure));
    const roomy = Math.max(FAR_MIN_FONT_PX, Math.min(FAR_FONT_PX, (w * k) / (figure + CARD_PAD_EM)));
    // Its longest word that can be shown whole at all: a longer one is cut whatever the size.
    const whole = words.filter((ems) => (w * k) / (ems + TIGHT_PAD_EM) >= FAR_WORD_FONT_PX);
    return { el, r, cx, w, text, roomy, word: Math.max(0, ...whole) };
  });
  const sizes = new Map();
  for (const [index, row] of rowsOf(sized).entries()) {
    const roomy = Math.min(...row.map((card) => card.roomy));
    const fits = (/** @type {number} */ pad) => Math.min(...row.map((card) => (card.w * k) / (card.word + pad)));
    const tight = fits(CARD_PAD_EM) < Math.min(roomy, FAR_MIN_FONT_PX);
    const pad = tight ? TIGHT_PAD_EM : CARD_PAD_EM;
    const size = { fontPx: Math.max(FAR_WORD_FONT_PX, Math.min(roomy, fits(pad))), tight, pad, row: index };
    for (const card of row) sizes.set(card, size);
  }
  return sized.map((card) => {
    const { fontPx, tight, pad, row } = sizes.get(card);
    const line = (card.w * k) / fontPx - pad + 1e-9; // in ems; the row's longest word just fits
    const name = card.text.split(' ').map((part) => (measure(part) > line ? cutWord(part, line, measure) : part)).join(' ');
    const nameLines = linesOf(name, line, measure);
    const cut = name !== card.text || nameLines > FAR_NAME_LINES;
    // "Wait" and its figure wrap apart on a narrow card (presentation.css .far-figure).
    const figures = (calendar ? farFigures(card.el, calendar) : [['Wait', '?'], ['Work', '?']])
      .reduce((sum, figure) => sum + linesOf(figure.join(' '), line, measure), 0);
    const lines = Math.min(nameLines, FAR_NAME_LINES) + figures;
    return { id: card.el.id, x: card.cx - card.w / 2, y: card.r.y, w: card.w, font: fontPx / k,
      color: String(card.el.color ?? 'yellow'), name, cut, tight, pad, row, lines };
  });
}

/**
 * How tall a card is drawn, in canvas units: its lines and its padding, at its text's size.
 * @param {FarCard} card
 */
export function farCardHeight(card) {
  return card.font * (CARD_CHROME_EM + CARD_LINE_EM * card.lines);
}

/**
 * Where presentation view draws, in canvas units at zoom `k`: each card as tall as the tallest
 * of its row (far-layer.js draws a row as one even band) and the queue chips under the lowest
 * card. The cards' text is sized on screen, so the farther out, the taller they reach on the
 * canvas: a fit takes them at the zoom it goes to (controllers/framing.js).
 * @param {Map<string, Element>|Iterable<Element>} elements
 * @param {number} k the zoom
 * @param {Calendar} [calendar]
 * @param {(text: string) => number} [measure]
 * @returns {{id: string, x: number, y: number, w: number, h: number}[]} a card's id is its step's,
 *   a chip's its inventory's
 */
export function farExtent(elements, k, calendar, measure = boldWidth) {
  const cards = farCards(elements, k, calendar, measure);
  /** @type {Map<number, number>} */
  const tallest = new Map();
  for (const card of cards) tallest.set(card.row, Math.max(tallest.get(card.row) ?? 0, farCardHeight(card)));
  const rects = cards.map((card) => ({ id: card.id, x: card.x, y: card.y, w: card.w, h: tallest.get(card.row) ?? 0 }));
  const bottom = Math.max(...rects.map((r) => r.y + r.h));
  if (!Number.isFinite(bottom)) return rects;
  const queues = farQueues(elements, k, Math.min(...cards.map((card) => card.font * k)), measure);
  for (const q of queues) {
    const w = Math.max(q.w, q.font * QUEUE_WIDTH);
    rects.push({ id: q.id, x: q.cx - w / 2, y: bottom + q.font * (QUEUE_GAP + q.row * QUEUE_LINE), w, h: q.font * CHIP_TALL_EM });
  }
  return rects;
}

/**
 * Whether two steps stand in one row: each overlaps the band of twice the other's height.
 * @param {{y: number, h: number}} a
 * @param {{y: number, h: number}} b
 */
function sameRow(a, b) {
  return b.y < a.y + a.h * 2 && a.y < b.y + b.h * 2;
}

/**
 * The steps grouped in rows: those in one row, or joined through others that are.
 * @template {{r: {y: number, h: number}}} T
 * @param {T[]} steps
 * @returns {T[][]}
 */
function rowsOf(steps) {
  const rows = [];
  const placed = new Set();
  for (const first of steps) {
    if (placed.has(first)) continue;
    placed.add(first);
    const row = [first];
    for (let i = 0; i < row.length; i++) {
      for (const other of steps) {
        if (!placed.has(other) && sameRow(row[i].r, other.r)) {
          placed.add(other);
          row.push(other);
        }
      }
    }
    rows.push(row);
  }
  return rows;
}

/**
 * The longest start of `word` that fits `line` ems with "…" after it (at least a letter).
 * A word is as wide as its letters (canvas/text-measure.js), so their widths are summed
 * from the start, and only the start found is measured whole: measuring every shorter
 * start in turn was quadratic in the word, and 2,500 steps named with 2,000 letters and
 * no space froze the page for two minutes as Presentation view opened.
 * @param {string} word
 * @param {number} line
 * @param {(text: string) => number} measure
 */
function cutWord(word, line, measure) {
  const letters = [...word];
  const room = line - measure('…');
  let n = 0;
  let used = 0;
  while (n < letters.length - 1 && used + measure(letters[n]) <= room) used += measure(letters[n++]);
  n = Math.max(1, n);
  // Sums in another order can differ by a hair from the whole: the whole decides.
  while (n > 1 && measure(`${letters.slice(0, n).join('')}…`) > line) n -= 1;
  return `${letters.slice(0, n).join('')}…`;
}

/**
 * Lines `text` wraps to in `line` ems, breaking between words only.
 * @param {string} text
 * @param {number} line
 * @param {(text: string) => number} measure
 */
function linesOf(text, line, measure) {
  const space = measure(' ');
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const ems = measure(word);
    const needed = used ? used + space + ems : ems;
    if (needed <= line || !used) used = needed;
    else {
      lines += 1;
      used = ems;
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
 * @param {number} [cardPx] the cards' smallest text on screen: a chip's is no larger
 * @param {(text: string) => number} [measure] how wide a bold text is, in ems (farCards)
 * @returns {FarQueue[]}
 */
export function farQueues(elements, k, cardPx = FAR_MIN_FONT_PX, measure = boldWidth) {
  const list = [...(elements instanceof Map ? elements.values() : elements)];
  const font = Math.min(FAR_MIN_FONT_PX, cardPx) / k;
  const chips = list.filter((el) => el.kind === 'inventory').map((el) => {
    const r = rectOf(el);
    const count = typeof el.count === 'number' ? el.count : null;
    const w = (measure(`▲ ${queueWords(count)}`) + CHIP_PAD_EM) * font;
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
