// @ts-check
/**
 * The SVG canvas skeleton: the dotted grid, arrowhead markers and the layers
 * everything else draws into, all in canvas units: pan and zoom are a CSS
 * transform on the <svg> elements (viewport.js), so the grid's dots stay put
 * under the notes.
 *
 *   const scene = createScene(document.getElementById('stage'));
 *   scene.elements.append(node);   // a note, in canvas coordinates
 */

import { MAX_COORD } from '../protocol.js';
import { svg } from '../util/dom.js';

// The grid covers the whole canvas (MAX_COORD) and this much beyond, so no view change has to
// resize it (a change to what is painted under the map repaints all of it).
const GRID_BEYOND = 50000;
const GRID_REACH = MAX_COORD + GRID_BEYOND;

/**
 * @typedef {object} Scene
 * @property {SVGSVGElement} root
 * @property {SVGGElement} world      the map's layers
 * @property {SVGGElement} underlay   the lead-time ladder and the constraint's ring, under everything
 * @property {SVGGElement} connectors arrows, under the notes
 * @property {SVGGElement} elements   steps, notes, inventory
 * @property {SVGGElement} annotations the constraint's badge, over the notes
 * @property {SVGGElement} overlay    handle, rubber band (in the world)
 * @property {SVGPatternElement} grid
 * @property {SVGCircleElement} gridDot
 * @property {LiveScene} live         peers' moving boxes and their arrows, over the map
 */

/**
 * A second SVG stacked over the map, in the same host and with the same pan and
 * zoom, where what a peer is dragging is drawn while they drag (render.js). Each
 * frame of their drag then repaints this small SVG only: a move inside the map's
 * own SVG repainted and layerized the whole map (issue 20: idle with remote people).
 * @typedef {object} LiveScene
 * @property {SVGSVGElement} root
 * @property {SVGGElement} world      its layers
 * @property {SVGGElement} connectors
 * @property {SVGGElement} elements
 */

/** Arrowheads per connector kind, plus one for a selected arrow. */
const MARKERS = ['flow', 'rework', 'info', 'selected', 'draft'];

/** @param {string} name */
function marker(name) {
  return svg('marker', {
    id: `arrow-${name}`, class: `arrowhead arrowhead-${name}`, viewBox: '0 0 12 12',
    refX: 10.5, refY: 6, markerWidth: 12, markerHeight: 12, markerUnits: 'userSpaceOnUse',
    orient: 'auto-start-reverse',
  }, [svg('path', { d: 'M 1.5 1.5 L 10.5 6 L 1.5 10.5 Z' })]);
}

/** @returns {LiveScene} */
function liveScene() {
  const connectors = svg('g', { class: 'layer layer-connectors' });
  const elements = svg('g', { class: 'layer layer-elements' });
  const world = svg('g', { class: 'world' }, [connectors, elements]);
  // The layer itself is out of the Tab order (Chromium made it a Tab stop, unseen, after the
  // last note). The boxes in it are the map's own, moved here while a peer drags them: they
  // stay reachable (the map's Tab walks to them, ui/keyboard.js) and keep the focus (render.js).
  const root = svg('svg', { class: 'canvas-live', tabindex: -1 }, [world]);
  return { root, world, connectors, elements };
}

/**
 * @param {HTMLElement} host the element the canvas fills
 * @returns {Scene}
 */
export function createScene(host) {
  const gridDot = svg('circle', { cx: 0, cy: 0, r: 1, class: 'grid-dot' });
  const grid = svg('pattern', { id: 'grid', patternUnits: 'userSpaceOnUse', width: 24, height: 24 }, [gridDot]);
  const defs = svg('defs', {}, [grid, ...MARKERS.map(marker)]);
  const underlay = svg('g', { class: 'layer layer-underlay' });
  const connectors = svg('g', { class: 'layer layer-connectors' });
  const elements = svg('g', { class: 'layer layer-elements' });
  const annotations = svg('g', { class: 'layer layer-annotations' });
  const overlay = svg('g', { class: 'layer layer-overlay' });
  const world = svg('g', { class: 'world' }, [underlay, connectors, elements, annotations, overlay]);
  // In canvas units, as everything else, over the whole canvas.
  const gridArea = svg('rect', {
    class: 'grid', fill: 'url(#grid)', x: -GRID_REACH, y: -GRID_REACH, width: 2 * GRID_REACH, height: 2 * GRID_REACH,
  });
  const root = svg('svg', {
    class: 'canvas', role: 'application', tabindex: 0, focusable: 'true',
    'aria-label': 'Value stream map canvas', 'aria-roledescription': 'whiteboard',
  }, [defs, gridArea, world]);
  const live = liveScene();
  host.append(root, live.root);
  return { root, world, underlay, connectors, elements, annotations, overlay, grid, gridDot, live };
}

/**
 * An element's drawn node: in the map, or in the SVG over it while a peer drags it.
 * @param {Pick<Scene, 'root'|'live'>} scene
 * @param {string} id
 * @returns {Element|null}
 */
export function drawnNode(scene, id) {
  const selector = `[data-id="${CSS.escape(id)}"]`;
  return scene.root.querySelector(selector) ?? scene.live?.root.querySelector(selector) ?? null;
}

/**
 * Whether `node` is part of the drawn map (its SVG, or the one over it).
 * @param {Pick<Scene, 'root'|'live'>} scene
 * @param {Node} node
 */
export function inDrawnMap(scene, node) {
  return scene.root.contains(node) || Boolean(scene.live?.root.contains(node));
}
