// @ts-check
/**
 * How tall a wrapped label is, without a DOM: the canvas, hit tests, snapping
 * and the exports must all agree on a note's height before the browser has laid
 * anything out, so the height comes from this estimate, not from measuring.
 *
 * Words wrap greedily at spaces (long words break anywhere, as the label's CSS
 * `overflow-wrap: anywhere` does); each character is given a width by its
 * class. The widths are a little generous for the board's font (system-ui,
 * DejaVu Sans on Debian), so a label estimated at n lines never needs n + 1:
 * a note may show a little air at its foot, never a cut-off line.
 *
 *   lineCount('Smaller batches cut the wait', 140, NOTE_TEXT);   // 2
 *   textHeight('Smaller batches cut the wait', 140, NOTE_TEXT);  // 2 * 18.2 + 20
 */

/**
 * @typedef {{size: number, lineHeight: number, padX: number, padY: number, bold?: boolean}} TextStyle
 *   size in px; lineHeight in px; padding of the label box (canvas.css .label)
 */

/** A note's label: 14 px on 1.3 lines, padded 10 x 12 (canvas.css .label). */
export const NOTE_TEXT = Object.freeze({ size: 14, lineHeight: 18.2, padX: 12, padY: 10 });
/** A kaizen burst's label: 13 px semibold, padded 2 x 4 (whiteboard.css). */
export const BURST_TEXT = Object.freeze({ size: 13, lineHeight: 16.9, padX: 4, padY: 2, bold: true });
/** An experiment card's sentence: 13 px on 1.35 lines (publishing.css .el-experiment .label). */
export const CARD_TEXT = Object.freeze({ size: 13, lineHeight: 17.55, padX: 12, padY: 10 });
/** A step's name: a note's size and padding, in its fixed box (canvas.css .label). */
export const STEP_TEXT = NOTE_TEXT;
/** An inventory's label under its triangle: 12 px on 1.3 lines, unpadded (canvas.css .inventory-label). */
export const INVENTORY_TEXT = Object.freeze({ size: 12, lineHeight: 15.6, padX: 0, padY: 0 });

// Character widths as a share of the font size, by class, measured on DejaVu
// Sans (the widest common system-ui face) and rounded up; semibold adds a little.
const NARROW = 0.34; // i l j ' . , : ; ! | and the like
const SPACE = 0.33;
const WIDE = 0.92; // m w M W @ and other wide capitals
const CAPITAL = 0.74;
const DIGIT = 0.64;
const OTHER = 0.62; // the bulk of lower-case letters; unknown scripts are treated alike
const BOLD_FACTOR = 1.07;
const NARROW_CHARS = new Set([...'iljtfrI|!.,:;\'"()[]`']);
const WIDE_CHARS = new Set([...'mwMWQ@%&OGDHNU']);

/** @param {string} ch @param {TextStyle} style */
function charWidth(ch, style) {
  let share = OTHER;
  if (ch === ' ') share = SPACE;
  else if (NARROW_CHARS.has(ch)) share = NARROW;
  else if (WIDE_CHARS.has(ch)) share = WIDE;
  else if (ch >= 'A' && ch <= 'Z') share = CAPITAL;
  else if (ch >= '0' && ch <= '9') share = DIGIT;
  else if (ch.codePointAt(0) > 0x2e80) share = 1; // CJK and wider: a full em
  return share * style.size * (style.bold ? BOLD_FACTOR : 1);
}

/** @param {string} word @param {TextStyle} style */
function wordWidth(word, style) {
  let w = 0;
  for (const ch of word) w += charWidth(ch, style);
  return w;
}

/**
 * How wide `text` is on one line, a little generously (see above).
 *
 *   textWidth('Development', {size: 10.5, lineHeight: 10.5, padX: 0, padY: 0, bold: true});   // ≈ 75
 *
 * @param {string} text
 * @param {TextStyle} style
 */
export function textWidth(text, style) {
  return wordWidth(text, style);
}

/**
 * Lines one paragraph (no line breaks) takes in `width` px.
 * @param {string} paragraph
 * @param {number} width
 * @param {TextStyle} style
 */
function paragraphLines(paragraph, width, style) {
  let lines = 1;
  let used = 0;
  const space = charWidth(' ', style);
  for (const word of paragraph.split(' ')) {
    let w = wordWidth(word, style);
    const needed = used ? used + space + w : w;
    if (needed <= width) {
      used = needed;
      continue;
    }
    if (used) lines += 1;
    // A word longer than the line breaks anywhere.
    while (w > width) {
      lines += 1;
      w -= width;
    }
    used = w;
  }
  return lines;
}

/**
 * How many lines a text wraps to in a label `boxWidth` wide (padding included).
 * @param {string} text
 * @param {number} boxWidth
 * @param {TextStyle} style
 */
export function lineCount(text, boxWidth, style) {
  const width = Math.max(style.size, boxWidth - 2 * style.padX);
  if (!text) return 0;
  return text.split('\n').reduce((sum, p) => sum + paragraphLines(p, width, style), 0);
}

/**
 * The height a label needs to show all of a text, padding included (0 for no text).
 * @param {string} text
 * @param {number} boxWidth
 * @param {TextStyle} style
 */
export function textHeight(text, boxWidth, style) {
  const lines = lineCount(text, boxWidth, style);
  return lines ? Math.ceil(lines * style.lineHeight + 2 * style.padY) : 0;
}

/**
 * Whether a label of a fixed size cuts its text short with "…": it wraps to more lines than
 * the box shows (its CSS line clamp: the whole lines inside its padding, at least one). Said
 * here, from the estimate, so the canvas knows which boxes need their whole text as a tooltip
 * when it draws them, without laying anything out. Generous like the estimate: a name at the
 * very edge may be given a tooltip it did not need, never denied one it did.
 *
 *   labelCut('Staging test', 168, 96, STEP_TEXT);  // false
 *
 * @param {string} text
 * @param {number} boxWidth
 * @param {number} boxHeight
 * @param {TextStyle} style
 */
export function labelCut(text, boxWidth, boxHeight, style) {
  const shown = Math.max(1, Math.floor((boxHeight - 2 * style.padY) / style.lineHeight));
  return lineCount(text, boxWidth, style) > shown;
}
