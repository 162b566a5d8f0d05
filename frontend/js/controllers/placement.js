// @ts-check
/**
 * Adding things to the map where they fit, and opening them to be named or
 * figured: a step goes to the nearest free spot and its label opens; "add next
 * step" puts the next step beside the selected one, joined by an arrow; an
 * inventory opens its count in the side panel, a note its text. Where things
 * go is decided in model/placement.js (through the editor); this only adds
 * and opens.
 *
 *   const placement = new Placement({ editor, model, viewport, textEdit, inspector });
 *   placement.addStep(viewport.center());
 *   placement.addNextStep();               // after the selected step
 *   placement.inspect('s-1', 'wait_minutes');
 */

import { drawnNode } from '../canvas/scene.js';
import { inspectField } from '../model/boxes.js';
import { rectOf, selectionRect } from '../model/geometry.js';

// Screen pixels an arrow reached with the keyboard keeps round its middle: its label
// and the bar over the selection.
const ARROW_REACH_MARGIN = 96;

/** @typedef {import('../model/geometry.js').Point} Point */

export class Placement {
  /**
   * @param {object} deps
   * @param {import('../editor.js').Editor} deps.editor
   * @param {import('../model/board.js').BoardModel} deps.model
   * @param {import('../canvas/viewport.js').Viewport} deps.viewport
   * @param {import('../canvas/text-edit.js').TextEdit} deps.textEdit
   * @param {import('../ui/inspector.js').Inspector} deps.inspector
   */
  constructor({ editor, model, viewport, textEdit, inspector }) {
    this.editor = editor;
    this.model = model;
    this.viewport = viewport;
    this.textEdit = textEdit;
    this.inspector = inspector;
  }

  /** @param {Point} at where the new step's centre is wanted (it goes to the nearest free spot) */
  addStep(at) {
    if (!this.editor.canEdit) return;
    this.textEdit.start(this.editor.addStep(at), { isNew: true });
  }

  /** The step after the selected step, joined to it by an arrow, ready to name. */
  addNextStep() {
    const one = this.editor.single();
    const id = one ? this.editor.addNextStep(one.id) : null;
    if (!id) return;
    const placed = this.editor.elements().get(id);
    if (placed) this.viewport.reveal(rectOf(placed));
    this.textEdit.start(id, { isNew: true });
  }

  /**
   * @param {'inventory'|'note'} kind
   * @param {Point} at
   */
  addElement(kind, at) {
    if (!this.editor.canEdit) return;
    const id = this.editor.addElement(kind, { x: Math.round(at.x), y: Math.round(at.y) });
    if (kind === 'note') this.textEdit.start(id, { isNew: true });
    else this.inspect(id, 'count');
  }

  /**
   * A new experiment card, its baseline taken from the map as it is now.
   * @param {Point} at
   */
  addExperiment(at) {
    if (!this.editor.canEdit) return;
    const baseline = this.model.metrics?.lead_time_minutes ?? null;
    const id = this.editor.addElement('experiment', { x: Math.round(at.x), y: Math.round(at.y) },
      { metric: 'lead_time', baseline: baseline || null });
    this.inspect(id, 'text');
  }

  /**
   * Open one figure of an element in the side panel, caret in it.
   * @param {string} id
   * @param {string} field
   */
  inspect(id, field) {
    const el = this.editor.elements().get(id);
    if (!el) return;
    this.editor.select([id]);
    this.inspector.render(el, this.model.metrics, this.editor.calendar(), this.model.view().elements);
    this.inspector.focusField(field);
  }

  /**
   * Select an element, bring it into view (an arrow: its middle, where its label is) and
   * give it the keyboard's focus once it is drawn, so a screen reader says where it is.
   * @param {string} id
   */
  reach(id) {
    const el = this.editor.elements().get(id);
    if (!el) return;
    this.editor.select([id]);
    const box = el.kind === 'connector' ? selectionRect([el], this.editor.elements()) : rectOf(el);
    if (box) this.viewport.reveal(box, ARROW_REACH_MARGIN);
    requestAnimationFrame(() => {
      const g = drawnNode(this.viewport.scene, id);
      if (g instanceof SVGElement) g.focus({ preventScroll: true });
    });
  }

  /** The selected element's side panel, at its first figure (the keyboard's Enter). */
  inspectSelected() {
    const one = this.editor.single();
    if (one) this.inspect(one.id, inspectField(one));
  }
}
