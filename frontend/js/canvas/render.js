// @ts-check
/**
 * Draw the board: one SVG group per element, kept across frames and keyed by
 * id. An element is redrawn only when its object changed (the board model
 * replaces elements, never mutates them); a connector also when either end did.
 *
 *   const renderer = new Renderer(scene);
 *   renderer.render(elements, {selection: new Set(['s-1']), hovered: null, ...}, {calendar});
 *   document.querySelector('[data-id="s-1"]');   // <g class="el el-step is-selected" ...>
 */

import { connectorRoom, laneOffsets } from '../model/geometry.js';
import { SHAPES } from './shapes.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {object} RenderState
 * @property {Set<string>} selection
 * @property {string|null} hovered
 * @property {string|null} editing
 * @property {string|null} dropTarget   the element an arrow being drawn would end on
 * @property {Set<string>} dragging     ours, moving under the pointer
 * @property {Set<string>} live         moved by a peer right now
 */

/** @param {unknown[]} a @param {unknown[]} b */
function same(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * What a rework loop's route depends on beyond its ends (the boxes it passes
 * under), as one comparable string: it is redrawn when that changes.
 * @param {BoardElement} el
 * @param {Map<string, BoardElement>} elements
 */
function reworkRoom(el, elements) {
  const source = elements.get(el.source ?? '');
  const target = elements.get(el.target ?? '');
  if (!source || !target) return null;
  const { floor, sourceFoot, targetFoot } = connectorRoom(el, source, target, elements);
  return `${floor} ${sourceFoot} ${targetFoot}`;
}

export class Renderer {
  /** @param {import('./scene.js').Scene} scene */
  constructor(scene) {
    this.scene = scene;
    /** @type {Map<string, import('./shapes.js').ShapeNode>} */
    this.nodes = new Map();
  }

  /**
   * @param {Map<string, BoardElement>} elements the view, in drawing order
   * @param {RenderState} state
   * @param {import('./shapes.js').DrawContext} ctx
   */
  render(elements, state, ctx) {
    const seen = new Set();
    const lanes = laneOffsets(elements.values());
    const drawing = { ...ctx, lanes };
    for (const el of elements.values()) {
      const shape = SHAPES[el.kind];
      if (!shape) continue;
      let node = this.nodes.get(el.id);
      if (!node || node.kind !== el.kind) {
        node?.g.remove();
        node = shape.create(el);
        this.nodes.set(el.id, node);
        (el.kind === 'connector' ? this.scene.connectors : this.scene.elements).append(node.g);
      }
      // The calendar is kept as one object until it changes, so this compares cheaply.
      const deps = el.kind === 'connector'
        ? [el, elements.get(el.source ?? ''), elements.get(el.target ?? ''), lanes.get(el.id) ?? 0,
          el.connector === 'rework' ? reworkRoom(el, elements) : null]
        : [el, ctx.calendar, el.kind === 'step' ? JSON.stringify(ctx.estimates?.[el.id] ?? null) : null,
          el.kind === 'step' ? JSON.stringify(ctx.measured?.steps?.[el.id] ?? null) : null];
      if (!same(node.deps, deps)) {
        shape.update(node, el, elements, drawing);
        node.deps = deps;
        node.el = el;
      }
      this._mark(node.g, el.id, state);
      seen.add(el.id);
    }
    for (const [id, node] of this.nodes) {
      if (!seen.has(id)) {
        node.g.remove();
        this.nodes.delete(id);
      }
    }
  }

  /** @param {string} id @returns {SVGGElement|null} */
  nodeOf(id) {
    return this.nodes.get(id)?.g ?? null;
  }

  /**
   * @param {SVGGElement} g
   * @param {string} id
   * @param {RenderState} state
   */
  _mark(g, id, state) {
    const selected = state.selection.has(id);
    g.classList.toggle('is-selected', selected);
    g.classList.toggle('is-hovered', state.hovered === id);
    g.classList.toggle('is-editing', state.editing === id);
    g.classList.toggle('is-drop-target', state.dropTarget === id);
    g.classList.toggle('is-dragging', state.dragging.has(id));
    g.classList.toggle('is-live', state.live.has(id));
    if ((g.getAttribute('aria-pressed') === 'true') !== selected) g.setAttribute('aria-pressed', String(selected));
  }
}
