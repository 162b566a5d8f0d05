// @ts-check
/**
 * Which elements are far enough off screen to skip: an element whose drawing
 * (its footprint, and the air its badges and tags take around it) lies wholly
 * outside the visible canvas, grown by a margin, is not laid out or painted.
 * The margin keeps a pan from showing and hiding elements every frame; a second,
 * wider one (hysteresis) keeps an element at the edge from flickering between
 * the two.
 *
 *   const cull = new Culling();
 *   cull.update(elements, {x: 0, y: 0, w: 1280, h: 800}, keep);   // ids to hide and to show again
 */

import { footprintOf, isBox } from '../model/boxes.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {import('../model/geometry.js').Rect} Rect
 */

// Badges, owner tags, the selection ring and an arrow's label reach this far (canvas units) past a footprint.
const AIR = 48;
// A rework loop dips under its ends: this much room below them.
const REWORK_DIP = 220;
// Shown once within this share of the screen beyond its edge; hidden only past the wider one.
const SHOW_MARGIN = 0.1;
const HIDE_MARGIN = 0.3;

/**
 * Where an element draws, in canvas units, or null when it draws nothing it owns.
 * @param {BoardElement} el
 * @param {Map<string, BoardElement>} elements
 * @param {import('../model/boxes.js').Figures} [figures] the board's measurement: the lines it
 *   adds under a step's figures are part of its drawing
 * @returns {Rect|null}
 */
export function drawnBounds(el, elements, figures) {
  if (isBox(el)) return grow(footprintOf(el, figures), AIR);
  if (el.kind !== 'connector') return null;
  const source = elements.get(el.source ?? '');
  const target = elements.get(el.target ?? '');
  if (!source || !target) return null;
  const a = footprintOf(source, figures);
  const b = footprintOf(target, figures);
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  const dip = el.connector === 'rework' ? REWORK_DIP : 0;
  return grow({ x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y + dip }, AIR);
}

/** @param {Rect} r @param {number} by */
function grow(r, by) {
  return { x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by };
}

/** @param {Rect} a @param {Rect} b */
function meets(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** @param {Rect} view @param {number} share of the view's size, on each side */
function around(view, share) {
  return { x: view.x - view.w * share, y: view.y - view.h * share, w: view.w * (1 + 2 * share), h: view.h * (1 + 2 * share) };
}

export class Culling {
  constructor() {
    /** @type {Set<string>} ids hidden now */
    this.hidden = new Set();
    /** @type {WeakMap<BoardElement, {r: Rect|null, foot?: object, source?: BoardElement, target?: BoardElement,
     *  a?: object, b?: object}>} per element object (elements are replaced, never mutated) and footprint (a
     *  metrics push can bring a step measured lines); an arrow's also depends on its ends. A pass runs every
     *  frame something moves, over every element: it allocates nothing for those that did not change. */
    this._bounds = new WeakMap();
  }

  /**
   * Work out what to hide and what to show again.
   * @param {Map<string, BoardElement>} elements
   * @param {Rect} view the canvas on screen
   * @param {(id: string) => boolean} keep never hidden (selected, being edited or dragged)
   * @param {string[]|null} [only] look at these ids alone (the view is as last time and only they changed)
   * @param {import('../model/boxes.js').Figures} [figures] the board's measurement (model/boxes.js footprintOf)
   * @returns {{hide: string[], show: string[]}}
   */
  update(elements, view, keep, only = null, figures = {}) {
    const near = around(view, SHOW_MARGIN);
    const far = around(view, HIDE_MARGIN);
    const hide = [];
    const show = [];
    const looked = only ? only.map((id) => elements.get(id)).filter((el) => el !== undefined) : elements.values();
    for (const el of looked) {
      const id = el.id;
      const hidden = this.hidden.has(id);
      const r = this._boundsOf(el, elements, figures);
      if (r === null || keep(id)) {
        if (hidden) show.push(id);
      } else if (hidden ? meets(r, near) : !meets(r, far)) {
        (hidden ? show : hide).push(id);
      }
    }
    for (const id of hide) this.hidden.add(id);
    for (const id of show) this.hidden.delete(id);
    if (!only) for (const id of this.hidden) if (!elements.has(id)) this.hidden.delete(id);
    return { hide, show };
  }

  /**
   * @param {BoardElement} el
   * @param {Map<string, BoardElement>} elements
   * @param {import('../model/boxes.js').Figures} figures
   */
  _boundsOf(el, elements, figures) {
    const known = this._bounds.get(el);
    if (el.kind !== 'connector') {
      const foot = isBox(el) ? footprintOf(el, figures) : undefined;
      if (known && known.foot === foot) return known.r;
      const r = drawnBounds(el, elements, figures);
      this._bounds.set(el, { r, foot });
      return r;
    }
    const source = elements.get(el.source ?? '');
    const target = elements.get(el.target ?? '');
    const a = source && footprintOf(source, figures);
    const b = target && footprintOf(target, figures);
    if (known && known.source === source && known.target === target && known.a === a && known.b === b) return known.r;
    const r = drawnBounds(el, elements, figures);
    this._bounds.set(el, { r, source, target, a, b });
    return r;
  }
}
