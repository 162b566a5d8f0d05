// @ts-check
/**
 * Pan and zoom: which part of the (unbounded) canvas the screen shows.
 * screen = world * k + (x, y), in CSS pixels relative to the canvas element.
 * x, y, k are always what the screen shows (pointer maths and followers use them).
 * The zoom is a CSS transform of the <svg> elements, so the drawing inside is
 * laid out once, at scale 1 (zoom-preview.js says why). `drawn` is the view the
 * SVG's box, culling and the zoom-sized layers were set for. They differ while a
 * wheel or pinch zoom lasts, and catch up when the gesture pauses, a pointer goes
 * down, the view is set any other way, or what is drawn covers too little of the screen.
 *
 *   const viewport = new Viewport(scene, () => editor.requestRender());
 *   viewport.zoomAt(1.2, {x: 400, y: 300});   // zoom in around a screen point
 *   viewport.toWorld(event.clientX, event.clientY);
 */

import { clamp, fitView } from '../model/geometry.js';
import { attr } from '../util/dom.js';
import { MIN_COVER, SETTLE_MS, Settle, cssTransform, previewCover, previewTransform, shownRect } from './zoom-preview.js';

/** @typedef {import('../model/geometry.js').Point} Point */
/** @typedef {import('../model/geometry.js').Rect} Rect */
/** @typedef {import('../model/geometry.js').View} View */

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 4;
// Screen pixels each way the panels must leave free for `seen` and `show` to keep to that part.
const MIN_FREE = 120;
// One zoom button press, or one keyboard +/-.
const ZOOM_STEP = 1.25;
// A trackpad pinch (ctrl+wheel in small deltas): this much zoom per pixel of delta,
// so a slow pinch feels continuous.
const PINCH_ZOOM_RATE = 0.01;
// A mouse wheel's notch is ~100 px (or 3 lines); from this size on a delta counts as
// notches, and each notch zooms one button step: wheel and buttons agree.
const NOTCH_PX = 100;
const NOTCH_FROM_PX = 40;
// Grid dots stay between ~14 and ~28 screen px apart at any zoom.
const GRID_BASE = 24;
const GRID_MIN_SCREEN = 14;
const ANIMATION_MS = 160;
// Air around a fitted map: 48 px on a laptop, a twentieth of the free room on a phone (48 px
// of 390 each side was a quarter of its width, and the map's words the smaller for it).
const FIT_PADDING = 48;
const FIT_PADDING_SHARE = 0.05;

/**
 * The air a fit leaves around the map in a free part of the screen `w` x `h` (screen px).
 * @param {number} w @param {number} h
 */
export function fitPadding(w, h) {
  return Math.min(FIT_PADDING, Math.round(FIT_PADDING_SHARE * Math.min(w, h)));
}

/**
 * How much one ctrl+wheel event zooms: a notch of a mouse wheel is one button
 * step (1.25x), however the browser sizes it; a pinch's small deltas zoom smoothly.
 * @param {number} deltaPx the event's deltaY in pixels (down/out is positive)
 */
export function wheelZoomFactor(deltaPx) {
  if (Math.abs(deltaPx) >= NOTCH_FROM_PX) {
    const notches = Math.max(1, Math.round(Math.abs(deltaPx) / NOTCH_PX));
    return ZOOM_STEP ** (-Math.sign(deltaPx) * notches);
  }
  return Math.exp(-deltaPx * PINCH_ZOOM_RATE);
}

/**
 * @typedef {{left: number, top: number, right?: number, bottom?: number}} Insets
 *   screen pixels panels cover at each edge of the canvas
 */

/**
 * How far to move a span [lo, hi] (screen px, along one axis) so it lies in [min, max]: no
 * more than that; a span longer than the room keeps its start in.
 * @param {number} lo @param {number} hi @param {number} min @param {number} max
 */
export function nudge(lo, hi, min, max) {
  if (hi - lo > max - min || lo < min) return min - lo;
  if (hi > max) return max - hi;
  return 0;
}

/**
 * @typedef {{x0: number, y0: number, x1: number, y1: number}} Span2  a box by its edges, screen px
 */

/**
 * The free part of the screen for a box as wide as [x0, x1]: less what the controls floating
 * over the canvas cover in its column (the session bar under the top bar, the zoom and the
 * status at the bottom): one in the upper half lowers its top, one in the lower half raises
 * its bottom.
 * @param {number} x0 @param {number} x1
 * @param {Span2} free
 * @param {Span2[]} controls
 * @returns {Span2}
 */
function clearOfControls(x0, x1, free, controls) {
  let { y0, y1 } = free;
  const middle = (free.y0 + free.y1) / 2;
  for (const c of controls) {
    if (c.x1 <= x0 || c.x0 >= x1) continue;
    if ((c.y0 + c.y1) / 2 < middle) y0 = Math.max(y0, c.y1);
    else y1 = Math.min(y1, c.y0);
  }
  return y1 - y0 > 0 ? { ...free, y0, y1 } : free;
}

/**
 * The least pan that puts `box` in the free part of the screen clear of the controls, or
 * {dx: 0, dy: 0} when it is there already. When it has to move, what is to `keep` in view
 * with it (the map's title) comes along where the two fit together: at 1280 x 720 a step near
 * the top left was brought out from under the Flow panel, and the title over it stayed there.
 *
 *   revealShift({x0: 40, y0: 300, x1: 240, y1: 480}, free, [title], [zoom]);   // {dx: 300, dy: 0}
 *
 * @param {Span2} box the selection and its margin, on screen
 * @param {Span2} free the part of the screen the panels leave
 * @param {Span2[]} [keep] on screen, to stay in view with it where they fit
 * @param {Span2[]} [controls] on screen, what floats over the canvas: neither goes under them
 * @returns {{dx: number, dy: number}}
 */
export function revealShift(box, free, keep = [], controls = []) {
  const shift = (/** @type {Span2} */ b) => {
    const dx = nudge(b.x0, b.x1, free.x0, free.x1);
    const room = clearOfControls(b.x0 + dx, b.x1 + dx, free, controls);
    return { dx, dy: nudge(b.y0, b.y1, room.y0, room.y1), room };
  };
  const alone = shift(box);
  if (Math.abs(alone.dx) < 0.5 && Math.abs(alone.dy) < 0.5) return { dx: 0, dy: 0 };
  let together = box;
  for (const k of keep) {
    const both = { x0: Math.min(together.x0, k.x0), y0: Math.min(together.y0, k.y0),
      x1: Math.max(together.x1, k.x1), y1: Math.max(together.y1, k.y1) };
    const { room } = shift(both);
    // Only what fits with it in the room: a title far off across the map is not chased.
    if (both.x1 - both.x0 <= free.x1 - free.x0 && both.y1 - both.y0 <= room.y1 - room.y0) together = both;
  }
  const { dx, dy } = together === box ? alone : shift(together);
  return { dx, dy };
}

export class Viewport {
  /**
   * @param {import('./scene.js').Scene} scene
   * @param {() => void} onChange
   * @param {() => Insets} [insets]
   */
  constructor(scene, onChange, insets = () => ({ left: 0, top: 0 })) {
    /** Screen space (pixels) that panels cover at the edges: fitting and revealing leave it free. */
    this.insets = insets;
    this.scene = scene;
    this.onChange = onChange;
    this.x = 0;
    this.y = 0;
    this.k = 1;
    /** @type {View} the view the SVG is drawn at (differs from x, y, k during a zoom gesture) */
    this.drawn = { x: 0, y: 0, k: 1 };
    this._previewing = false;
    this._settle = new Settle(() => this._apply({ x: this.x, y: this.y, k: this.k }), SETTLE_MS);
    this._animation = 0;
    /** On its way to a view (`set` with animate): what is shown is not yet where it goes. */
    this.animating = false;
    /** The view is as `fit` left it: nobody has panned or zoomed since (a panel's change may refit it). */
    this.fitted = false;
    /** @type {Map<number, Point>} touch pointers down, for pinch */
    this._touches = new Map();
    /** @type {{distance: number, k: number, mid: Point, x: number, y: number}|null} */
    this._pinch = null;
    /** @type {DOMRect|null} the canvas on screen, until its size or the window changes */
    this._rect = null;
    scene.root.addEventListener('wheel', (e) => this._wheel(e), { passive: false });
    // Whatever a pointer starts (a drag, a click, a marquee) meets the drawing as it is on screen.
    scene.root.addEventListener('pointerdown', () => this.commit(), true);
    // Asking the element every time forces a layout in the middle of a frame (each
    // pointer move, each panel asking the size); it only changes when one of these says so.
    const forget = () => { this._rect = null; };
    // The SVG's own box is sized to the view (_apply): its host says when the screen changed.
    const host = scene.root.parentElement ?? scene.root;
    if (globalThis.ResizeObserver) {
      new ResizeObserver(() => {
        forget();
        if (!this._previewing) this._apply({ x: this.x, y: this.y, k: this.k });
      }).observe(host);
    }
    globalThis.addEventListener?.('resize', forget);
    globalThis.addEventListener?.('scroll', forget, true);
  }

  /**
   * The canvas element's box on screen (remembered until it can have changed). Measured on
   * its host, which it fills: the svg's own box includes a zoom gesture's transform.
   */
  get rect() {
    const root = this.scene.root;
    if (!this._rect || !globalThis.ResizeObserver) this._rect = (root.parentElement ?? root).getBoundingClientRect();
    return this._rect;
  }

  /** The canvas's size on screen. */
  get size() {
    const r = this.rect;
    return { width: r.width, height: r.height };
  }

  /** @param {number} clientX @param {number} clientY @returns {Point} screen point on the canvas */
  toLocal(clientX, clientY) {
    const r = this.rect;
    return { x: clientX - r.left, y: clientY - r.top };
  }

  /** @param {number} clientX @param {number} clientY @returns {Point} canvas coordinates */
  toWorld(clientX, clientY) {
    const p = this.toLocal(clientX, clientY);
    return { x: (p.x - this.x) / this.k, y: (p.y - this.y) / this.k };
  }

  /** @param {Point} p canvas coordinates @returns {Point} screen point on the canvas */
  toScreen(p) {
    return { x: p.x * this.k + this.x, y: p.y * this.k + this.y };
  }

  /** The canvas point in the middle of the screen. */
  center() {
    const { width, height } = this.size;
    return { x: (width / 2 - this.x) / this.k, y: (height / 2 - this.y) / this.k };
  }

  /**
   * @param {View} view
   * @param {{animate?: boolean}} [opts]
   */
  set(view, opts = {}) {
    cancelAnimationFrame(this._animation);
    this.fitted = false;
    const target = { x: view.x, y: view.y, k: clamp(view.k, MIN_ZOOM, MAX_ZOOM) };
    const reduced = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    if (!opts.animate || reduced) {
      this.animating = false;
      this._apply(target);
      return;
    }
    this.animating = true;
    const from = { x: this.x, y: this.y, k: this.k };
    const started = performance.now();
    const step = (/** @type {number} */ now) => {
      const t = Math.min(1, (now - started) / ANIMATION_MS);
      const e = 1 - (1 - t) ** 3;
      this.animating = t < 1;
      this._apply({ x: from.x + (target.x - from.x) * e, y: from.y + (target.y - from.y) * e,
        k: from.k + (target.k - from.k) * e });
      if (t < 1) this._animation = requestAnimationFrame(step);
    };
    this._animation = requestAnimationFrame(step);
  }

  /** @param {number} dx @param {number} dy screen pixels */
  panBy(dx, dy) {
    this.set({ x: this.x + dx, y: this.y + dy, k: this.k });
  }

  /**
   * Zoom by `factor`, keeping the canvas point under `at` (screen) in place.
   * @param {number} factor
   * @param {Point} at
   * @param {{animate?: boolean, gesture?: boolean}} [opts] gesture: part of a wheel or pinch (see preview)
   */
  zoomAt(factor, at, opts = {}) {
    const k = clamp(this.k * factor, MIN_ZOOM, MAX_ZOOM);
    const wx = (at.x - this.x) / this.k;
    const wy = (at.y - this.y) / this.k;
    const view = { x: at.x - wx * k, y: at.y - wy * k, k };
    if (opts.gesture) this.preview(view);
    else this.set(view, opts);
  }

  /**
   * Show a view at once, as one step of a gesture: the compositor scales and moves
   * what is painted; the view is drawn SETTLE_MS after the last step (or at the next
   * pointer down, or any other change of view). Zoomed out so far that the drawing
   * would cover too little of the screen, it is drawn now.
   * @param {View} view
   */
  preview(view) {
    cancelAnimationFrame(this._animation);
    this.fitted = false;
    this.animating = false;
    const target = { x: view.x, y: view.y, k: clamp(view.k, MIN_ZOOM, MAX_ZOOM) };
    this.x = target.x;
    this.y = target.y;
    this.k = target.k;
    if (previewCover(this.drawn, target, this.size) < MIN_COVER) {
      this._apply(target);
      return;
    }
    const transform = previewTransform(this.drawn, target);
    for (const root of this._roots()) {
      if (!this._previewing) root.classList.add('is-zooming');
      root.style.transform = transform;
    }
    this._previewing = true;
    this._settle.touch();
    this.onChange();
  }

  /** Whether a zoom gesture is being shown by the compositor (culling has not caught up yet). */
  get previewing() {
    return this._previewing;
  }

  /** The SVGs a zoom gesture's preview scales: the map and, over it, peers' moving boxes. */
  _roots() {
    return this.scene.live ? [this.scene.root, this.scene.live.root] : [this.scene.root];
  }

  /** Draw the view a gesture left on screen now, if it is not drawn yet. */
  commit() {
    this._settle.flush();
  }

  /** @param {number} direction +1 in, -1 out */
  zoomStep(direction) {
    const { width, height } = this.size;
    this.zoomAt(direction > 0 ? ZOOM_STEP : 1 / ZOOM_STEP, { x: width / 2, y: height / 2 }, { animate: true });
  }

  /** Back to 100 % around the middle of the screen. */
  zoomReset() {
    const { width, height } = this.size;
    this.zoomAt(1 / this.k, { x: width / 2, y: height / 2 }, { animate: true });
  }

  /**
   * Show the whole box (or the origin, for an empty board).
   * @param {Rect|null} box
   * @param {{animate?: boolean}} [opts]
   * @returns {number} the zoom it goes to
   */
  fit(box, opts = { animate: true }) {
    const { width, height } = this.size;
    if (!box) {
      this.set({ x: width / 2, y: height / 2, k: 1 }, opts);
      this.fitted = true;
      return 1;
    }
    const view = this._fitView(box);
    this.set(view, opts);
    this.fitted = true;
    return view.k;
  }

  /**
   * The zoom `fit` would show the box at (what a fit of things sized on screen needs to know).
   * @param {Rect} box
   */
  fitZoom(box) {
    return this._fitView(box).k;
  }

  /**
   * The view that shows the whole box in the part of the screen the panels leave free.
   * @param {Rect} box
   * @returns {View}
   */
  _fitView(box) {
    const { width, height } = this.size;
    // Panels floating over the canvas (the totals, the tool bar, an open side panel) keep their strip.
    const inset = this._insets();
    const [w, h] = [width - inset.left - inset.right, height - inset.top - inset.bottom];
    const view = fitView(box, w, h, { padding: fitPadding(w, h), minZoom: MIN_ZOOM, maxZoom: 1 });
    return { x: view.x + inset.left, y: view.y + inset.top, k: view.k };
  }

  /** The part of the screen no panel covers, in screen pixels. */
  free() {
    const { width, height } = this.size;
    const inset = this._insets();
    return { x0: inset.left, y0: inset.top, x1: width - inset.right, y1: height - inset.bottom };
  }

  /** @returns {Required<Insets>} */
  _insets() {
    return { left: 0, top: 0, right: 0, bottom: 0, ...this.insets() };
  }

  /**
   * The part of the canvas on screen, in canvas coordinates; or, given `drawn`, the
   * part the SVG is drawn for (all a zoom gesture's preview can show).
   * @param {View} [view]
   */
  visible(view = this) {
    return shownRect(view, this.size);
  }

  /**
   * The part of the canvas this person actually sees: the screen less the panels over it,
   * in canvas coordinates (the whole screen when panels leave too little of it).
   * @returns {Rect}
   */
  seen() {
    const f = this._roomy(this.free());
    return { x: (f.x0 - this.x) / this.k, y: (f.y0 - this.y) / this.k, w: (f.x1 - f.x0) / this.k, h: (f.y1 - f.y0) / this.k };
  }

  /**
   * Show what someone else sees (their `seen` rect) in the part of this screen its panels
   * leave free, whatever the two screens' sizes: a presenter's focus is not left under a
   * follower's panel.
   * @param {Rect} rect
   */
  show(rect) {
    const f = this._roomy(this.free());
    const k = clamp(Math.min((f.x1 - f.x0) / rect.w, (f.y1 - f.y0) / rect.h), MIN_ZOOM, MAX_ZOOM);
    const x = (f.x0 + f.x1) / 2 - (rect.x + rect.w / 2) * k;
    const y = (f.y0 + f.y1) / 2 - (rect.y + rect.h / 2) * k;
    if (Math.abs(x - this.x) < 0.5 && Math.abs(y - this.y) < 0.5 && Math.abs(k - this.k) < 1e-4) return;
    this.set({ x, y, k });
  }

  /**
   * `free`, or the whole screen when the panels leave less than MIN_FREE of it either way.
   * @param {{x0: number, y0: number, x1: number, y1: number}} free
   */
  _roomy(free) {
    const { width, height } = this.size;
    if (free.x1 - free.x0 >= MIN_FREE && free.y1 - free.y0 >= MIN_FREE) return free;
    return { x0: 0, y0: 0, x1: width, y1: height };
  }

  /**
   * Pan (at the current zoom) by the least that puts the box in the part of the screen the
   * panels leave free; leaves the view alone if it already is there. Centring it instead made
   * the whole map jump for a step just past the edge. A box bigger than that part shows its
   * top left (a step's name, where its figures begin).
   * What is to stay in view with it (`keep`: the map's title) comes along where both fit, and
   * neither goes under the `controls` floating over the canvas (revealShift).
   * @param {Rect} box
   * @param {number} [margin] screen pixels the box needs around it (what is drawn at its edges)
   * @param {Span2[]} [keep] screen px, relative to the canvas
   * @param {Span2[]} [controls] screen px, relative to the canvas
   */
  reveal(box, margin = 0, keep = [], controls = []) {
    const free = this._roomy(this.free());
    const a = this.toScreen(box);
    const b = this.toScreen({ x: box.x + box.w, y: box.y + box.h });
    const { dx, dy } = revealShift({ x0: a.x - margin, y0: a.y - margin, x1: b.x + margin, y1: b.y + margin },
      free, keep, controls);
    if (Math.abs(dx) < 0.5 && Math.abs(dy) < 0.5) return;
    this.set({ x: this.x + dx, y: this.y + dy, k: this.k }, { animate: true });
  }

  /**
   * Drag the canvas with a pointer until it is released.
   * @param {PointerEvent} down
   * @param {(moved: boolean) => void} [done]
   */
  startPan(down, done) {
    const root = this.scene.root;
    root.setPointerCapture(down.pointerId);
    root.classList.add('is-panning');
    let last = { x: down.clientX, y: down.clientY };
    let moved = false;
    const move = (/** @type {PointerEvent} */ e) => {
      if (e.pointerId !== down.pointerId || this._pinch) return;
      const dx = e.clientX - last.x;
      const dy = e.clientY - last.y;
      if (!moved && Math.hypot(e.clientX - down.clientX, e.clientY - down.clientY) < 3) return;
      moved = true;
      last = { x: e.clientX, y: e.clientY };
      this.panBy(dx, dy);
    };
    const up = (/** @type {PointerEvent} */ e) => {
      if (e.pointerId !== down.pointerId) return;
      root.removeEventListener('pointermove', move);
      root.removeEventListener('pointerup', up);
      root.removeEventListener('pointercancel', up);
      root.classList.remove('is-panning');
      done?.(moved || e.type === 'pointercancel');
    };
    root.addEventListener('pointermove', move);
    root.addEventListener('pointerup', up);
    root.addEventListener('pointercancel', up);
  }

  /**
   * Follow touch pointers; with two down, pinch-zoom and pan.
   * @param {PointerEvent} e a touch pointerdown
   * @returns {boolean} whether a pinch started (the caller drops its own gesture)
   */
  trackTouch(e) {
    const root = this.scene.root;
    this._touches.set(e.pointerId, this.toLocal(e.clientX, e.clientY));
    if (this._touches.size !== 2) return false;
    const [a, b] = [...this._touches.values()];
    this._pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, k: this.k,
      mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, x: this.x, y: this.y };
    const move = (/** @type {PointerEvent} */ ev) => {
      if (!this._touches.has(ev.pointerId) || !this._pinch) return;
      this._touches.set(ev.pointerId, this.toLocal(ev.clientX, ev.clientY));
      const [p, q] = [...this._touches.values()];
      const pinch = this._pinch;
      const k = clamp(pinch.k * Math.hypot(p.x - q.x, p.y - q.y) / pinch.distance, MIN_ZOOM, MAX_ZOOM);
      const mid = { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
      const wx = (pinch.mid.x - pinch.x) / pinch.k;
      const wy = (pinch.mid.y - pinch.y) / pinch.k;
      this.preview({ x: mid.x - wx * k, y: mid.y - wy * k, k });
    };
    const up = (/** @type {PointerEvent} */ ev) => {
      this._touches.delete(ev.pointerId);
      if (this._touches.size < 2) {
        this._pinch = null;
        this.commit();
        root.removeEventListener('pointermove', move);
        root.removeEventListener('pointerup', up);
        root.removeEventListener('pointercancel', up);
      }
    };
    root.addEventListener('pointermove', move);
    root.addEventListener('pointerup', up);
    root.addEventListener('pointercancel', up);
    return true;
  }

  /** @param {PointerEvent} e a touch pointer lifted outside a pinch */
  untrackTouch(e) {
    if (!this._pinch) this._touches.delete(e.pointerId);
  }

  /** @param {WheelEvent} e */
  _wheel(e) {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.size.height : 1;
    const at = this.toLocal(e.clientX, e.clientY);
    if (e.ctrlKey || e.metaKey) {
      // Trackpad pinches arrive as ctrl+wheel; mouse wheels with ctrl/cmd zoom too.
      this.zoomAt(wheelZoomFactor(e.deltaY * unit), at, { gesture: true });
      return;
    }
    let dx = e.deltaX * unit;
    let dy = e.deltaY * unit;
    if (e.shiftKey && dx === 0) [dx, dy] = [dy, 0]; // shift+wheel scrolls sideways on a mouse
    // A pan in the middle of a zoom gesture (a pinch drifts) joins it rather than drawing it now.
    if (this._previewing) this.preview({ x: this.x - dx, y: this.y - dy, k: this.k });
    else this.panBy(-dx, -dy);
  }

  /**
   * Draw the view: the canvas's transform and the grid, and the end of a gesture's preview.
   * @param {View} view
   */
  _apply(view) {
    this._settle.cancel();
    this.x = view.x;
    this.y = view.y;
    this.k = view.k;
    this.drawn = { x: view.x, y: view.y, k: view.k };
    // The box is the view's canvas rectangle, scaled to the screen; the world is moved into it.
    const { width, height } = this.size;
    const transform = cssTransform(view);
    const shift = `translate(${view.x / view.k} ${view.y / view.k})`;
    attr(this.scene.world, 'transform', shift);
    if (this.scene.live) attr(this.scene.live.world, 'transform', shift);
    for (const root of this._roots()) {
      root.style.transform = transform;
      root.style.width = `${width / view.k}px`;
      root.style.height = `${height / view.k}px`;
      // Painted anew at the scale it is shown at: the compositor's scaling of the old paint blurs.
      if (this._previewing) root.classList.remove('is-zooming');
    }
    this._previewing = false;
    const n = Math.ceil(Math.log2(GRID_MIN_SCREEN / (GRID_BASE * view.k)));
    const spacing = GRID_BASE * 2 ** n;
    const { grid, gridDot } = this.scene;
    attr(grid, 'width', spacing);
    attr(grid, 'height', spacing);
    // The dot sits mid-tile; shifting the tile puts dots on multiples of the spacing.
    attr(grid, 'x', -spacing / 2);
    attr(grid, 'y', -spacing / 2);
    attr(gridDot, 'cx', spacing / 2);
    attr(gridDot, 'cy', spacing / 2);
    attr(gridDot, 'r', 1.25 / view.k);
    this.onChange();
  }
}
