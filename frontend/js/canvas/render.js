// @ts-check
/**
 * Draw the board: one SVG group per element, kept across frames and keyed by
 * id. An element is redrawn only when its object changed (the board model
 * replaces elements, never mutates them); a connector also when either end did.
 *
 * A frame only pays for what changed: when neither the elements nor what they
 * are drawn with changed (a pan, a zoom, a hover), no element is looked at;
 * the state classes (selected, hovered, dragging...) are set only where they
 * changed; and with a viewport, elements far off screen are hidden
 * (cull.js), so the browser neither lays them out nor paints them.
 *
 * Far out (TEXTLESS_BELOW) the elements are drawn without their words, which
 * are not shown there (shapes.js): a big map's first draw, at the zoom that fits
 * it, builds its boxes only. Once the zoom is up to reading, the words of what is
 * not far off screen are built from the elements as they are then, a slice a
 * frame, and kept.
 *
 *   const renderer = new Renderer(scene, viewport);
 *   renderer.render(elements, {selection: new Set(['s-1']), hovered: null, ...}, {calendar});
 *   document.querySelector('[data-id="s-1"]');   // <g class="el el-step is-selected" ...>
 */

import { footprintOf, roomsBelow } from '../model/boxes.js';
import { readingNeighbours } from '../model/reading-order.js';
import { connectorRoom, laneOffsets } from '../model/geometry.js';
import { attr } from '../util/dom.js';
import { Culling, drawnBounds } from './cull.js';
import { liftedIds, placeBefore } from './live-layer.js';
import { SHAPES, outline } from './shapes.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {object} RenderState
 * @property {Set<string>} selection
 * @property {string|null} hovered
 * @property {string|null} editing
 * @property {string|null} dropTarget   the element an arrow being drawn would end on
 * @property {Set<string>} dragging     ours, moving under the pointer
 * @property {Set<string>} live         moved by a peer right now
 * @typedef {{x: number, y: number, k: number, size: {width: number, height: number}}} ViewSource
 *   the viewport: its pan and zoom, and the canvas's size on screen
 */

/**
 * Below this zoom the boxes are drawn flat, without their drop shadows (canvas.css):
 * a shadow of a few canvas units is then under a pixel, and a filter on each of
 * a thousand boxes makes every repaint of the map dear (issue 20).
 */
export const FLAT_BELOW = 0.35;

/**
 * Below this zoom the boxes' words are not drawn at all (canvas.css `is-textless`): a
 * 12-unit label is then under 2.4 px on screen, a speck, while laying out and painting
 * thousands of them was most of a big map's first draw and of each repaint (issue 20).
 * Presentation view (far-layer.js) is how a whole big map is read.
 */
export const TEXTLESS_BELOW = 0.2;

/**
 * At most this many elements get their words a frame: zoomed in from a whole big map,
 * a screen can hold a thousand, and building them at once would be one long frame. Each
 * frame that adds words repaints the whole map on screen as well, so smaller slices cost
 * more in all: 3,000 elements, fit to 25 %, 120 a frame took ~1.2-1.6 s in all, 300 ~0.9-1.3 s,
 * with the longest frame ~150-280 ms either way (all at once: one ~370 ms frame).
 */
export const WORDS_PER_FRAME = 200;

/** The state classes that show a box's selection outline (canvas.css), built then (shapes.js outline). */
const OUTLINED = new Set(['is-selected', 'is-hovered', 'is-drop-target']);

/** The state classes, and which ids each belongs on. @type {[string, (s: RenderState) => Iterable<string>][]} */
const MARKS = [
  ['is-selected', (s) => s.selection],
  ['is-hovered', (s) => (s.hovered ? [s.hovered] : [])],
  ['is-editing', (s) => (s.editing ? [s.editing] : [])],
  ['is-drop-target', (s) => (s.dropTarget ? [s.dropTarget] : [])],
  ['is-dragging', (s) => s.dragging],
  ['is-live', (s) => s.live],
];

/** @param {unknown[]} a @param {unknown[]} b */
function same(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Whether a box differs from how it was drawn by its place alone (its group's
 * translate is then all there is to change). Fields not changed keep their
 * values, arrays included ({...el, x, y}), so comparing them is cheap.
 * @param {BoardElement} before
 * @param {BoardElement} after
 */
function movedOnly(before, after) {
  if (after.kind === 'connector') return false;
  const a = /** @type {Record<string, unknown>} */ (before);
  const b = /** @type {Record<string, unknown>} */ (after);
  let keys = 0;
  for (const key in b) {
    keys++;
    if (key !== 'x' && key !== 'y' && a[key] !== b[key]) return false;
  }
  for (const _ in a) keys--;
  return keys === 0;
}

/**
 * What a rework loop's route depends on beyond its ends (the boxes it passes
 * under), as one comparable string: it is redrawn when that changes.
 * @param {BoardElement} el
 * @param {Map<string, BoardElement>} elements
 * @param {import('../model/boxes.js').Figures} figures
 */
function reworkRoom(el, elements, figures) {
  const source = elements.get(el.source ?? '');
  const target = elements.get(el.target ?? '');
  if (!source || !target) return null;
  const { floor, sourceFoot, targetFoot } = connectorRoom(el, source, target, elements, undefined, figures);
  return `${floor} ${sourceFoot} ${targetFoot}`;
}

/**
 * Move `g` (a box going up over the map as a peer drags it, or back down) without taking the
 * keyboard's focus from it: a moved node loses the focus, and the person who had it there
 * (reading it, or about to press Delete) found it on the page's body instead.
 * @param {Element} g @param {() => void} move
 */
function keepingFocus(g, move) {
  const doc = g.ownerDocument;
  const had = doc?.activeElement;
  const held = had && had !== doc.body && (had === g || g.contains?.(had)) ? had : null;
  move();
  if (held && held !== doc.activeElement) /** @type {SVGElement|HTMLElement} */ (held).focus({ preventScroll: true });
}

/**
 * What is drawn under an arrow's end, which it leaves from (kept per element object and
 * measurement: the lines an event log adds under a step's figures lower it, and they come with
 * the metrics while the ends stay the same objects).
 * @param {BoardElement|undefined} end
 * @param {import('../model/boxes.js').Figures} figures
 */
function footOf(end, figures) {
  return end ? footprintOf(end, figures) : null;
}

export class Renderer {
  /**
   * @param {import('./scene.js').Scene} scene
   * @param {ViewSource|null} [viewport] to skip what is far off screen; null draws everything
   * @param {() => void} [again] asks for another frame: words are left to build
   */
  constructor(scene, viewport = null, again = () => {}) {
    this.scene = scene;
    this.viewport = viewport;
    this.again = again;
    /** @type {Map<string, import('./shapes.js').ShapeNode>} */
    this.nodes = new Map();
    this.culling = new Culling();
    /** @type {'near'|'flat'|'textless'|null} how far out the canvas was last marked */
    this._zoomedOut = null;
    /** What the last pass drew from: when all of it is the same, the elements need no look. */
    this._drawn = { elements: /** @type {Map<string, BoardElement>|null} */ (null), calendar: /** @type {unknown} */ (null),
      estimates: /** @type {unknown} */ (null), measured: /** @type {unknown} */ (null) };
    /** @type {Map<string, Set<string>>} class -> the ids carrying it */
    this._marked = new Map(MARKS.map(([cls]) => [cls, new Set()]));
    /** @type {Map<string, number>} */
    this._lanes = new Map();
    /** @type {BoardElement[]} the arrows the lanes were worked out from */
    this._laneArrows = [];
    this._cullKey = '';
    /** The reading-order neighbours of the one selected box, as last worked out (_tabbedTo). */
    this._beside = { elements: /** @type {Map<string, BoardElement>|null} */ (null), id: '', ids: /** @type {(string|null)[]} */ ([]) };
    /** @type {string[]} ids the last pass drew anew or moved: what culling has to look at again */
    this._touched = [];
    /** @type {Set<string>} ids drawn in the SVG over the map while a peer drags them (live-layer.js) */
    this.lifted = new Set();
    /** @type {Set<string>} ids whose words are not built yet (drawn far out) */
    this.wordless = new Set();
    // A box reached with the keyboard shows its outline (canvas.css :focus-visible): built then.
    for (const root of [scene.root, scene.live?.root]) root?.addEventListener?.('focusin', (e) => this.focused(e.target));
    /** Whether a wordless element may have come to want its words since the last look. */
    this._wordsDue = false;
    /** @type {import('./shapes.js').DrawContext} what the last pass drew with, to draw words later */
    this._ctx = { calendar: { hours_per_day: 8, days_per_week: 5 } };
  }

  /**
   * @param {Map<string, BoardElement>} elements the view, in drawing order
   * @param {RenderState} state
   * @param {import('./shapes.js').DrawContext} ctx
   */
  render(elements, state, ctx) {
    // Read before anything changes, so reading it costs no layout of our own changes.
    const size = this.viewport?.size ?? null;
    const d = this._drawn;
    const textless = this._zoomLevel() === 'textless';
    const changed = elements !== d.elements || ctx.calendar !== d.calendar || ctx.estimates !== d.estimates
      || ctx.measured !== d.measured;
    if (changed) this._draw(elements, ctx, textless);
    this._lift(elements, state);
    this._markChanges(state);
    if (size) this._cull(elements, state, changed, size);
    if (!textless && this._zoomedOut === 'textless') this._wordsDue = true; // up to reading again
    if (!textless && this._wordsDue && this.wordless.size) this._buildWords();
    this._markZoom();
  }

  /** @returns {'near'|'flat'|'textless'} how far out the view is */
  _zoomLevel() {
    const k = this.viewport ? this.viewport.k : 1;
    return k < FLAT_BELOW ? (k < TEXTLESS_BELOW ? 'textless' : 'flat') : 'near';
  }

  /**
   * The canvas carries `is-zoomed-out` below FLAT_BELOW and `is-textless` below
   * TEXTLESS_BELOW (set only when that changes: each restyles every box).
   */
  _markZoom() {
    const zoomedOut = this._zoomLevel();
    if (zoomedOut === this._zoomedOut) return;
    this._zoomedOut = zoomedOut;
    for (const root of [this.scene.root, this.scene.live?.root]) {
      root?.classList.toggle('is-zoomed-out', zoomedOut !== 'near');
      root?.classList.toggle('is-textless', zoomedOut === 'textless');
    }
  }

  /**
   * Focus went to `target`: if it is an element's group, its outline is built.
   * @param {EventTarget|null} target
   */
  focused(target) {
    const id = /** @type {Element|null} */ (target)?.getAttribute?.('data-id');
    const node = id ? this.nodes.get(id) : undefined;
    if (node && node.g === target) outline(node);
  }

  /** @param {string} id @returns {SVGGElement|null} */
  nodeOf(id) {
    return this.nodes.get(id)?.g ?? null;
  }

  /**
   * Build the words of the elements that lack them and are not far off screen, up to
   * WORDS_PER_FRAME, from the elements as last drawn; ask for another frame for the rest.
   */
  _buildWords() {
    this._wordsDue = false;
    const elements = /** @type {Map<string, BoardElement>} */ (this._drawn.elements);
    let budget = WORDS_PER_FRAME;
    for (const id of this.wordless) {
      if (this.culling.hidden.has(id)) continue; // when it comes near (_cull)
      const node = this.nodes.get(id);
      const el = elements.get(id);
      if (!node || !el) continue;
      if (budget-- === 0) {
        this._wordsDue = true;
        this.again();
        return;
      }
      const shape = SHAPES[node.kind];
      shape.addWords(node);
      shape.update(node, el, elements, this._ctx);
      this.wordless.delete(id);
    }
  }

  /**
   * @param {Map<string, BoardElement>} elements
   * @param {import('./shapes.js').DrawContext} ctx
   * @param {boolean} textless far out: new elements are drawn without their words
   */
  _draw(elements, ctx, textless) {
    const d = this._drawn;
    // A step's estimates and measurement are compared as text, worked out again only when they changed.
    const sameEstimates = ctx.estimates === d.estimates;
    const sameMeasured = ctx.measured === d.measured;
    Object.assign(d, { elements, calendar: ctx.calendar, estimates: ctx.estimates, measured: ctx.measured });
    const seen = new Set();
    this._touched = [];
    const lanes = this._lanesOf(elements);
    // A long note or card grows only into the free room below it (model/boxes.js).
    const rooms = roomsBelow(elements.values());
    const drawing = { ...ctx, lanes, rooms };
    this._ctx = drawing;
    // New nodes are built off the page and go in together, each layer's at once: the
    // first draw of a big map makes thousands, and each set on a node in the page costs more.
    const added = { connectors: document.createDocumentFragment(), elements: document.createDocumentFragment() };
    for (const el of elements.values()) {
      const shape = SHAPES[el.kind];
      if (!shape) continue;
      let node = this.nodes.get(el.id);
      let fresh = false;
      if (!node || node.kind !== el.kind) {
        node?.g.remove();
        node = shape.create(el, !textless);
        this.nodes.set(el.id, node);
        if (node.words) this.wordless.delete(el.id);
        else this.wordless.add(el.id);
        (el.kind === 'connector' ? added.connectors : added.elements).append(node.g);
        fresh = true;
      }
      seen.add(el.id);
      // The calendar is kept as one object until it changes, so this compares cheaply.
      let deps;
      if (el.kind === 'connector') {
        const source = elements.get(el.source ?? '');
        const target = elements.get(el.target ?? '');
        deps = [el, source, target, lanes.get(el.id) ?? 0, footOf(source, ctx), footOf(target, ctx),
          el.connector === 'rework' ? reworkRoom(el, elements, ctx) : null];
      } else {
        const step = el.kind === 'step';
        const old = node.deps;
        deps = [el, ctx.calendar,
          !step ? null : sameEstimates && old.length ? old[2] : JSON.stringify(ctx.estimates?.[el.id] ?? null),
          !step ? null : sameMeasured && old.length ? old[3] : JSON.stringify(ctx.measured?.steps?.[el.id] ?? null),
          rooms.get(el.id) ?? null];
      }
      if (!same(node.deps, deps)) {
        // Dragged (here or by a peer) and nothing else: it only moves. Everything else draws anew.
        if (node.el && movedOnly(node.el, el) && same(node.deps.slice(1), deps.slice(1))) {
          attr(node.g, 'transform', `translate(${el.x ?? 0} ${el.y ?? 0})`);
        } else {
          shape.update(node, el, elements, drawing);
        }
        node.deps = deps;
        node.el = el;
        this._touched.push(el.id);
      }
      if (fresh) this._markNew(node, el.id);
    }
    this.scene.connectors.append(added.connectors);
    this.scene.elements.append(added.elements);
    for (const [id, node] of this.nodes) {
      if (!seen.has(id)) {
        node.g.remove();
        this.nodes.delete(id);
        this.wordless.delete(id);
      }
    }
  }

  /**
   * Peers' moving boxes and their arrows go up to the SVG over the map, and back
   * to their place in the map's order when the drag is over (live-layer.js).
   * @param {Map<string, BoardElement>} elements
   * @param {RenderState} state
   */
  _lift(elements, state) {
    const live = this.scene.live;
    if (!live || (!this.lifted.size && !state.live.size)) return;
    const moving = [...state.live].filter((id) => !state.dragging.has(id));
    const want = liftedIds(moving, elements);
    const down = [...this.lifted].filter((id) => !want.has(id));
    this.lifted = want;
    const inMap = (/** @type {string} */ id) => !want.has(id) && !down.includes(id) && this.nodes.has(id);
    for (const id of down) {
      const g = this.nodes.get(id)?.g;
      if (!g) continue;
      const layer = elements.get(id)?.kind === 'connector' ? this.scene.connectors : this.scene.elements;
      const before = placeBefore(id, elements, inMap);
      keepingFocus(g, () => layer.insertBefore(g, before ? this.nodes.get(before)?.g ?? null : null));
      down.splice(down.indexOf(id), 1, ''); // in the map again: later ones may go before it
    }
    for (const id of want) {
      const g = this.nodes.get(id)?.g;
      const layer = elements.get(id)?.kind === 'connector' ? live.connectors : live.elements;
      if (g && g.parentNode !== layer) keepingFocus(g, () => layer.append(g));
    }
  }

  /**
   * Arrows sharing their ends are drawn side by side (model/geometry.js laneOffsets):
   * worked out again only when an arrow changed.
   * @param {Map<string, BoardElement>} elements
   */
  _lanesOf(elements) {
    const arrows = [];
    for (const el of elements.values()) if (el.kind === 'connector') arrows.push(el);
    if (!same(arrows, this._laneArrows)) {
      this._laneArrows = arrows;
      this._lanes = laneOffsets(arrows);
    }
    return this._lanes;
  }

  /**
   * A new node takes the state classes its id already has (and stays hidden if its id is).
   * @param {import('./shapes.js').ShapeNode} node
   * @param {string} id
   */
  _markNew(node, id) {
    const g = node.g;
    for (const [cls, ids] of this._marked) {
      if (!ids.has(id)) continue;
      if (OUTLINED.has(cls)) outline(node);
      g.classList.add(cls);
    }
    if (this._marked.get('is-selected')?.has(id)) g.setAttribute('aria-pressed', 'true');
    if (this.culling.hidden.has(id)) g.classList.add('is-culled');
  }

  /**
   * Set the state classes where they changed since the last frame.
   * @param {RenderState} state
   */
  _markChanges(state) {
    for (const [cls, wanted] of MARKS) {
      const had = /** @type {Set<string>} */ (this._marked.get(cls));
      const want = new Set(wanted(state));
      for (const id of had) if (!want.has(id)) this._mark(id, cls, false);
      for (const id of want) if (!had.has(id)) this._mark(id, cls, true);
      this._marked.set(cls, want);
    }
  }

  /** @param {string} id @param {string} cls @param {boolean} on */
  _mark(id, cls, on) {
    const node = this.nodes.get(id);
    if (!node) return;
    const g = node.g;
    if (on && OUTLINED.has(cls)) outline(node);
    g.classList.toggle(cls, on);
    if (cls === 'is-selected') g.setAttribute('aria-pressed', String(on));
  }

  /**
   * The boxes either side of a selected one in reading order (model/reading-order.js), when
   * within a screen of the view: Tab goes on to them (ui/keyboard.js), and a hidden one cannot
   * take the focus at once (a walk along a row stopped at the screen's edge, since a selection is
   * brought just into view). One far away stays set aside (Tab then brings it, a frame later).
   * Looked for round a selection of one only: Tab selects one box, and each look is a pass over
   * the map.
   * @param {Map<string, BoardElement>} elements
   * @param {Set<string>} selection
   * @param {{x: number, y: number, w: number, h: number}} view the canvas on screen
   * @returns {Set<string>}
   */
  _tabbedTo(elements, selection, view) {
    const beside = new Set();
    if (selection.size !== 1) return beside;
    const [id] = selection;
    const known = this._beside;
    if (known.elements !== elements || known.id !== id) {
      const { before, after } = readingNeighbours(elements, id);
      this._beside = { elements, id, ids: [before, after] };
    }
    const near = { x: view.x - view.w, y: view.y - view.h, w: view.w * 3, h: view.h * 3 };
    for (const nextId of this._beside.ids) {
      const el = nextId ? elements.get(nextId) : undefined;
      const r = el ? drawnBounds(el, elements, this._ctx) : null;
      if (nextId && r && r.x < near.x + near.w && r.x + r.w > near.x && r.y < near.y + near.h && r.y + r.h > near.y) beside.add(nextId);
    }
    return beside;
  }

  /**
   * Hide what is far off screen and show what came near; nothing to do while
   * neither the view nor the elements changed.
   * @param {Map<string, BoardElement>} elements
   * @param {RenderState} state
   * @param {boolean} changed
   * @param {{width: number, height: number}} size the canvas on screen
   */
  _cull(elements, state, changed, size) {
    const v = /** @type {ViewSource} */ (this.viewport);
    const { width, height } = size;
    const key = `${v.x} ${v.y} ${v.k} ${width} ${height} ${[...state.selection].join(',')} ${state.editing}`;
    if (!changed && key === this._cullKey) return;
    // The same view: only what was drawn anew can have come near or gone far.
    const only = key === this._cullKey ? this._touched : null;
    this._cullKey = key;
    const view = { x: -v.x / v.k, y: -v.y / v.k, w: width / v.k, h: height / v.k };
    const beside = this._tabbedTo(elements, state.selection, view);
    const keep = (/** @type {string} */ id) => state.selection.has(id) || state.editing === id || state.dragging.has(id)
      || beside.has(id);
    const { hide, show } = this.culling.update(elements, view, keep, only, this._ctx);
    for (const id of hide) this.nodes.get(id)?.g.classList.add('is-culled');
    for (const id of show) this.nodes.get(id)?.g.classList.remove('is-culled');
    if (show.length) this._wordsDue = true;
  }
}
