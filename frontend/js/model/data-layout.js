// @ts-check
/**
 * Where the parts of a step's data box go, without a DOM: the box of figures
 * under the step (wait, process time, %C/A, people when known) and the waste
 * chips wrapping under it. canvas/data-box.js draws from it; placing new
 * elements and routing rework loops use its height to keep clear of it.
 *
 *   dataBoxHeight(step);   // 63 for a step with no people and no waste tags
 *   dataBoxHeight(step, 168, 2);   // 97: two more lines, a measured figure under each time
 */

import { lineCount } from './text-fit.js';

export const ROW_HEIGHT = 17;
export const PAD_X = 8;
export const PAD_Y = 6;
export const CHIP_HEIGHT = 16;
export const CHIP_GAP = 4;
/** The data box hangs this far under its step. */
export const DATA_GAP = 8;
// No text measuring in SVG before layout: 5.6 px a character at 10.5 px is close for this font.
const CHIP_CHAR = 5.6;
const CHIP_PAD = 14;

/** How each waste tag reads on a chip: short, so two or three fit under a step. */
export const WASTE_LABELS = Object.freeze({
  defects: 'Defects',
  overproduction: 'Overproduction',
  waiting: 'Waiting',
  'non-utilised-talent': 'Unused talent',
  transportation: 'Transport',
  inventory: 'Inventory',
  motion: 'Motion',
  'extra-processing': 'Extra processing',
});

/**
 * @typedef {{tag: string, label: string, x: number, y: number, w: number}} Chip
 * @typedef {{people?: number|null, waste?: string[], w?: number}} StepFigures
 */

/** A figure row's text: 12 px (figures.css .data-row text), a row high, inside the box's padding. */
export const DATA_TEXT = Object.freeze({ size: 12, lineHeight: ROW_HEIGHT, padX: PAD_X, padY: 0 });

/**
 * @param {StepFigures} el how many figure rows its box has
 * @param {number} [extra] lines added under the figures (measured figures beside the estimates)
 */
export function figureRows(el, extra = 0) {
  return (el.people === null || el.people === undefined ? 3 : 4) + extra;
}

/**
 * A line under a figure ("measured 3.5d, n=42") as the lines it takes in a box
 * `width` wide: one when it fits, else broken after its commas, so nothing is cut.
 *
 *   wrapFigure('measured 3.5d, n=42', 168);   // ['measured 3.5d, n=42']
 *   wrapFigure('measured 3.5d, n=42', 100);   // ['measured 3.5d,', 'n=42']
 *
 * @param {string} text
 * @param {number} width the box's width
 * @returns {string[]}
 */
export function wrapFigure(text, width) {
  if (lineCount(text, width, DATA_TEXT) <= 1) return [text];
  return text.split(/(?<=,) /);
}

/** @param {number} rows */
export function figuresHeight(rows) {
  return PAD_Y * 2 + rows * ROW_HEIGHT;
}

/**
 * Waste chips, wrapping under the box of figures.
 * @param {string[]} tags
 * @param {number} width
 * @param {number} top
 * @returns {Chip[]}
 */
export function chipPlaces(tags, width, top) {
  const chips = [];
  let x = 0;
  let y = top;
  for (const tag of tags) {
    const label = /** @type {Record<string, string>} */ (WASTE_LABELS)[tag] ?? tag;
    const w = label.length * CHIP_CHAR + CHIP_PAD;
    if (x > 0 && x + w > width) {
      x = 0;
      y += CHIP_HEIGHT + CHIP_GAP;
    }
    chips.push({ tag, label, x, y, w });
    x += w + CHIP_GAP;
  }
  return chips;
}

/**
 * How far the data box (figures and chips) reaches under its step's top edge of the box.
 * @param {StepFigures} el
 * @param {number} width the step's width
 * @param {number} [extra] lines added under the figures (see figureRows)
 */
export function dataBoxHeight(el, width, extra = 0) {
  const box = figuresHeight(figureRows(el, extra));
  const chips = chipPlaces(el.waste ?? [], width, box + CHIP_GAP);
  const last = chips[chips.length - 1];
  return last ? last.y + CHIP_HEIGHT : box;
}
