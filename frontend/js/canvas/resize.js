// @ts-check
/**
 * Resizing a note, hypothesis, kaizen burst or experiment card: a square
 * handle on the bottom-right corner of the one selected box (model/boxes.js
 * says which kinds resize). Dragging it shows the new size at once and ends
 * with one undoable update of `w` and `h`; Escape puts it back. The stored size
 * is the box's minimum: its text still grows it downwards.
 *
 *   const resize = new ResizeTool({scene, viewport, editor});
 *   resize.render(elements);                 // each frame
 *   resize.startDrag(pointerdown, 'n-1');     // a press on the handle (select.js)
 */

import { boxOf, canResize, clampSize, storedRect } from '../model/boxes.js';
import { attr, show, svg } from '../util/dom.js';

/** @typedef {import('../protocol.js').Element} BoardElement */

// The handle's size on screen, whatever the zoom; its hit area is larger for fingers.
const HANDLE_PX = 10;
const HIT_PX = 22;

export class ResizeTool {
  /**
   * @param {object} deps
   * @param {import('./scene.js').Scene} deps.scene
   * @param {import('./viewport.js').Viewport} deps.viewport
   * @param {import('../editor.js').Editor} deps.editor
   */
  constructor({ scene, viewport, editor }) {
    this.scene = scene;
    this.viewport = viewport;
    this.editor = editor;
    this.handle = svg('g', { class: 'resize-handle', 'data-handle': 'resize', role: 'button', 'aria-label': 'Resize' }, [
      svg('rect', { class: 'resize-handle-hit', x: -HIT_PX / 2, y: -HIT_PX / 2, width: HIT_PX, height: HIT_PX }),
      svg('rect', { class: 'resize-handle-box', x: -HANDLE_PX / 2, y: -HANDLE_PX / 2, width: HANDLE_PX, height: HANDLE_PX, rx: 2 }),
    ]);
    show(this.handle, false);
    scene.overlay.append(this.handle);
    /** @type {{pointerId: number, id: string} | null} */
    this.active = null;
  }

  /** @param {Map<string, BoardElement>} elements */
  render(elements) {
    const editor = this.editor;
    const one = editor.selection.size === 1 ? elements.get([...editor.selection][0]) : undefined;
    const busy = !editor.canEdit || editor.editing || editor.dragging.size || editor.connecting;
    const owner = one && canResize(one) && (!busy || this.active) ? one : undefined;
    show(this.handle, Boolean(owner));
    if (!owner) return;
    const r = boxOf(owner);
    attr(this.handle, 'transform', `translate(${r.x + r.w} ${r.y + r.h}) scale(${1 / this.viewport.k})`);
    attr(this.handle, 'data-for', owner.id);
  }

  /**
   * Follow the pointer from a press on the handle until it is released.
   * @param {PointerEvent} down
   * @param {string} id the box
   */
  startDrag(down, id) {
    const el = this.editor.elements().get(id);
    if (!el || !canResize(el)) return;
    const start = storedRect(el);
    const drawn = boxOf(el);
    const root = this.scene.root;
    root.setPointerCapture(down.pointerId);
    this.active = { pointerId: down.pointerId, id };
    const sizeAt = (/** @type {PointerEvent} */ e) => clampSize(
      start.w + (e.clientX - down.clientX) / this.viewport.k, drawn.h + (e.clientY - down.clientY) / this.viewport.k);
    const move = (/** @type {PointerEvent} */ e) => {
      if (e.pointerId !== down.pointerId || this.active?.id !== id) return;
      this.editor.sizing = { id, ...sizeAt(e) };
      this.editor.requestRender();
    };
    const end = (/** @type {PointerEvent} */ e) => {
      if (e.pointerId !== down.pointerId) return;
      root.removeEventListener('pointermove', move);
      root.removeEventListener('pointerup', end);
      root.removeEventListener('pointercancel', end);
      const finished = this.active?.id === id && e.type === 'pointerup';
      this.cancel();
      if (finished && (e.clientX !== down.clientX || e.clientY !== down.clientY)) this.editor.update(id, sizeAt(e));
    };
    root.addEventListener('pointermove', move);
    root.addEventListener('pointerup', end);
    root.addEventListener('pointercancel', end);
  }

  /** @returns {boolean} whether a resize was under way (Escape puts the size back) */
  cancel() {
    if (!this.active) return false;
    this.active = null;
    this.editor.sizing = null;
    this.editor.requestRender();
    return true;
  }
}
