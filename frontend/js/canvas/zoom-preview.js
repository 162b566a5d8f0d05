// @ts-check
/**
 * Zooming without laying the map out again. Chromium lays out every SVG <text>
 * again whenever the scale of the SVG's own transforms changes (on a 3,000-element
 * map, 150-250 ms), but not when a CSS transform of the <svg> element scales it.
 * So the drawing inside is laid out once, at scale 1, and never scaled there:
 *
 *   - the <svg> element's box is the screen in canvas units (width / k by
 *     height / k CSS pixels), and `transform: scale(k)` fits it to the screen;
 *   - a translation of the world inside it puts the view's corner at the box's.
 *
 * The box must stay inside the screen: a larger one (or `overflow: visible`)
 * doubled a drag's raster work. A zoom gesture moves only the CSS transform
 * (the compositor scales what is painted, with `will-change`); the box, the
 * translation, culling and the zoom-sized layers catch up with the view when
 * the gesture pauses (Settle), as soon as something needs the drawing, or when
 * zooming out leaves under MIN_COVER of the screen drawn.
 *
 *   root.style.transform = cssTransform(view);            // scale(k)
 *   root.style.transform = previewTransform(drawn, view);  // mid-gesture
 *   previewCover(drawn, view, size);                       // 0.2: a fifth of the screen shows the drawing
 *   const settle = new Settle(() => viewport.commit(), SETTLE_MS);
 *   settle.touch();                                        // each event: commit once SETTLE_MS passed without one
 */

/** @typedef {import('../model/geometry.js').View} View */

// The gesture counts as paused after this long without a zoom event (a pinch sends one every ~16 ms).
export const SETTLE_MS = 140;
// Zoomed out until the drawing covers less than this share of the screen, the view is drawn
// in the middle of the gesture: the rest of the screen shows only the page meanwhile.
export const MIN_COVER = 0.25;

/**
 * The CSS transform (origin top left) of an <svg> whose box is the view's canvas rectangle.
 * @param {View} view
 */
export function cssTransform(view) {
  return `scale(${view.k})`;
}

/**
 * The CSS transform that shows the <svg> drawn for `drawn` as `view`: a canvas point p
 * is at p * drawn.k + drawn.(x, y) under cssTransform(drawn), and must appear at
 * p * view.k + view.(x, y).
 * @param {View} drawn
 * @param {View} view
 */
export function previewTransform(drawn, view) {
  const s = view.k / drawn.k;
  return `translate(${view.x - drawn.x * s}px, ${view.y - drawn.y * s}px) scale(${view.k})`;
}

/**
 * The canvas rectangle a view shows on a screen of `size`.
 * @param {View} view
 * @param {{width: number, height: number}} size
 */
export function shownRect(view, size) {
  return { x: -view.x / view.k, y: -view.y / view.k, w: size.width / view.k, h: size.height / view.k };
}

/**
 * How much of the screen at `view` the drawing for `drawn` covers (0..1): zoomed out
 * or moved, the <svg> box drawn for `drawn` shrinks or moves, and past it nothing is drawn.
 * @param {View} drawn
 * @param {View} view
 * @param {{width: number, height: number}} size the canvas on screen
 */
export function previewCover(drawn, view, size) {
  const { width, height } = size;
  if (width <= 0 || height <= 0) return 1;
  const d = shownRect(drawn, size);
  const v = shownRect(view, size);
  const w = Math.min(d.x + d.w, v.x + v.w) - Math.max(d.x, v.x);
  const h = Math.min(d.y + d.h, v.y + v.h) - Math.max(d.y, v.y);
  return Math.max(0, w) * Math.max(0, h) / (v.w * v.h);
}

/**
 * @typedef {object} Clock
 * @property {() => number} now
 * @property {(f: () => void, ms: number) => any} setTimeout
 * @property {(id: any) => void} clearTimeout
 * @property {(f: () => void) => any} requestAnimationFrame
 */

/** @type {Clock} */
const BROWSER_CLOCK = {
  now: () => performance.now(),
  setTimeout: (f, ms) => setTimeout(f, ms),
  clearTimeout: (id) => clearTimeout(id),
  requestAnimationFrame: (f) => requestAnimationFrame(f),
};

/**
 * Runs `commit` once the gesture has been quiet for `delay` ms; flush() runs it now if one is due.
 * The quiet is judged in an animation frame, after the frame's input: a slow frame holds the next
 * wheel event back (the browser hands it over with the frame), and a timer alone would take
 * that wait for the end of the gesture and draw in the middle of it.
 */
export class Settle {
  /**
   * @param {() => void} commit
   * @param {number} delay
   * @param {Clock} [clock]
   */
  constructor(commit, delay, clock = BROWSER_CLOCK) {
    this.commit = commit;
    this.delay = delay;
    this.clock = clock;
    this._due = false;
    this._last = 0;
    /** @type {any} */
    this._timer = null;
  }

  /** Whether a commit is due. */
  get pending() {
    return this._due;
  }

  /** The gesture moved: the commit is due `delay` ms from now (or later). */
  touch() {
    this._last = this.clock.now();
    this._due = true;
    if (this._timer === null) this._arm(this.delay);
  }

  /** Drop the due commit without running it (the view was drawn another way). */
  cancel() {
    this._due = false;
    if (this._timer !== null) this.clock.clearTimeout(this._timer);
    this._timer = null;
  }

  /** Run the due commit now. */
  flush() {
    if (!this._due) return;
    this.cancel();
    this.commit();
  }

  /** @param {number} ms */
  _arm(ms) {
    this._timer = this.clock.setTimeout(() => {
      this._timer = null;
      this.clock.requestAnimationFrame(() => this._check());
    }, ms);
  }

  _check() {
    if (!this._due) return;
    const quiet = this.clock.now() - this._last;
    if (quiet >= this.delay) this.flush();
    else if (this._timer === null) this._arm(this.delay - quiet);
  }
}
