// @ts-check
/**
 * The small floating bar by the selection: colour swatches and delete for
 * notes, the arrow's kind and delete for an arrow, and for several notes the
 * ways to line them up and spread them out.
 *
 *   const bar = new ContextBar(host, {color: (c) => ..., kind: (k) => ..., remove: () => ..., arrange: (how) => ...});
 *   bar.render(selected, screenBox, free, screen, avoid);   // each frame; hidden when nothing is selected
 *   barPlace(size, screenBox, free, screen, avoid, rather);  // where it goes: clear of what it must not cover
 */

import { CONNECTOR_KINDS, PALETTE } from '../protocol.js';
import { SWATCHES } from '../canvas/colors.js';
import { ARRANGEMENTS, canArrange } from '../model/align.js';
import { isBox } from '../model/boxes.js';
import { html, svg } from '../util/dom.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{x: number, y: number, w: number, h: number}} Box  in screen pixels, relative to the canvas
 */

/** @type {Record<string, string>} */
const KIND_LABEL = { flow: 'Flow', rework: 'Rework', info: 'Information' };
// Space kept between the bar and what it belongs to.
const GAP = 12;
// Kept this far inside the free part of the screen.
const EDGE = 8;

// A box with an arrow to a plus: the next step.
const NEXT = 'M1.5 5.5h4v5h-4zM5.5 8h4M7.5 6l2 2-2 2M12.5 5.5v5M10 8h5';
const TRASH = 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.2c0 .5.4.8.9.8h4c.5 0 .9-.3.9-.8l.6-8.2';

/**
 * Each arrangement's name and icon (a line and the boxes meeting it).
 * @type {Record<import('../model/align.js').Arrangement, {label: string, d: string}>}
 */
const ARRANGE = {
  left: { label: 'Align left', d: 'M2.5 2v12M5 4h7v3H5zM5 9h4v3H5z' },
  center: { label: 'Align centres', d: 'M8 2v12M4 4h8v3H4zM5.5 9h5v3h-5z' },
  right: { label: 'Align right', d: 'M13.5 2v12M4 4h7v3H4zM7 9h4v3H7z' },
  top: { label: 'Align top', d: 'M2 2.5h12M4 5h3v7H4zM9 5h3v4H9z' },
  middle: { label: 'Align middles', d: 'M2 8h12M4 4h3v8H4zM9 5.5h3v5H9z' },
  bottom: { label: 'Align bottom', d: 'M2 13.5h12M4 4h3v7H4zM9 7h3v4H9z' },
  horizontal: { label: 'Distribute horizontally', d: 'M2 2v12M14 2v12M6.5 5h3v6h-3z' },
  vertical: { label: 'Distribute vertically', d: 'M2 2h12M2 14h12M5 6.5h6v3H5z' },
};

export class ContextBar {
  /**
   * @param {HTMLElement} host the page: the bar is fixed on the screen, over the side panels if it must be
   * @param {{color: (color: string) => void, kind: (kind: 'flow'|'rework'|'info') => void, remove: () => void,
   *   arrange?: (how: import('../model/align.js').Arrangement) => void, next?: () => void}} actions
   *   next: add the step after the one selected
   */
  constructor(host, actions) {
    this.swatches = PALETTE.map((name) => {
      const b = html('button', { type: 'button', class: 'swatch', 'data-color': name, 'aria-label': `Colour: ${name}`, 'aria-pressed': 'false', title: name });
      b.style.setProperty('--swatch-fill', SWATCHES[name].fill);
      b.style.setProperty('--swatch-border', SWATCHES[name].border);
      b.addEventListener('click', () => actions.color(name));
      return b;
    });
    this.kinds = CONNECTOR_KINDS.map((kind) => {
      const b = html('button', { type: 'button', class: 'kind', 'data-connector': kind, 'aria-pressed': 'false',
        'aria-label': `Arrow kind: ${KIND_LABEL[kind]}` }, [KIND_LABEL[kind]]);
      b.addEventListener('click', () => actions.kind(/** @type {'flow'|'rework'|'info'} */ (kind)));
      return b;
    });
    const icon = svg('svg', { viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true' }, [svg('path', { d: TRASH })]);
    this.remove = html('button', { type: 'button', class: 'delete', 'data-action': 'delete', 'aria-label': 'Delete', title: 'Delete (Del)' }, [icon]);
    this.remove.addEventListener('click', () => actions.remove());
    this.arrangers = ARRANGEMENTS.map((how) => {
      const { label, d } = ARRANGE[how];
      const glyph = svg('svg', { viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true' }, [svg('path', { d })]);
      const b = html('button', { type: 'button', class: 'arrange', 'data-arrange': how, 'aria-label': label, title: label }, [glyph]);
      b.addEventListener('click', () => actions.arrange?.(how));
      return b;
    });
    const plus = svg('svg', { viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true' }, [svg('path', { d: NEXT })]);
    this.next = html('button', { type: 'button', class: 'next-step', 'data-action': 'next-step',
      'aria-label': 'Add next step', title: 'Add next step (Shift+N)' }, [plus]);
    this.next.addEventListener('click', () => actions.next?.());
    this.nextSep = html('span', { class: 'context-sep', 'aria-hidden': 'true' });
    this.swatchGroup = html('div', { class: 'context-group', role: 'group', 'aria-label': 'Colour' }, this.swatches);
    this.kindGroup = html('div', { class: 'context-group', role: 'group', 'aria-label': 'Arrow kind' }, this.kinds);
    this.arrangeGroup = html('div', { class: 'context-group', role: 'group', 'aria-label': 'Align and distribute' }, [
      ...this.arrangers.slice(0, 6), html('span', { class: 'context-sep', 'aria-hidden': 'true' }), ...this.arrangers.slice(6),
    ]);
    this.arrangeSep = html('span', { class: 'context-sep', 'aria-hidden': 'true' });
    this.bar = html('div', { class: 'context-bar', role: 'toolbar', 'aria-label': 'Selection' }, [
      this.next, this.nextSep, this.arrangeGroup, this.arrangeSep, this.swatchGroup, this.kindGroup,
      html('span', { class: 'context-sep', 'aria-hidden': 'true' }), this.remove,
    ]);
    this.bar.hidden = true;
    // Presses on the bar must not reach the canvas underneath (which would deselect).
    this.bar.addEventListener('pointerdown', (e) => e.stopPropagation());
    host.append(this.bar);
  }

  /**
   * @param {BoardElement[]} selected
   * @param {Box|null} box the selection on screen; null hides the bar
   * @param {() => {x0: number, y0: number, x1: number, y1: number}} freeArea the screen the panels
   *   leave free (asked only while the bar shows: it reads the panels' boxes, a layout)
   * @param {{width: number, height: number}} screen
   * @param {() => {avoid: Box[], rather: Box[]}} [keepOff] what the bar must not cover, the selection
   *   as drawn first, and what it had better not (asked only while the bar shows: a layout)
   */
  render(selected, box, freeArea, screen, keepOff = () => ({ avoid: [], rather: [] })) {
    this.bar.hidden = !box || !selected.length;
    if (!box || !selected.length) return;
    const notes = selected.filter((el) => el.kind !== 'connector');
    const arrows = selected.filter((el) => el.kind === 'connector');
    this.swatchGroup.hidden = !notes.length;
    this.next.hidden = !(selected.length === 1 && selected[0].kind === 'step');
    this.nextSep.hidden = this.next.hidden;
    this.kindGroup.hidden = !(arrows.length === 1 && !notes.length);
    const boxes = notes.filter(isBox).length;
    this.arrangeGroup.hidden = !canArrange('left', boxes);
    this.arrangeSep.hidden = this.arrangeGroup.hidden;
    for (const b of this.arrangers) {
      b.disabled = !canArrange(/** @type {import('../model/align.js').Arrangement} */ (b.dataset.arrange), boxes);
    }
    const colors = new Set(notes.map((el) => el.color));
    for (const b of this.swatches) b.setAttribute('aria-pressed', String(colors.size === 1 && colors.has(b.dataset.color)));
    const kind = arrows[0]?.connector ?? 'flow';
    // A loop from a step onto itself can only be rework (the server refuses the others).
    const onItself = arrows.length === 1 && arrows[0].source === arrows[0].target;
    for (const b of this.kinds) {
      b.setAttribute('aria-pressed', String(b.dataset.connector === kind));
      b.disabled = onItself && b.dataset.connector !== 'rework';
      b.title = b.disabled ? 'A step’s loop onto itself is rework: its work redone by itself' : '';
    }
    const size = { width: this.bar.offsetWidth, height: this.bar.offsetHeight };
    const { avoid, rather } = keepOff();
    const { left, top } = barPlace(size, box, freeArea(), screen, avoid, rather);
    this.bar.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }
}

/**
 * Where the bar goes (its top left, screen px): above the selection, else under what is drawn
 * for it (a step's figures and chips), else beside or between what it must keep off, in the
 * part of the screen the panels leave free; never over `avoid` (the map's title, the controls,
 * the selection as drawn) where a place clear of all of them exists. It went above whatever
 * was there: over the map's title just above the steps on half a laptop screen, and, pushed
 * under a step by the top bar, over the step's own figures.
 * @param {{width: number, height: number}} size the bar's
 * @param {Box} box the selection on screen
 * @param {{x0: number, y0: number, x1: number, y1: number}} free the screen the panels leave free
 * @param {{width: number, height: number}} screen
 * @param {Box[]} [avoid] what the bar must not cover; the first is the selection as drawn
 * @param {Box[]} [rather] what it had better not cover either (the other steps' figures), if it can
 * @returns {{left: number, top: number}}
 */
export function barPlace(size, box, free, screen, avoid = [], rather = []) {
  return (rather.length && placeClear(size, box, free, screen, avoid, rather))
    || placeClear(size, box, free, screen, avoid, []) || fallback(size, box, free, screen);
}

/**
 * The first place clear of `avoid` and `rather`, or null.
 * @param {{width: number, height: number}} size
 * @param {Box} box
 * @param {{x0: number, y0: number, x1: number, y1: number}} free
 * @param {{width: number, height: number}} screen
 * @param {Box[]} avoid
 * @param {Box[]} rather
 */
function placeClear(size, box, free, screen, avoid, rather) {
  const { width, height } = size;
  // Side panels that leave less room than the bar: over the totals at the left rather than
  // the side panel being typed in at the right; over both only when it must, never cut.
  const fits = (/** @type {number} */ a, /** @type {number} */ b) => b - a >= width + 2 * EDGE;
  const [x0, x1] = fits(free.x0, free.x1) ? [free.x0, free.x1] : fits(0, free.x1) ? [0, free.x1] : [0, screen.width];
  const clampX = (/** @type {number} */ x) => Math.max(x0 + EDGE, Math.min(x, x1 - width - EDGE));
  const clampY = (/** @type {number} */ y) => Math.max(free.y0 + EDGE, Math.min(y, free.y1 - height - EDGE));
  const drawn = avoid[0] ?? box;
  const centred = clampX(box.x + box.w / 2 - width / 2);
  const above = box.y - height - GAP;
  const below = Math.max(box.y + box.h, drawn.y + drawn.h) + GAP;
  // Then under or over each thing in the way, nearest the selection first.
  const others = avoid.flatMap((r) => [r.y + r.h + GAP, r.y - height - GAP])
    .sort((a, b) => Math.abs(a - box.y) - Math.abs(b - box.y));
  const all = [...avoid, ...rather];
  const clear = (/** @type {number} */ left, /** @type {number} */ top) => all.every((r) => !(r.w > 0 && r.h > 0
    && left < r.x + r.w && left + width > r.x && top < r.y + r.h && top + height > r.y));
  for (const wanted of [above, below, ...others]) {
    const top = clampY(wanted);
    if (top !== wanted && wanted !== above && wanted !== below) continue; // only the first two may be held in
    // Centred on the selection, else slid just clear of what is in the way, the least slide first.
    const lefts = [centred, ...all.flatMap((r) => [r.x - width - GAP, r.x + r.w + GAP]).map(clampX)]
      .sort((a, b) => Math.abs(a - centred) - Math.abs(b - centred));
    const left = lefts.find((x) => clear(x, top));
    if (left !== undefined) return { left, top };
  }
  return null;
}

/**
 * Nowhere clear (a screen too small for it): above the selection, or below it when the top bar
 * leaves no room.
 * @param {{width: number, height: number}} size
 * @param {Box} box
 * @param {{x0: number, y0: number, x1: number, y1: number}} free
 * @param {{width: number, height: number}} screen
 */
function fallback(size, box, free, screen) {
  const { width, height } = size;
  const fits = (/** @type {number} */ a, /** @type {number} */ b) => b - a >= width + 2 * EDGE;
  const [x0, x1] = fits(free.x0, free.x1) ? [free.x0, free.x1] : fits(0, free.x1) ? [0, free.x1] : [0, screen.width];
  const left = Math.max(x0 + EDGE, Math.min(box.x + box.w / 2 - width / 2, x1 - width - EDGE));
  const above = box.y - height - GAP;
  const top = above < free.y0 + EDGE ? box.y + box.h + GAP : above;
  return { left, top: Math.max(free.y0 + EDGE, Math.min(top, free.y1 - height - EDGE)) };
}
