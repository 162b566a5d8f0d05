// @ts-check
/**
 * What the screen frames: fitting the whole map (its elements, the timeline
 * ladder and its totals, the frame, the swimlanes) into the part of the
 * screen the panels leave free; bringing a newly selected element out from
 * under a panel; where the context bar goes.
 *
 *   const viewport = new Viewport(scene, requestRender, panelInsets);
 *   const framing = new Framing({ editor, model, viewport, lanesLayer, following, far: () => look.far });
 *   framing.fit();
 *   framing.refit();                              // a panel opened or folded
 *   framing.notice(elements);                     // each frame: the first step refits an empty board
 *   framing.revealSelection(editor.single());    // each frame, when not dragging
 *   framing.show('s-1');                          // select it and bring it into view
 */

import { farExtent } from '../model/far-view.js';
import { footprintOf, isBox } from '../model/boxes.js';
import { bounds, rectOf, selectionRect, unionBox } from '../model/geometry.js';
import { frameLayout } from '../model/frame-layout.js';
import { RUNG_GAP, ladderLayout } from '../model/ladder.js';
import { LADDER_BELOW, LADDER_TOTALS_WIDTH } from '../model/placement.js';
import { HANDLE_REACH } from '../canvas/connect.js';
import { RING_PAD } from '../canvas/metrics-layer.js';
import { byId } from '../util/dom.js';

/** @typedef {import('../protocol.js').Element} BoardElement */
/** @typedef {{x: number, y: number, w: number, h: number}} ScreenBox */

// What the selection bar keeps off besides the selection (barObstacles): the lead-time ladder
// and its totals too (at 1280 x 720 the bar, pushed under a step, stood over its rungs).
const FRAME_WORDS = '.frame-title, .frame-scope, .frame-people';
// The controls floating over the canvas: neither the selection bar nor a revealed selection goes
// under them, and a reveal keeps the map's title in view with the selection where both fit.
const CONTROLS = '.topbar > *, .zoom-controls, #status, #session-bar > *, .vote-panel';
const TITLE = '.frame-title';
// Room kept around the title's words when a reveal brings them along (screen px): flush with a
// panel's edge they read as cut.
const TITLE_AIR = 16;
const BAR_KEEPS_OFF = `${FRAME_WORDS}, ${CONTROLS}, .ladder`;
// A fit goes no closer than 100 % (viewport.js fit).
const MAX_FIT_ZOOM = 1;
// A fit in presentation view is settled when a pass changes the zoom by less than this share;
// it stops after this many passes whatever (cards taller than the screen settle at the least zoom).
const FIT_SETTLED = 0.002;
const MAX_FIT_PASSES = 24;

// The panels sit at the bottom of a screen this narrow (panels.css's media query, word for word:
// at exactly 720 px the map was fitted beside a Flow panel as wide as the screen, at 10 %).
export const PANELS_BELOW = '(max-width: 720px)';

/**
 * The screen the panels cover (the top bar; the totals on the left and an open side
 * panel on the right, or on a narrow screen all of them at the bottom), so fitting
 * and revealing the selection leave it free.
 */
export function panelInsets() {
  const totalsPanel = byId('totals');
  const top = byId('toolbar').getBoundingClientRect().bottom;
  const open = [byId('inspector'), byId('map-panel')].filter((panel) => !panel.hidden);
  if (window.matchMedia(PANELS_BELOW).matches) {
    const under = totalsPanel.hidden ? open : [totalsPanel, ...open];
    const bottom = Math.max(0, ...under.map((panel) => window.innerHeight - panel.getBoundingClientRect().top));
    return { left: 0, top, bottom };
  }
  // Folded, the Flow panel is a strip along the top (panels.css): the map keeps the width.
  const folded = !totalsPanel.hidden && totalsPanel.classList.contains('is-collapsed');
  const left = totalsPanel.hidden || folded ? 0 : totalsPanel.getBoundingClientRect().right;
  const under = folded ? Math.max(top, totalsPanel.getBoundingClientRect().bottom) : top;
  const right = Math.max(0, ...open.map((panel) => window.innerWidth - panel.getBoundingClientRect().left));
  return { left, top: under, right };
}

/**
 * The room for the session bar, under the top bar: beside the panels, the Flow panel folded
 * along the top too (the map may go under its strip; the bar, at that height, may not).
 */
export function barRoom() {
  const totalsPanel = byId('totals');
  const inset = { ...panelInsets(), top: chromeBottom() };
  if (!totalsPanel.hidden && !window.matchMedia(PANELS_BELOW).matches) inset.left = totalsPanel.getBoundingClientRect().right;
  return inset;
}

// Short messages keep this far from the screen's edges and the controls, and are at most this wide.
const TOAST_MARGIN = 16;
const TOAST_WIDTH = 560;
// A message's height, before one has shown: one line and its padding.
const TOAST_TALL = 48;
// What they keep above: the controls at the bottom, and on a narrow screen the panels there too.
const TOAST_CLEARS = ['.zoom-controls', '#status', '#session-bar > *', '.vote-panel'];
const PANELS = ['#totals', '#inspector', '#map-panel'];

/**
 * What changes the room the short messages have (toastRoom) when it changes size: the panels
 * (opened, folded, hidden) and the controls at the bottom. The window's own size is watched too.
 * @returns {Element[]}
 */
export function toastNeighbours() {
  return [...document.querySelectorAll([...TOAST_CLEARS, '#session-bar', ...PANELS].join(', '))];
}

/**
 * Where the short messages go: at the bottom, between the side panels, above whatever of the
 * zoom, the status and (on a narrow screen) the panels at the bottom their column crosses. At
 * 390 px a hint lay over the Flow panel's strip and the zoom; at 1024 px over the zoom.
 * @returns {{left: number, right: number, bottom: number}} screen px from each edge
 */
export function toastRoom() {
  const { left = 0, right = 0 } = panelInsets();
  const [x0, x1] = [left + TOAST_MARGIN, window.innerWidth - right - TOAST_MARGIN];
  const half = Math.min(TOAST_WIDTH, x1 - x0) / 2;
  const [from, to] = [(x0 + x1) / 2 - half, (x0 + x1) / 2 + half];
  const below = [...TOAST_CLEARS];
  if (window.matchMedia(PANELS_BELOW).matches) below.push(...PANELS);
  const crossed = [...document.querySelectorAll(below.join(', '))]
    .filter((el) => !el.closest('[hidden]')).map((el) => el.getBoundingClientRect())
    .filter((r) => r.width && r.bottom > window.innerHeight / 2 && r.left < to && r.right > from);
  let bottom = Math.max(20, ...crossed.map((r) => window.innerHeight - r.top + 8));
  // Nor over a name being typed in place: far out its field grows readable and keeps just
  // above the panels at the bottom, where the messages go too, and a hint lay over the words.
  const field = document.querySelector('.text-editor')?.getBoundingClientRect();
  const tall = document.getElementById('toasts')?.offsetHeight || TOAST_TALL;
  const base = window.innerHeight - bottom; // where the messages' column ends
  if (field && field.left < to && field.right > from && field.top < base && field.bottom + TOAST_MARGIN > base - tall
      && field.top - TOAST_MARGIN - tall >= chromeBottom()) {
    bottom = window.innerHeight - field.top + TOAST_MARGIN;
  }
  return { left: x0, right: window.innerWidth - x1, bottom };
}

/** Where the top bar ends: its lowest part (on a phone its row wraps). */
export function chromeBottom() {
  return Math.max(0, ...[...document.querySelectorAll('.topbar > *')].map((el) => el.getBoundingClientRect().bottom));
}

/**
 * What of a selected element must be in the free part of the screen: its box and, around
 * it, the constraint's ring (canvas units) and the arrow handle on its right edge (screen
 * pixels): at 1280 px the handle and the ring sat half under the side panel. What hangs
 * under it too (a step's figures and waste chips; its card in presentation view): on half a
 * laptop screen the step's panel opens over the lower half, and the figures stayed under it.
 * @param {BoardElement} el
 * @param {import('../model/geometry.js').Rect[]} [more] what else is drawn for it
 * @param {import('../model/boxes.js').Figures} [figures] the board's measurement (its lines under the figures)
 * @returns {[import('../model/geometry.js').Rect, number]}
 */
function revealed(el, more = [], figures = {}) {
  const r = rectOf(el);
  const ringed = { x: r.x - RING_PAD, y: r.y - RING_PAD, w: r.w + 2 * RING_PAD, h: r.h + 2 * RING_PAD };
  const box = unionBox([ringed, footprintOf(el, figures), ...more]) ?? ringed;
  return [box, HANDLE_REACH + 6];
}

export class Framing {
  /**
   * @param {object} deps
   * @param {import('../editor.js').Editor} deps.editor
   * @param {import('../model/board.js').BoardModel} deps.model
   * @param {import('../canvas/viewport.js').Viewport} deps.viewport
   * @param {import('../canvas/lanes-layer.js').LanesLayer} deps.lanesLayer
   * @param {import('./follow.js').Following} deps.following while following, the leader decides the view
   * @param {() => boolean} [deps.far] whether presentation view is on (its cards are wider than their steps)
   */
  constructor({ editor, model, viewport, lanesLayer, following, far = () => false }) {
    this.far = far;
    this.editor = editor;
    this.model = model;
    this.viewport = viewport;
    this.lanesLayer = lanesLayer;
    this.following = following;
    /** @type {string|null} the selected element last brought into view */
    this.revealed = null;
    /** @type {{elements: Map<string, BoardElement>, k: number, calendar: unknown, rects: ReturnType<typeof farExtent>}|null} */
    this._far = null;
    /** Whether the board had no step yet at the last frame. */
    this.stepless = true;
  }

  /**
   * An empty board is fitted to its lane, four steps wide: on a 1024 px screen about 60 %,
   * where the first step's figures read 7 px. When the first step takes the lane's place, a
   * view nobody has moved is fitted again to the map it now has (closer: the step, its
   * ladder and the frame are narrower than the lane); one they panned or zoomed stays. A
   * note, which keeps off the map, moves no view.
   * @param {Map<string, BoardElement>} elements
   */
  notice(elements) {
    if (!this.stepless) {
      this.stepless = elements.size === 0;
      return;
    }
    // Looked through only while there is no step: a board with one stops at it.
    for (const el of elements.values()) {
      if (el.kind !== 'step') continue;
      this.stepless = false;
      this.refit();
      return;
    }
  }

  /**
   * @param {{animate?: boolean}} [opts]
   * @returns {number} the zoom the whole map is shown at
   */
  fit(opts) {
    if (!this.far()) return this.viewport.fit(this.contentBounds(), opts);
    // The cards' text is sized on screen: the farther out, the taller they reach on the canvas,
    // and fitted at the zoom of the moment their lower part ran off the screen. Each pass fits
    // the map as drawn at the zoom the last pass found; each finds a zoom no closer, and the
    // steps close in on the zoom at which everything drawn fits (a few passes: a card's share of
    // the screen's height is how much of the gap each leaves).
    let k = MAX_FIT_ZOOM;
    for (let pass = 0; pass < MAX_FIT_PASSES; pass++) {
      const box = this.contentBounds(k);
      if (!box) break; // nothing drawn yet: the empty board's fit
      const next = this.viewport.fitZoom(box);
      const settled = next >= k * (1 - FIT_SETTLED);
      k = Math.min(k, next);
      if (settled) break;
    }
    return this.viewport.fit(this.contentBounds(k), opts);
  }

  /**
   * The panels changed the room the map has (the Flow panel opened or folded): a view nobody
   * has moved since it was fitted is fitted to the room left; one they panned or zoomed is theirs.
   */
  refit() {
    if (this.viewport.fitted && !this.following.leader()) this.fit();
  }

  /**
   * The elements, plus the ladder and its totals under them, the frame and the lanes; in
   * presentation view the steps' cards and the queue chips under them, as drawn at zoom `k`
   * (they reach into the room beside their steps, and their text is sized on screen: fitted
   * to the steps, the last card ran off the screen, and the cards' lower part under the panels).
   * @param {number} [k] the zoom the cards are sized for (by default the view's)
   */
  contentBounds(k = this.viewport.k) {
    const elements = this.editor.elements();
    const frame = this.model.view().frame;
    const box = bounds(elements.values());
    const framed = frameLayout(frame, this.model.metrics, elements);
    if (!box) return framed?.bounds ?? null; // before the first step: the frame and its lane
    const ladder = ladderLayout(this.model.metrics, elements, this.editor.calendar());
    const boxes = [box];
    if (ladder) boxes.push({ x: ladder.x0, y: ladder.top, w: ladder.x1 + LADDER_TOTALS_WIDTH - ladder.x0, h: RUNG_GAP + LADDER_BELOW });
    if (framed) boxes.push(framed.bounds);
    const lanes = this.lanesLayer.bounds(frame, elements,
      { measured: this.model.metrics?.measured, calendar: this.editor.calendar() });
    if (lanes) boxes.push(lanes);
    if (this.far()) boxes.push(...farExtent(elements, k, this.editor.calendar()));
    return unionBox(boxes);
  }

  /**
   * A newly selected element that an open panel covers is brought into the free
   * part of the screen: nobody types into a step they cannot see.
   * @param {BoardElement|null} one the single selected element
   */
  revealSelection(one) {
    const id = one?.id ?? null;
    if (id === this.revealed) return;
    this.revealed = id;
    if (one && one.kind !== 'connector' && !this.following.leader()) this._reveal(one);
  }

  /**
   * Bring an element into the free part of the screen by the least pan, clear of the controls
   * over the canvas, the map's title along with it where both fit (viewport.js revealShift).
   * @param {BoardElement} el
   */
  _reveal(el) {
    const [box, margin] = revealed(el, this.drawnFor(el), this.editor.figures());
    const origin = this.viewport.rect;
    const edges = (/** @type {DOMRect} */ r, air = 0) => ({ x0: r.left - origin.left - air, y0: r.top - origin.top - air,
      x1: r.right - origin.left + air, y1: r.bottom - origin.top + air });
    const shown = (/** @type {Element} */ node) => !node.closest('[hidden], .is-culled');
    const range = document.createRange();
    const keep = [...document.querySelectorAll(TITLE)].filter(shown).map((node) => {
      // The title's words, not its line's whole width.
      range.selectNodeContents(node);
      return range.getBoundingClientRect();
    }).filter((r) => r.width && r.height).map((r) => edges(r, TITLE_AIR));
    const controls = [...document.querySelectorAll(CONTROLS)].filter(shown)
      .map((node) => node.getBoundingClientRect()).filter((r) => r.width && r.height).map((r) => edges(r));
    this.viewport.reveal(box, margin, keep, controls);
  }

  /**
   * What presentation view draws for an element (its card, its queue's chip), canvas units.
   * @param {BoardElement} el
   */
  drawnFor(el) {
    if (!this.far()) return [];
    return this.farRects().filter((r) => r.id === el.id);
  }

  /**
   * Presentation view's cards and chips at the view's zoom (farExtent), worked out again only
   * when the map, the zoom or the calendar changed: the selection bar asks for them every frame
   * it shows, for each element selected, and a map's rows are a pass over every pair of steps.
   */
  farRects() {
    const elements = this.editor.elements();
    const k = this.viewport.k;
    const calendar = this.editor.calendar();
    const known = this._far;
    if (known && known.elements === elements && known.k === k && known.calendar === calendar) return known.rects;
    const rects = farExtent(elements, k, calendar);
    this._far = { elements, k, calendar, rects };
    return rects;
  }

  /**
   * Select an element and bring it into view (from the totals panel's lists).
   * @param {string} id
   */
  show(id) {
    const el = this.editor.elements().get(id);
    if (!el) return;
    this.editor.select([id]);
    this._reveal(el);
  }

  /**
   * What the selection bar must not cover, on screen: the selection as drawn (a step's figures
   * and chips under it), the words of the map's title, scope and people, and the controls over
   * the canvas (the top bar's parts, the zoom, the status, the session bar), and the lead-time
   * ladder under the steps with its totals.
   * `rather`: the other boxes on screen with what hangs under them, which it keeps off too where
   * it can (at 683 px, kept off the title, it slid over the next steps' figures).
   * @param {BoardElement[]} selected
   * @returns {{avoid: ScreenBox[], rather: ScreenBox[]}}
   */
  barObstacles(selected) {
    const boxes = selected.filter((el) => el.kind !== 'connector');
    const figures = this.editor.figures();
    const drawn = unionBox([...boxes.map((el) => footprintOf(el, figures)), ...boxes.flatMap((el) => this.drawnFor(el))]);
    const k = this.viewport.k;
    const onScreen = (/** @type {import('../model/geometry.js').Rect} */ r) => {
      const p = this.viewport.toScreen(r);
      return { x: p.x, y: p.y, w: r.w * k, h: r.h * k };
    };
    const out = drawn ? [onScreen(drawn)] : [];
    const seen = this.viewport.visible();
    const chosen = new Set(boxes.map((el) => el.id));
    const rather = [...this.editor.elements().values()]
      .filter((el) => isBox(el) && !chosen.has(el.id)).map((el) => footprintOf(el, figures))
      .filter((r) => r.x < seen.x + seen.w && r.x + r.w > seen.x && r.y < seen.y + seen.h && r.y + r.h > seen.y)
      .map(onScreen);
    const origin = this.viewport.rect;
    const range = document.createRange();
    for (const el of document.querySelectorAll(BAR_KEEPS_OFF)) {
      if (el.closest('[hidden], .is-culled')) continue;
      // The title's words, not its line's whole width: the bar may stand beside a short title.
      const words = el.matches(FRAME_WORDS);
      if (words) range.selectNodeContents(el);
      const r = words ? range.getBoundingClientRect() : el.getBoundingClientRect();
      if (r.width && r.height) out.push({ x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height });
    }
    return { avoid: out, rather };
  }

  /**
   * The selection's box on screen, where the context bar goes.
   * @param {BoardElement[]} selected
   * @param {Map<string, BoardElement>} elements
   */
  selectionBox(selected, elements) {
    const box = selectionRect(selected, elements);
    if (!box) return null;
    const p = this.viewport.toScreen({ x: box.x, y: box.y });
    const k = this.viewport.k;
    return { x: p.x, y: p.y, w: box.w * k, h: box.h * k };
  }
}
