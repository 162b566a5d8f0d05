// @ts-check
/**
 * The facilitator's "Tidy up": ask the server how it would lay the map out,
 * show that as ghosts on the canvas (where each note would go, which empty
 * notes would go away), and apply it on request as one change everyone sees
 * and the facilitator can undo.
 *
 *   const tidy = new TidyPreview({scene, bar, fetchPlan, apply, elements});
 *   await tidy.open();   // ghosts + "Apply" / "Cancel"
 */

import { rectOf } from '../model/geometry.js';
import { html, svg } from '../util/dom.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{op: string, id: string, set?: {x: number, y: number}}} PlanOp
 * @typedef {{ops: PlanOp[], moved: number, removed: number}} Plan
 */

export class TidyPreview {
  /**
   * @param {object} deps
   * @param {import('../canvas/scene.js').Scene} deps.scene
   * @param {HTMLElement} deps.bar
   * @param {() => Promise<Plan>} deps.fetchPlan
   * @param {(ops: PlanOp[]) => void} deps.apply
   * @param {() => Map<string, BoardElement>} deps.elements
   * @param {(message: string) => void} deps.notify
   */
  constructor({ scene, bar, fetchPlan, apply, elements, notify }) {
    this.bar = bar;
    this.fetchPlan = fetchPlan;
    this.apply = apply;
    this.elements = elements;
    this.notify = notify;
    this.ghosts = svg('g', { class: 'tidy-ghosts' });
    scene.overlay.append(this.ghosts);
    /** @type {Plan|null} */
    this.plan = null;
    // Escape leaves the preview as Cancel does, wherever the focus is.
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.isOpen) this.close();
    });
  }

  get isOpen() {
    return this.plan !== null;
  }

  async open() {
    let plan;
    try {
      plan = await this.fetchPlan();
    } catch {
      this.notify('Could not work out the tidy layout; try again.');
      return;
    }
    if (!plan.ops.length) {
      this.notify('The map is already tidy.');
      return;
    }
    this.plan = plan;
    this._draw();
    const apply = html('button', { type: 'button', class: 'button button-primary', 'data-tidy': 'apply' }, ['Apply']);
    const cancel = html('button', { type: 'button', class: 'button', 'data-tidy': 'cancel' }, ['Cancel']);
    apply.addEventListener('click', () => this.commit());
    cancel.addEventListener('click', () => this.close());
    const what = [`moves ${plan.moved} ${plan.moved === 1 ? 'element' : 'elements'}`];
    if (plan.removed) what.push(`removes ${plan.removed} empty ${plan.removed === 1 ? 'note' : 'notes'}`);
    this.bar.replaceChildren(
      html('span', {}, [html('strong', {}, ['Tidy up: ']), `${what.join(' and ')}. The dashed outlines show where things go.`]),
      cancel, apply);
    this.bar.hidden = false;
    apply.focus();
  }

  commit() {
    if (!this.plan) return;
    this.apply(this.plan.ops);
    this.close();
  }

  close() {
    this.plan = null;
    this.ghosts.replaceChildren();
    this.bar.hidden = true;
  }

  _draw() {
    const now = this.elements();
    const parts = [];
    for (const op of this.plan?.ops ?? []) {
      const el = now.get(op.id);
      if (!el) continue;
      const r = rectOf(el);
      if (op.op === 'update' && op.set) {
        parts.push(svg('rect', { class: 'tidy-ghost', x: op.set.x, y: op.set.y, width: r.w, height: r.h, rx: 8, ry: 8 }));
        parts.push(svg('line', { class: 'tidy-path', x1: r.x + r.w / 2, y1: r.y + r.h / 2, x2: op.set.x + r.w / 2, y2: op.set.y + r.h / 2 }));
      } else if (op.op === 'delete') {
        parts.push(svg('path', { class: 'tidy-remove', d: `M ${r.x} ${r.y} L ${r.x + r.w} ${r.y + r.h} M ${r.x + r.w} ${r.y} L ${r.x} ${r.y + r.h}` }));
      }
    }
    this.ghosts.replaceChildren(...parts);
  }
}
