// @ts-check
/**
 * Swimlanes on the canvas: one band per team behind everything (a light tint
 * of the team's colour, thin separators at its edges), the lane's name in the
 * label column at its left. Drawn only when the board's `swimlanes` is on; the
 * geometry is the one the exports and tidy use (model/lanes.js `laneBands`,
 * handed in, so this layer draws whatever bands it is given).
 *
 * The name keeps a readable size on screen: at 50 % zoom it is drawn larger on
 * the canvas so that it still reads at about 12 px.
 *
 *   const lanes = new LanesLayer(scene, {bands: laneBands, labelWidth: LANE_LABEL_W});
 *   lanes.render(frame, elements, viewport.k, {measured: metrics.measured, calendar});   // each frame
 */

import { svg } from '../util/dom.js';
import { swatch } from './colors.js';
import { LastInputs } from './unchanged.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{id: string, name: string, color: string, x: number, y: number, w: number, h: number}} Band
 * @typedef {{id: string, name: string, x: number, y: number, w: number, h: number, fill: string, edge: string,
 *   column: number, label: {x: number, y: number, w: number, h: number, size: number}}} LaneShape  column: the
 *   label column's right edge
 * @typedef {import('../model/lanes.js').LaneFigures} LaneFigures
 * @typedef {(elements: BoardElement[], teams: {id: string, name: string, color: string}[],
 *   figures?: LaneFigures) => Band[]} BandsOf
 */

/** The label column's width when the geometry does not say (app/domain/lanes.py LANE_LABEL_W). */
export const LABEL_WIDTH = 160;
// The name's size on the canvas: this at 100 % and closer, and never under READABLE px on
// screen as the map zooms out, up to MAX_SIZE (then the whole map is a thumbnail anyway).
const BASE_SIZE = 15;
const READABLE = 12;
const MAX_SIZE = 30;
const LABEL_PAD = 10;

/**
 * The lane name's size in canvas units at zoom k, in whole units (so it redraws only when it changes).
 *
 *   labelSize(1);     // 15
 *   labelSize(0.5);   // 24: 12 px on screen
 *
 * @param {number} k
 */
export function labelSize(k) {
  return Math.min(MAX_SIZE, Math.max(BASE_SIZE, Math.ceil(READABLE / Math.max(k, 0.01))));
}

/**
 * What to draw for each band: its tint and edge colours and where its name goes.
 * @param {Band[]} bands
 * @param {number} k the zoom
 * @param {number} [labelWidth]
 * @returns {LaneShape[]}
 */
export function laneShapes(bands, k, labelWidth = LABEL_WIDTH) {
  const size = labelSize(k);
  return bands.map((b) => {
    const s = swatch(b.color, 'grey');
    const w = Math.min(labelWidth, b.w);
    return { id: b.id, name: b.name, x: b.x, y: b.y, w: b.w, h: b.h, fill: s.fill, edge: s.border, column: b.x + w,
      label: { x: b.x + LABEL_PAD, y: b.y, w: w - 2 * LABEL_PAD, h: b.h, size } };
  });
}

/**
 * The board's teams from its frame.
 * @param {Record<string, unknown>} frame
 */
function teamsOf(frame) {
  return Array.isArray(frame.teams) ? /** @type {{id: string, name: string, color: string}[]} */ (frame.teams) : [];
}

export class LanesLayer {
  /**
   * @param {import('./scene.js').Scene} scene
   * @param {{bands: BandsOf, labelWidth?: number}} geometry
   */
  constructor(scene, geometry) {
    this.geometry = geometry;
    this.g = svg('g', { class: 'swimlanes', 'aria-label': 'Swimlanes', role: 'img' });
    scene.underlay.prepend(this.g); // behind the frame, the ladder and the constraint's ring
    this._key = '';
    this._last = new LastInputs();
    /** @type {LaneShape[]} */
    this.shapes = [];
  }

  /**
   * @param {Record<string, unknown>} frame the board frame: `swimlanes`, `teams`
   * @param {Map<string, BoardElement>} elements the drawn view
   * @param {number} k the zoom
   * @param {LaneFigures} [figures] the event log's measurement: its lines lengthen the data boxes
   */
  render(frame, elements, k, figures = {}) {
    // The names' size changes with the zoom in whole steps only (labelSize).
    if (this._last.same(frame, elements, labelSize(k), figures.measured, figures.calendar)) return;
    this.shapes = laneShapes(this._bands(frame, elements, figures), k, this.geometry.labelWidth);
    const key = JSON.stringify(this.shapes);
    if (key === this._key) return;
    this._key = key;
    this.g.replaceChildren(...this.shapes.map(drawLane));
  }

  /**
   * What the lanes cover (their label column too), for fitting the map on screen; null without lanes.
   * @param {Record<string, unknown>} frame
   * @param {Map<string, BoardElement>} elements
   * @param {LaneFigures} [figures]
   */
  bounds(frame, elements, figures = {}) {
    const bands = this._bands(frame, elements, figures);
    if (!bands.length) return null;
    const x = Math.min(...bands.map((b) => b.x));
    const y = Math.min(...bands.map((b) => b.y));
    return { x, y, w: Math.max(...bands.map((b) => b.x + b.w)) - x, h: Math.max(...bands.map((b) => b.y + b.h)) - y };
  }

  /**
   * @param {Record<string, unknown>} frame
   * @param {Map<string, BoardElement>} elements
   * @param {LaneFigures} figures
   */
  _bands(frame, elements, figures) {
    const on = frame.swimlanes === true && teamsOf(frame).length > 0;
    return on ? this.geometry.bands([...elements.values()], teamsOf(frame), figures) : [];
  }
}

/** @param {LaneShape} lane */
function drawLane(lane) {
  const { x, y, w, h } = lane;
  const fo = svg('foreignObject', { class: 'lane-label-box', x: lane.label.x, y: lane.label.y, width: lane.label.w, height: lane.label.h });
  const box = document.createElement('div');
  box.className = 'lane-label';
  box.textContent = lane.name;
  box.style.fontSize = `${lane.label.size}px`;
  fo.append(box);
  return svg('g', { class: 'lane', 'data-lane': lane.id, 'data-lane-name': lane.name }, [
    svg('rect', { class: 'lane-band', x, y, width: w, height: h, fill: lane.fill }),
    svg('line', { class: 'lane-edge', x1: x, y1: y, x2: x + w, y2: y, stroke: lane.edge }),
    svg('line', { class: 'lane-edge', x1: x, y1: y + h, x2: x + w, y2: y + h, stroke: lane.edge }),
    svg('line', { class: 'lane-edge lane-column', x1: lane.column, y1: y, x2: lane.column, y2: y + h, stroke: lane.edge }),
    fo,
  ]);
}
