// @ts-check
/**
 * Selecting many with a box: a drag that starts on empty canvas draws a
 * selection box, and whatever it touches is selected as it grows (with Shift,
 * Ctrl or Cmd held, added to what was selected before). A press without a drag
 * is a click on empty canvas: it clears the selection. Escape puts the old
 * selection back. The select tool decides when a press starts one.
 *
 *   const box = new BoxSelect({viewport, editor, guides});
 *   box.begin(pointerdown);  box.update(pointermove);  box.finish();   // or box.cancel()
 */

import { touching } from '../model/align.js';
import { boxesOf } from '../model/boxes.js';

/**
 * @typedef {import('../model/geometry.js').Point} Point
 * @typedef {{pointerId: number, start: Point, from: Point, before: Set<string>, additive: boolean,
 *   moved: boolean}} BoxState  `start` on screen, `from` on the canvas
 */

// Below this many screen pixels a press is a click, not a box.
const DRAG_THRESHOLD = 3;

export class BoxSelect {
  /**
   * @param {object} deps
   * @param {import('./viewport.js').Viewport} deps.viewport
   * @param {import('../editor.js').Editor} deps.editor
   * @param {import('./guides.js').Guides} deps.guides draws the box
   */
  constructor({ viewport, editor, guides }) {
    this.viewport = viewport;
    this.editor = editor;
    this.guides = guides;
    /** @type {BoxState|null} */
    this.state = null;
  }

  /** Whether a box is being drawn (after the pointer moved past a click). */
  get drawing() {
    return Boolean(this.state?.moved);
  }

  /** @param {PointerEvent} e a press on empty canvas */
  begin(e) {
    this.state = {
      pointerId: e.pointerId, start: { x: e.clientX, y: e.clientY },
      from: this.viewport.toWorld(e.clientX, e.clientY), before: new Set(this.editor.selection),
      additive: e.shiftKey || e.metaKey || e.ctrlKey, moved: false,
    };
  }

  /** @param {PointerEvent} e */
  update(e) {
    const state = this.state;
    if (!state || e.pointerId !== state.pointerId) return;
    if (!state.moved && Math.hypot(e.clientX - state.start.x, e.clientY - state.start.y) < DRAG_THRESHOLD) return;
    if (!state.moved) {
      state.moved = true;
      this.editor.requestRender(); // the context bar steps aside while the box is drawn
    }
    const to = this.viewport.toWorld(e.clientX, e.clientY);
    const r = { x: Math.min(state.from.x, to.x), y: Math.min(state.from.y, to.y),
      w: Math.abs(to.x - state.from.x), h: Math.abs(to.y - state.from.y) };
    this.guides.marquee(r);
    const hit = touching(boxesOf(this.editor.elements().values()), r);
    const next = state.additive ? new Set([...state.before, ...hit]) : new Set(hit);
    const now = this.editor.selection;
    if (next.size !== now.size || [...next].some((id) => !now.has(id))) this.editor.select(next);
  }

  /** The pointer was released. */
  finish() {
    const state = this.state;
    if (!state) return;
    if (!state.moved && !state.additive) this.editor.select([]); // a click on empty canvas
    this._end();
  }

  /** @returns {boolean} whether a box was being drawn */
  cancel() {
    if (!this.state) return false;
    this.editor.select(this.state.before);
    this._end();
    return true;
  }

  _end() {
    this.state = null;
    this.guides.marquee(null);
    this.editor.requestRender();
  }
}
