// @ts-check
/**
 * The legend: what each shape on the map means, each drawn by the canvas's
 * own shape code so the legend can never drift from the board. It lives in a
 * dialog (board.html #legend-dialog), opened from the tool bar's Legend button
 * or from any button marked `data-open-legend` (the shortcuts dialog has one).
 *
 *   const legend = new Legend(byId('legend-dialog'));
 *   legend.open();
 */

import { SHAPES, NOTE_NAMES } from '../canvas/shapes.js';
import { html, svg } from '../util/dom.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{name: string, meaning: string, draw: () => SVGSVGElement}} Entry
 */

// Every sample fits this box on screen; shapes keep their proportions inside it.
const SAMPLE_W = 84;
const SAMPLE_H = 56;
// Room around a sample so outlines and drop shadows are not clipped.
const MARGIN = 6;
const CALENDAR = Object.freeze({ hours_per_day: 8, days_per_week: 5 });

/**
 * An element drawn as on the canvas, as a picture: nothing in it can be focused or picked.
 * @param {BoardElement} el
 */
function sampleOf(el) {
  const shape = SHAPES[el.kind];
  const node = shape.create(el);
  shape.update(node, el, new Map([[el.id, el]]), { calendar: CALENDAR });
  node.g.removeAttribute('transform');
  for (const name of ['role', 'tabindex', 'data-id', 'aria-label', 'aria-pressed']) node.g.removeAttribute(name);
  node.g.querySelector('.data-slot')?.remove(); // a step's figures belong to the map, not the legend
  const w = el.w ?? 0;
  const h = el.h ?? 0;
  return picture(`${-MARGIN} ${-MARGIN} ${w + 2 * MARGIN} ${h + 2 * MARGIN}`, [node.g]);
}

/**
 * @param {string} viewBox
 * @param {SVGElement[]} children
 */
function picture(viewBox, children) {
  return svg('svg', { class: 'legend-sample', viewBox, width: SAMPLE_W, height: SAMPLE_H, 'aria-hidden': 'true' }, children);
}

/** @param {'flow'|'rework'|'info'} kind an arrow as the canvas draws that kind */
function arrowSample(kind) {
  const d = kind === 'rework' ? 'M 10 8 C 10 40, 74 40, 74 8' : 'M 6 28 C 30 28, 54 28, 78 28';
  const line = svg('path', { class: 'line', d, 'marker-end': `url(#arrow-${kind})` });
  return picture(`0 0 ${SAMPLE_W} ${SAMPLE_H}`, [svg('g', { class: `el el-connector connector-${kind}` }, [line])]);
}

/** The constraint's ring, as the metrics layer draws it round a step. */
function constraintSample() {
  return picture(`0 0 ${SAMPLE_W} ${SAMPLE_H}`, [
    svg('rect', { class: 'ring ring-step', x: 6, y: 6, width: SAMPLE_W - 12, height: SAMPLE_H - 12, rx: 12 }),
  ]);
}

/** @type {Entry[]} */
const ENTRIES = [
  { name: 'Step', meaning: 'An activity in the flow. Its wait, process time and %C/A go in the box under it.',
    draw: () => sampleOf({ id: 'legend-step', kind: 'step', x: 0, y: 0, w: 168, h: 96, text: 'Build', color: 'yellow' }) },
  { name: 'Inventory', meaning: 'Items waiting between two steps, with how many.',
    draw: () => sampleOf({ id: 'legend-inventory', kind: 'inventory', x: 0, y: 0, w: 72, h: 64, color: 'orange' }) },
  { name: NOTE_NAMES.comment, meaning: 'A remark or question on a sticky note.',
    draw: () => sampleOf({ id: 'legend-comment', kind: 'note', x: 0, y: 0, w: 168, h: 120, color: 'pink', variant: 'comment', text: 'Who signs this off?' }) },
  { name: NOTE_NAMES.hypothesis, meaning: 'Why work piles up, or what change to try: dashed until it is tested.',
    draw: () => sampleOf({ id: 'legend-hypothesis', kind: 'note', x: 0, y: 0, w: 168, h: 120, color: 'blue', variant: 'hypothesis', text: 'Smaller batches cut the wait' }) },
  { name: NOTE_NAMES.kaizen, meaning: 'An improvement to make, where the burst sits.',
    draw: () => sampleOf({ id: 'legend-kaizen', kind: 'note', x: 0, y: 0, w: 168, h: 120, color: 'yellow', variant: 'kaizen', text: 'Automate tests' }) },
  { name: 'Flow arrow', meaning: 'Work moving on to the next step.', draw: () => arrowSample('flow') },
  { name: 'Rework arrow', meaning: 'Work sent back; its rate adds to the expected lead time.', draw: () => arrowSample('rework') },
  { name: 'Information arrow', meaning: 'Information, not work: a report, a schedule, a signal.', draw: () => arrowSample('info') },
  { name: 'Constraint', meaning: 'Where work waits longest: ringed by the map itself.', draw: constraintSample },
];

export class Legend {
  /** @param {HTMLElement} dialog the <dialog> with a `.legend` list inside */
  constructor(dialog) {
    this.dialog = /** @type {HTMLDialogElement} */ (dialog);
    this.built = false;
    // Buttons elsewhere (the shortcuts dialog) that lead here: one dialog at a time.
    for (const button of document.querySelectorAll('[data-open-legend]')) {
      button.addEventListener('click', () => {
        button.closest('dialog')?.close();
        this.open();
      });
    }
  }

  /** Show the legend (drawn the first time it is opened). */
  open() {
    if (!this.built) this._build();
    if (!this.dialog.open) this.dialog.showModal();
  }

  _build() {
    const list = this.dialog.querySelector('.legend');
    if (!list) return;
    list.replaceChildren(...ENTRIES.map((entry) => html('li', { class: 'legend-entry' }, [
      entry.draw(),
      html('span', { class: 'legend-text' }, [
        html('strong', { class: 'legend-name' }, [entry.name]),
        html('span', { class: 'legend-meaning' }, [entry.meaning]),
      ]),
    ])));
    this.built = true;
  }
}
