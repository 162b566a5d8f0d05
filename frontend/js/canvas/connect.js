// @ts-check
/**
 * Drawing flow arrows. With the pointer: drag the round handle on a note's
 * right edge onto another note (a dashed rubber band follows; dropping on
 * empty canvas cancels). With the keyboard: select a note, press C, then
 * click the target, or pick it with the arrow keys and press Enter. Dragged
 * out and back onto its own step, the band shows a loop and the drop makes the
 * step's rework loop; back onto a queue or note, the status says why there is
 * no arrow (model/rework.js arrowOnto).
 *
 *   connect.render(elements);          // each frame: handle and rubber band
 *   connect.startKeys('s-1');          // C pressed with s-1 selected
 */

import { footprintOf } from '../model/boxes.js';
import { connectorPath, contains, handlePoint, hitTest, nearestInDirection, rectOf, sideAnchor, anchorInset } from '../model/geometry.js';
import { attr, show, svg } from '../util/dom.js';
import { arrowFromDeleted } from '../model/unsaved.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {import('../model/geometry.js').Point} Point
 */

// The handle's reach on screen (its hit circle's radius, px). It sits on the note's right
// edge, so on a note under three times as wide it covers the note's middle or nearly (far
// out, a few pixels a note), and a click meant to select the note would start an arrow:
// such a note gets no handle (zoom in, or press C, or use the tool bar's arrow button).
export const HANDLE_REACH = 14;

const KEYS_HINT = 'Draw an arrow: click the step it goes to, or pick it with the arrow keys and press Enter. Esc cancels.';

export class ConnectTool {
  /**
   * @param {object} deps
   * @param {import('./scene.js').Scene} deps.scene
   * @param {import('./viewport.js').Viewport} deps.viewport
   * @param {import('../editor.js').Editor} deps.editor
   * @param {{show: (message: string) => void, dismiss: (message: string) => void}} deps.hints
   */
  constructor({ scene, viewport, editor, hints }) {
    this.scene = scene;
    this.viewport = viewport;
    this.editor = editor;
    this.hints = hints;
    this.handle = svg('g', {
      class: 'connect-handle', 'data-handle': 'connect', role: 'button', 'aria-label': 'Draw an arrow',
    }, [
      svg('circle', { class: 'connect-handle-hit', r: HANDLE_REACH }),
      svg('circle', { class: 'connect-handle-dot', r: 8 }),
      svg('path', { class: 'connect-handle-icon', d: 'M -3.5 0 H 3 M 0.5 -2.8 L 3.3 0 L 0.5 2.8' }),
    ]);
    this.rubber = svg('path', { class: 'rubber-band', 'marker-end': 'url(#arrow-draft)' });
    /** @type {BoardElement|undefined} what the arrow being drawn comes from, as last drawn */
    this._source = undefined;
    show(this.handle, false);
    show(this.rubber, false);
    scene.overlay.append(this.rubber, this.handle);
  }

  /** @param {Map<string, BoardElement>} elements */
  render(elements) {
    const editor = this.editor;
    const draft = editor.connecting;
    const busy = !editor.canEdit || editor.editing || editor.dragging.size || draft;
    const hovered = editor.hovered ? elements.get(editor.hovered) : undefined;
    const selected = editor.selection.size === 1 ? elements.get([...editor.selection][0]) : undefined;
    const roomy = (/** @type {BoardElement} */ el) => rectOf(el).w * this.viewport.k >= 3 * HANDLE_REACH;
    const owner = busy ? undefined : [hovered, selected].find((el) => el && el.kind !== 'connector' && roomy(el));
    show(this.handle, Boolean(owner));
    if (owner) {
      const p = handlePoint(rectOf(owner));
      attr(this.handle, 'transform', `translate(${p.x} ${p.y}) scale(${1 / this.viewport.k})`);
      attr(this.handle, 'data-for', owner.id);
      attr(this.handle, 'aria-label', `Draw an arrow from ${owner.text?.trim() || `this ${owner.kind}`}`);
    }
    const source = draft ? elements.get(draft.source) : undefined;
    if (draft && !source) return this._sourceGone();
    this._source = source; // as last drawn: named if someone deletes it mid-drawing
    const target = draft?.target ? elements.get(draft.target) : undefined;
    show(this.rubber, Boolean(source && (target || draft?.to)));
    if (!source) return;
    if (target === source && source.kind === 'step') {
      // Back on its own step: the loop the drop makes, under what hangs below the step.
      const f = footprintOf(source, editor.figures());
      attr(this.rubber, 'd', connectorPath(rectOf(source), rectOf(source), 'rework', {
        sourceInset: 0, targetInset: 0, lane: 0, sourceFoot: f.y + f.h, targetFoot: f.y + f.h, floor: f.y + f.h }).d);
    } else if (target && target !== source) {
      attr(this.rubber, 'd', connectorPath(rectOf(source), rectOf(target), 'flow', {
        sourceInset: anchorInset(source), targetInset: anchorInset(target) }).d);
    } else if (draft?.to) {
      const from = sideAnchor(rectOf(source), draft.to, anchorInset(source));
      attr(this.rubber, 'd', `M ${from.x} ${from.y} L ${draft.to.x} ${draft.to.y}`);
    }
  }

  /**
   * Drag from the handle of `source` until the pointer is released.
   * @param {PointerEvent} down
   * @param {string} source
   */
  startDrag(down, source) {
    const root = this.scene.root;
    root.setPointerCapture(down.pointerId);
    this.editor.connecting = { source, to: this.viewport.toWorld(down.clientX, down.clientY), target: null, via: 'drag' };
    this.editor.requestRender();
    const move = (/** @type {PointerEvent} */ e) => {
      if (e.pointerId === down.pointerId) this.pointTo(this.viewport.toWorld(e.clientX, e.clientY));
    };
    const up = (/** @type {PointerEvent} */ e) => {
      if (e.pointerId !== down.pointerId) return;
      root.removeEventListener('pointermove', move);
      root.removeEventListener('pointerup', up);
      root.removeEventListener('pointercancel', up);
      const draft = this.editor.connecting;
      this.editor.connecting = null;
      if (draft?.target && e.type === 'pointerup') this.editor.dropArrow(draft.source, draft.target);
      this.editor.requestRender();
    };
    root.addEventListener('pointermove', move);
    root.addEventListener('pointerup', up);
    root.addEventListener('pointercancel', up);
  }

  /** @param {string} source start choosing a target for an arrow from it */
  startKeys(source) {
    const el = this.editor.elements().get(source);
    if (!el || el.kind === 'connector' || !this.editor.canEdit) return;
    this.editor.connecting = { source, to: null, target: null, via: 'keys' };
    this.hints.show(KEYS_HINT);
    this.editor.requestRender();
  }

  /** @param {Point} p the pointer, in canvas coordinates */
  pointTo(p) {
    const draft = this.editor.connecting;
    if (!draft) return;
    const elements = this.editor.elements();
    const hit = hitTest(elements.values(), p, { except: draft.source });
    const source = elements.get(draft.source);
    const onSource = Boolean(source && contains(rectOf(source), p));
    // The press on the handle is half on the box: back on it counts once the pointer has left it.
    if (!onSource) draft.left = true;
    draft.to = p;
    draft.target = hit ? hit.id : onSource && draft.left ? draft.source : null;
    this.editor.requestRender();
  }

  /** @param {'left'|'right'|'up'|'down'} direction choose the next target that way */
  moveTarget(direction) {
    const draft = this.editor.connecting;
    if (!draft) return;
    const elements = this.editor.elements();
    const from = elements.get(draft.target ?? draft.source);
    if (!from) return;
    const candidates = [...elements.values()].filter((el) => el.id !== draft.source);
    const next = nearestInDirection(candidates, from, direction);
    if (next) {
      draft.target = next.id;
      draft.to = null;
      this.editor.requestRender();
    }
  }

  /** Enter: connect to the chosen target. */
  confirmKeys() {
    const draft = this.editor.connecting;
    if (draft?.target) this.finishKeys(draft.target);
  }

  /** @param {string|null} id the element clicked (null: empty canvas cancels) */
  finishKeys(id) {
    const draft = this.editor.connecting;
    this.editor.connecting = null;
    this.hints.dismiss(KEYS_HINT);
    const el = id ? this.editor.elements().get(id) : undefined;
    if (draft && el && el.kind !== 'connector') this.editor.dropArrow(draft.source, el.id);
    this.editor.requestRender();
  }

  /**
   * Someone else deleted the element the arrow was being drawn from: the drawing ends (its
   * rubber band had vanished under the pointer and the drop did nothing), and says why.
   */
  _sourceGone() {
    const was = this._source;
    this._source = undefined;
    this.cancel();
    show(this.rubber, false);
    if (was) this.editor.notify(arrowFromDeleted(was));
  }

  cancel() {
    if (!this.editor.connecting) return false;
    this.editor.connecting = null;
    this.hints.dismiss(KEYS_HINT);
    this.editor.requestRender();
    return true;
  }
}
