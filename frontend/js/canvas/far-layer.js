// @ts-check
/**
 * Presentation view on the canvas: over each step a card with its name, its
 * wait and its process time, sized for the screen (model/far-view.js), the
 * constraint's card marked, and under the row of cards a chip for each queue
 * (its count). The canvas root carries `is-far` meanwhile, and the
 * stylesheet lets the small print (data rows, the ladder) step back.
 *
 * A card stands for its step under the pointer (`cardStep`): a press, a tap, a drag, a
 * double-click or a dot on any part of it acts on the step. The card is wider than its
 * step and, fitted on a phone, three times as tall: letting the pointer through to the
 * step under it left most of the card dead to taps, and its `title` (the whole of a name
 * shown short) never showed on hover. The selected step's card is ringed, as its box is.
 *
 *   const far = new FarLayer(scene);
 *   far.render(on, elements, viewport.k, metrics, calendar, editor.selection);
 *   cardStep(event.target);   // 's-1' on s-1's card, else null
 */

import { QUEUE_GAP, QUEUE_LINE, QUEUE_WIDTH, boldWidth, farCards, farFigures, farQueues, queueWords } from '../model/far-view.js';
import { swatch } from './colors.js';
import { boldMeasure } from './text-measure.js';
import { LastInputs } from './unchanged.js';
import { svg } from '../util/dom.js';

// Lines a card's box keeps room for (the name wraps; the box lets what it holds show).
const CARD_LINES = 8;

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 */

/**
 * The step whose presentation card a pointer event's target is in, or null.
 * @param {EventTarget|null} target
 * @returns {string|null}
 */
export function cardStep(target) {
  const card = /** @type {Element|null} */ (target)?.closest?.('.far-card[data-step]');
  return card?.getAttribute('data-step') ?? null;
}

export class FarLayer {
  /** @param {import('./scene.js').Scene} scene */
  constructor(scene) {
    this.root = scene.root;
    this.liveRoot = scene.live?.root ?? null; // peers' moving boxes are drawn as the map's
    this.g = svg('g', { class: 'far-cards', 'aria-hidden': 'true' });
    scene.annotations.append(this.g);
    this._key = '';
    this._last = new LastInputs();
    /** @type {((text: string) => number) | null} the cards' font, measured the first time they are drawn */
    this._measure = null;
    /** @type {Map<string, HTMLElement>} each step's card, as drawn */
    this._cards = new Map();
    this._ringed = '';
  }

  /**
   * @param {boolean} on
   * @param {Map<string, BoardElement>} elements
   * @param {number} k the zoom
   * @param {any} metrics
   * @param {Calendar} calendar
   * @param {Set<string>} [selection] the cards to ring
   */
  render(on, elements, k, metrics, calendar, selection = new Set()) {
    this.root.classList.toggle('is-far', on);
    this.liveRoot?.classList.toggle('is-far', on);
    this._draw(on, elements, k, metrics, calendar);
    const ringed = on ? [...selection].filter((id) => this._cards.has(id)).join('\n') : '';
    if (ringed === this._ringed) return;
    this._ringed = ringed;
    const chosen = new Set(ringed.split('\n'));
    for (const [id, box] of this._cards) box.classList.toggle('is-selected', chosen.has(id));
  }

  /**
   * @param {boolean} on
   * @param {Map<string, BoardElement>} elements
   * @param {number} k
   * @param {any} metrics
   * @param {Calendar} calendar
   */
  _draw(on, elements, k, metrics, calendar) {
    // A pan or a hover changes none of these: the cards stay as they are.
    if (this._last.same(on, elements, k, metrics, calendar)) return;
    if (on) this._measure ??= boldMeasure(getComputedStyle(this.root).getPropertyValue('--font')) ?? boldWidth;
    const measure = this._measure ?? boldWidth;
    const cards = on ? farCards(elements, k, calendar, measure) : [];
    const constraint = metrics?.constraint?.id ?? null;
    const queues = on ? farQueues(elements, k, Math.min(...cards.map((card) => card.font * k)), measure) : [];
    const key = JSON.stringify([cards, queues, constraint, calendar, on && [...elements.values()]
      .filter((el) => el.kind === 'step').map((el) => [el.text, el.wait_minutes, el.process_minutes])]);
    if (key === this._key) return;
    this._key = key;
    const drawn = cards.map((card) => {
      const el = /** @type {BoardElement} */ (elements.get(card.id));
      return drawCard(card, el, card.id === constraint, calendar);
    });
    this.g.replaceChildren(...drawn);
    const boxes = drawn.map((fo) => /** @type {HTMLElement} */ (fo.firstElementChild));
    this._cards = new Map(boxes.map((box, i) => [cards[i].id, box]));
    this._ringed = ''; // new cards: ring the selection's again
    // The cards of a row stand as tall as its tallest (names wrap to different heights): one
    // even band. Read all, then set all: one layout, when the cards change, not each frame.
    /** @type {Map<number, number>} */
    const tallest = new Map();
    boxes.forEach((box, i) => tallest.set(cards[i].row, Math.max(tallest.get(cards[i].row) ?? 0, box.offsetHeight)));
    boxes.forEach((box, i) => { box.style.minHeight = `${tallest.get(cards[i].row)}px`; });
    // The queues go under the cards.
    const bottom = Math.max(...cards.map((card) => card.y + (tallest.get(card.row) ?? 0)));
    if (Number.isFinite(bottom)) {
      this.g.append(...queues.map((q) => drawQueue(q, bottom + q.font * (QUEUE_GAP + q.row * QUEUE_LINE))));
    }
  }
}

/**
 * @param {import('../model/far-view.js').FarCard} card
 * @param {BoardElement} el
 * @param {boolean} isConstraint
 * @param {Calendar} calendar
 */
function drawCard(card, el, isConstraint, calendar) {
  const fo = svg('foreignObject', { x: card.x, y: card.y, width: card.w, height: card.font * 1.3 * CARD_LINES, class: 'far-card-box' });
  const box = document.createElement('div');
  box.className = `far-card${isConstraint ? ' is-constraint' : ''}${card.tight ? ' is-tight' : ''}`;
  box.dataset.step = el.id;
  box.style.fontSize = `${card.font}px`;
  const colours = swatch(el.color, 'yellow');
  box.style.background = colours.fill;
  box.style.borderColor = isConstraint ? '' : colours.border;
  const name = document.createElement('div');
  name.className = 'far-name';
  name.textContent = card.name || 'Untitled step';
  // Cut with "…" or stopped at its last line (model/far-view.js): the whole name on hover.
  if (card.cut) box.title = el.text ?? '';
  box.append(name);
  for (const [label, said] of farFigures(el, calendar)) {
    const line = document.createElement('div');
    line.className = 'far-figure';
    const value = document.createElement('strong');
    value.textContent = said;
    line.append(`${label} `, value);
    box.append(line);
  }
  fo.append(box);
  return fo;
}

/**
 * @param {import('../model/far-view.js').FarQueue} queue
 * @param {number} y its top, in canvas units
 */
function drawQueue(queue, y) {
  const w = Math.max(queue.w, queue.font * QUEUE_WIDTH);
  const fo = svg('foreignObject', { x: queue.cx - w / 2, y, width: w, height: queue.font * 2, class: 'far-card-box' });
  const chip = document.createElement('div');
  chip.className = 'far-queue';
  chip.dataset.inventory = queue.id;
  chip.style.fontSize = `${queue.font}px`;
  const mark = document.createElement('span');
  mark.className = 'far-queue-mark';
  mark.textContent = '▲';
  chip.append(mark, ` ${queueWords(queue.count)}`);
  fo.append(chip);
  return fo;
}
