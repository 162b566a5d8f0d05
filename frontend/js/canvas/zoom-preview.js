// @ts-check
/**
 * A zoom gesture shown by the compositor. Chromium lays out every SVG <text>
 * again whenever the scale it is drawn at changes, so a wheel or pinch that
 * changed the drawing's scale each event cost a full layout of what is on
 * screen per event. While a gesture lasts the drawing stays at the view it was
 * drawn at ("drawn"), and a CSS transform on the canvas maps it to the view the
 * person asked for ("view"); the view is drawn for real once the gesture
 * pauses (Settle), or as soon as something needs the drawing itself.
 *
 *   const t = previewTransform(drawn, view);      // {s, x, y}: screen = drawn screen * s + (x, y)
 *   root.style.transform = `translate(${t.x}px, ${t.y}px) scale(${t.s})`;
 *   previewCover(drawn, view, size);              // 0.2: a fifth of the screen shows the drawing; draw now
 *   const settle = new Settle(() => viewport.commit(), SETTLE_MS);
 *   settle.touch();                                // each event: commit once SETTLE_MS passed without one
 */

/** @typedef {import('../model/geometry.js').View} View */

// The gesture counts as paused after this long without a zoom event (a pinch sends one every ~16 ms).
export const SETTLE_MS = 140;
// Zoomed out until the drawing covers less than this share of the screen, the view is drawn
// in the middle of the gesture: the rest of the screen shows only the empty grid meanwhile.
export const MIN_COVER = 0.25;

/**
 * The CSS transform (origin top left) that shows what is drawn at `drawn` as `view`:
 * a canvas point p is drawn at p * drawn.k + drawn.(x, y) and must appear at p * view.k + view.(x, y).
 * @param {View} drawn
 * @param {View} view
 * @returns {{s: number, x: number, y: number}}
 */
export function previewTransform(drawn, view) {
  const s = view.k / drawn.k;
  return { s, x: view.x - drawn.x * s, y: view.y - drawn.y * s };
}

/**
 * How much of the screen the drawing still covers under the preview transform (0..1):
 * zoomed out, the canvas element's box shrinks and what lies beyond it was never drawn.
 * @param {View} drawn
 * @param {View} view
 * @param {{width: number, height: number}} size the canvas on screen
 */
export function previewCover(drawn, view, size) {
  const t = previewTransform(drawn, view);
  const { width, height } = size;
  if (width <= 0 || height <= 0) return 1;
  const w = Math.min(width, t.x + width * t.s) - Math.max(0, t.x);
  const h = Math.min(height, t.y + height * t.s) - Math.max(0, t.y);
  return Math.max(0, w) * Math.max(0, h) / (width * height);
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
