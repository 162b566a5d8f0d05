// @ts-check
/**
 * What each palette name looks like on the canvas: a soft pastel fill with a
 * darker border of the same hue; text stays dark on all of them (contrast
 * above 10:1 against every fill). Any "#rrggbb" the server accepts is drawn
 * too, with a border derived from it.
 *
 *   swatch('teal');      // {fill: '#c8ebe6', border: '#4ea99d'}
 *   swatch('#ffcc00');   // {fill: '#ffcc00', border: '#bf9900'}
 */

/** @typedef {{fill: string, border: string}} Swatch */

/** @type {Readonly<Record<string, Swatch>>} */
export const SWATCHES = Object.freeze({
  yellow: { fill: '#fff1a8', border: '#d9bb3f' },
  orange: { fill: '#ffdcb5', border: '#e0964d' },
  pink: { fill: '#fbd3e3', border: '#d77aa0' },
  red: { fill: '#f9cbc5', border: '#d1665b' },
  green: { fill: '#d2ecc9', border: '#6fae63' },
  teal: { fill: '#c8ebe6', border: '#4ea99d' },
  blue: { fill: '#d3e3fb', border: '#5f8fd6' },
  purple: { fill: '#e2d8f7', border: '#9478d0' },
  grey: { fill: '#e6e8eb', border: '#9ba2ad' },
  white: { fill: '#ffffff', border: '#c6cbd2' },
});

export const TEXT_COLOR = '#1f2328';

/**
 * @param {string|undefined} color a palette name or "#rrggbb"
 * @param {string} [fallback] palette name for anything unknown
 * @returns {Swatch}
 */
export function swatch(color, fallback = 'yellow') {
  if (color && SWATCHES[color]) return SWATCHES[color];
  if (color && /^#[0-9a-f]{6}$/i.test(color)) return { fill: color, border: darken(color, 0.25) };
  return SWATCHES[fallback] ?? SWATCHES.yellow;
}

/**
 * @param {string} hex "#rrggbb"
 * @param {number} amount 0..1 towards black
 */
export function darken(hex, amount) {
  const n = parseInt(hex.slice(1), 16);
  const channel = (/** @type {number} */ shift) =>
    Math.round(((n >> shift) & 255) * (1 - amount)).toString(16).padStart(2, '0');
  return `#${channel(16)}${channel(8)}${channel(0)}`;
}
