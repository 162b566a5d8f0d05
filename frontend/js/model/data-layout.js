// @ts-check
/**
 * Where the parts of a step's data box go, without a DOM: the box of figures
 * under the step (wait, process time, %C/A, people when known) and the waste
 * chips wrapping under it. canvas/data-box.js draws from it; placing new
 * elements and routing rework loops use its height to keep clear of it.
 *
 *   dataBoxHeight(step);   // 63 for a step with no people and no waste tags
 */

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

/** @param {StepFigures} el how many figure rows its box has */
export function figureRows(el) {
  return el.people === null || el.people === undefined ? 3 : 4;
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
 */
export function dataBoxHeight(el, width) {
  const box = figuresHeight(figureRows(el));
  const chips = chipPlaces(el.waste ?? [], width, box + CHIP_GAP);
  const last = chips[chips.length - 1];
  return last ? last.y + CHIP_HEIGHT : box;
}
