// @ts-check
/**
 * The map's frame drawn on the canvas: a header with the title, the scope and
 * who is who; the trigger at the left edge and the delivered value at the right
 * edge, joined to the flow. It moves with the steps and changes live when the
 * facilitator edits the frame (Map settings).
 *
 *   const layer = new FrameLayer(scene);
 *   layer.render(frame, metrics, elements, editor.canEdit);
 */

import { borderPoint, center } from '../model/geometry.js';
import { frameLayout } from '../model/frame-layout.js';
import { svg } from '../util/dom.js';
import { LastInputs } from './unchanged.js';

/** @typedef {import('../model/frame-layout.js').FrameLayout} FrameLayout */

// The empty lane's words: how to add the first step, to those who can; to a viewer, or a
// participant while the facilitator has paused editing, N and a double-click do nothing.
export const LANE_HINT = 'The steps go here, from the trigger to the value delivered. Add the first with N or double-click.';
export const LANE_WATCH = 'The steps go here, from the trigger to the value delivered, as the team adds them.';

export class FrameLayer {
  /** @param {import('./scene.js').Scene} scene */
  constructor(scene) {
    this.g = svg('g', { class: 'map-frame' });
    scene.underlay.append(this.g);
    this._key = '';
    this._last = new LastInputs();
    /** @type {FrameLayout|null} */
    this.layout = null;
  }

  /**
   * @param {Record<string, unknown>} frame
   * @param {any} metrics
   * @param {Map<string, import('../protocol.js').Element>} elements
   * @param {boolean} canEdit whether this person may add steps now
   */
  render(frame, metrics, elements, canEdit) {
    if (this._last.same(frame, metrics, elements, canEdit)) return;
    const layout = frameLayout(frame, metrics, elements);
    this.layout = layout;
    const key = JSON.stringify([layout, canEdit]);
    if (key === this._key) return;
    this._key = key;
    this.g.replaceChildren(...(layout ? draw(layout, canEdit) : []));
  }
}

/** @param {FrameLayout} layout @param {boolean} canEdit */
function draw(layout, canEdit) {
  const out = [];
  const h = layout.header;
  if (h) {
    const fo = svg('foreignObject', { x: h.x, y: h.y, width: h.w, height: h.h, class: 'frame-header' });
    const box = document.createElement('div');
    box.className = 'frame-header-box';
    for (const [cls, text] of [['frame-title', h.title], ['frame-scope', h.scope], ['frame-people', h.people]]) {
      if (!text) continue;
      const line = document.createElement('div');
      line.className = cls;
      line.textContent = text;
      box.append(line);
    }
    fo.append(box);
    out.push(fo);
  }
  if (layout.lane) {
    const { x, y, w, h } = layout.lane;
    const fo = svg('foreignObject', { x, y, width: w, height: h, class: 'frame-lane' });
    const box = document.createElement('div');
    box.className = 'frame-lane-box';
    box.textContent = canEdit ? LANE_HINT : LANE_WATCH;
    fo.append(box);
    out.push(fo);
  }
  for (const { from, to } of layout.arrows) {
    const a = borderPoint(from, center(to));
    const b = borderPoint(to, center(from));
    out.push(svg('path', { class: 'frame-arrow', d: `M ${a.x} ${a.y} L ${b.x} ${b.y}`, 'marker-end': 'url(#arrow-flow)' }));
  }
  for (const [edge, caption, cls] of /** @type {const} */ ([[layout.trigger, 'Trigger', 'is-trigger'], [layout.delivery, 'Value delivered', 'is-delivery']])) {
    if (!edge) continue;
    const fo = svg('foreignObject', { x: edge.x, y: edge.y, width: edge.w, height: edge.h, class: `frame-edge ${cls}` });
    const box = document.createElement('div');
    box.className = 'frame-edge-box';
    const small = document.createElement('div');
    small.className = 'frame-edge-caption';
    small.textContent = caption;
    const text = document.createElement('div');
    text.className = 'frame-edge-text';
    text.textContent = edge.text;
    box.append(small, text);
    fo.append(box);
    out.push(fo);
  }
  return out;
}
