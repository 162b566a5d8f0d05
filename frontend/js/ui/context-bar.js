// @ts-check
/**
 * The small floating bar by the selection: colour swatches and delete for
 * notes, the arrow's kind and delete for an arrow.
 *
 *   const bar = new ContextBar(host, {color: (c) => ..., kind: (k) => ..., remove: () => ...});
 *   bar.render(selected, screenBox);   // each frame; hidden when nothing is selected
 */

import { CONNECTOR_KINDS, PALETTE } from '../protocol.js';
import { SWATCHES } from '../canvas/colors.js';
import { html, svg } from '../util/dom.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{x: number, y: number, w: number, h: number}} Box  in screen pixels, relative to the canvas
 */

/** @type {Record<string, string>} */
const KIND_LABEL = { flow: 'Flow', rework: 'Rework', info: 'Information' };
// Space kept between the bar and what it belongs to.
const GAP = 12;

const TRASH = 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.2c0 .5.4.8.9.8h4c.5 0 .9-.3.9-.8l.6-8.2';

export class ContextBar {
  /**
   * @param {HTMLElement} host positioned over the canvas
   * @param {{color: (color: string) => void, kind: (kind: 'flow'|'rework'|'info') => void, remove: () => void}} actions
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
    this.swatchGroup = html('div', { class: 'context-group', role: 'group', 'aria-label': 'Colour' }, this.swatches);
    this.kindGroup = html('div', { class: 'context-group', role: 'group', 'aria-label': 'Arrow kind' }, this.kinds);
    this.bar = html('div', { class: 'context-bar', role: 'toolbar', 'aria-label': 'Selection' },
      [this.swatchGroup, this.kindGroup, html('span', { class: 'context-sep', 'aria-hidden': 'true' }), this.remove]);
    this.bar.hidden = true;
    // Presses on the bar must not reach the canvas underneath (which would deselect).
    this.bar.addEventListener('pointerdown', (e) => e.stopPropagation());
    host.append(this.bar);
  }

  /**
   * @param {BoardElement[]} selected
   * @param {Box|null} box the selection on screen; null hides the bar
   * @param {{width: number, height: number}} screen
   */
  render(selected, box, screen) {
    this.bar.hidden = !box || !selected.length;
    if (!box || !selected.length) return;
    const notes = selected.filter((el) => el.kind !== 'connector');
    const arrows = selected.filter((el) => el.kind === 'connector');
    this.swatchGroup.hidden = !notes.length;
    this.kindGroup.hidden = !(arrows.length === 1 && !notes.length);
    const colors = new Set(notes.map((el) => el.color));
    for (const b of this.swatches) b.setAttribute('aria-pressed', String(colors.size === 1 && colors.has(b.dataset.color)));
    const kind = arrows[0]?.connector ?? 'flow';
    for (const b of this.kinds) b.setAttribute('aria-pressed', String(b.dataset.connector === kind));
    const width = this.bar.offsetWidth;
    const height = this.bar.offsetHeight;
    let top = box.y - height - GAP;
    if (top < 64) top = box.y + box.h + GAP; // no room above (under the top bar): go below
    const left = Math.min(Math.max(8, box.x + box.w / 2 - width / 2), screen.width - width - 8);
    this.bar.style.transform = `translate(${Math.round(left)}px, ${Math.round(Math.min(top, screen.height - height - 8))}px)`;
  }
}
