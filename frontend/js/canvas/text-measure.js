// @ts-check
/**
 * How wide bold text is in this page's own font, in ems: each character measured once on a
 * canvas and kept, so presentation view's cards (model/far-view.js) size their words for the
 * face this browser draws (DejaVu Sans on Debian, San Francisco on a Mac, Segoe UI on Windows:
 * up to 15 % apart), not for an estimate generous enough for all of them. A character costs one
 * measureText the first time, a look-up after; a word is the sum of its characters (kerning
 * aside: a hair narrower, and the card's padding keeps that to spare).
 *
 *   const ems = boldMeasure(getComputedStyle(document.documentElement).getPropertyValue('--font'));
 *   ems?.('Staging');  // 4.36 with DejaVu Sans Bold; null where a canvas cannot measure
 */

// Measured at this size, where a width rounds to a hundredth of an em at worst.
const PROBE_PX = 100;

/**
 * @param {string} family the CSS font stack the cards are set in
 * @returns {((text: string) => number) | null}
 */
export function boldMeasure(family) {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx || !family.trim()) return null;
  ctx.font = `700 ${PROBE_PX}px ${family}`;
  // A stack the canvas does not take leaves its font as it was (10px sans-serif).
  if (!ctx.font.includes(`${PROBE_PX}px`)) return null;
  /** @type {Map<string, number>} */
  const widths = new Map();
  return (text) => {
    let w = 0;
    for (const ch of text) {
      let ems = widths.get(ch);
      if (ems === undefined) {
        ems = ctx.measureText(ch).width / PROBE_PX;
        widths.set(ch, ems);
      }
      w += ems;
    }
    return w;
  };
}
