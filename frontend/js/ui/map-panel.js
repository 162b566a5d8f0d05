// @ts-check
/**
 * The map's own settings: its frame (title, scope, customer, trigger, delivery
 * point, owner) and its working calendar (what "1d" and "1w" mean). Everyone
 * sees them; the facilitator edits them, live like everything else.
 *
 *   const panel = new MapPanel(document.getElementById('map-panel'), {save, canEdit, api});
 *   panel.toggle();
 *   panel.render(frame);   // each frame
 *
 * The facilitator can also delete the board from here, after a confirmation
 * (ui/delete-board.js), import an event log to measure the flow (ui/event-log.js)
 * and choose whether the totals use the estimates or the measurements
 * (ui/measured-settings.js).
 */

import { html } from '../util/dom.js';
import { DeleteBoardDialog } from './delete-board.js';
import { EventLogImport } from './event-log.js';
import { MeasuredSettings } from './measured-settings.js';

/**
 * @typedef {import('../protocol.js').BoardFrame} BoardFrame
 * @typedef {{name: string, label: string, hint?: string, help?: string, number?: [number, number], optional?: boolean}} FrameField
 */

/** @type {FrameField[]} */
const FRAME = [
  { name: 'title', label: 'Title', hint: 'e.g. Feature delivery' },
  { name: 'scope', label: 'Scope', hint: 'From … to …', help: 'One sentence: where the map starts and ends' },
  { name: 'customer', label: 'Customer', hint: 'Who receives the value, and what they value' },
  { name: 'trigger', label: 'Trigger (left edge)', hint: 'e.g. Feature request submitted' },
  { name: 'delivery', label: 'Value delivered (right edge)', hint: 'e.g. Feature live in production' },
  { name: 'owner', label: 'Value-stream owner', hint: 'Who is accountable for the whole flow' },
];
/** @type {FrameField[]} */
const CALENDAR = [
  { name: 'hours_per_day', label: 'Hours in a working day', number: [1, 24] },
  { name: 'days_per_week', label: 'Working days in a week', number: [1, 7] },
];
// Customer demand: optional (left empty, the map has none). A hundredth of an item a day
// is a few a year, the least that still makes a takt time; the server allows a little less.
const DEMAND = { name: 'demand_per_day', label: 'Customer demand (items per working day)', hint: 'e.g. 4',
  number: /** @type {[number, number]} */ ([0.01, 1000000]), optional: true,
  help: 'Gives the takt time, and reads each queue as time: a step whose wait is more than 2× off what its queue implies is flagged in the Flow panel.' };
// The server keeps frame texts this short (app/domain/fields.py BOARD_FIELDS).
const TITLE_MAX = 200;
const TEXT_MAX = 500;

export class MapPanel {
  /**
   * @param {HTMLElement} root
   * @param {{save: (set: Record<string, unknown>) => void, canEdit: () => boolean,
   *   startFuture?: () => void, notify?: (message: string) => void,
   *   teams?: import('./teams.js').TeamsSettings, api: import('../net/api.js').BoardApi}} actions
   *   notify: an event log imported or removed; teams: its Teams part; api: for deleting the board and importing a log
   */
  constructor(root, actions) {
    this.root = root;
    this.actions = actions;
    /** @type {Map<string, HTMLInputElement>} */
    this.inputs = new Map();
    /** @type {BoardFrame} */
    this.frame = {};
    this._editable = null;
    this.deleting = new DeleteBoardDialog(document.getElementById('delete-board-dialog'), actions.api);
    this.measured = new MeasuredSettings({ save: (set) => this.actions.save(set), importer: new EventLogImport({ api: actions.api, done: actions.notify }) });
    root.addEventListener('pointerdown', (e) => e.stopPropagation());
    root.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape' && !(e.target instanceof HTMLInputElement)) this.close();
    });
  }

  get isOpen() {
    return !this.root.hidden;
  }

  toggle() {
    if (this.isOpen) this.close();
    else this.open();
  }

  open() {
    this.root.hidden = false;
    this.render(this.frame);
    this.inputs.get('title')?.focus();
  }

  close() {
    this.root.hidden = true;
  }

  /** @param {BoardFrame} frame */
  render(frame) {
    this.frame = frame;
    if (!this.isOpen) return;
    const editable = this.actions.canEdit();
    if (editable !== this._editable) this._build(editable);
    this.measured.render(frame);
    this.actions.teams?.render(frame);
    for (const [name, input] of this.inputs) {
      if (document.activeElement === input || input.dataset.invalid) continue;
      const value = String(frame[name] ?? '');
      if (input.value !== value) input.value = value;
    }
  }

  /** @param {boolean} editable */
  _build(editable) {
    this._editable = editable;
    this.inputs.clear();
    const close = html('button', { type: 'button', class: 'panel-close', 'aria-label': 'Close map settings' }, ['×']);
    close.addEventListener('click', () => this.close());
    const parts = [
      html('div', { class: 'panel-head' }, [html('h2', { class: 'inspector-title' }, ['The map']), close]),
      ...FRAME.map((f) => this._field(f, editable)),
      html('h3', { class: 'panel-subhead' }, ['Working calendar']),
      html('p', { class: 'inspector-help' }, ['What “1d” and “1w” mean on this map. Changing it re-reads the times already given; it does not change them.']),
      ...CALENDAR.map((f) => this._field(f, editable)),
      html('h3', { class: 'panel-subhead' }, ['Demand']),
      this._field(DEMAND, editable),
      ...this.measured.build(editable),
      ...(this.actions.teams?.build(editable) ?? []),
    ];
    if (!editable) parts.push(html('p', { class: 'inspector-help' }, ['Only the facilitator can change these.']));
    if (editable && this.actions.startFuture) {
      const future = html('button', { type: 'button', class: 'button', 'data-action-future': '' }, ['Start a future-state map']);
      future.addEventListener('click', () => this.actions.startFuture?.());
      parts.push(html('h3', { class: 'panel-subhead' }, ['Future state']),
        html('p', { class: 'inspector-help' }, ['A linked copy of this map to redesign the flow; its totals show beside this map’s, with the differences.']),
        future);
    }
    if (editable) parts.push(...this._deleteSection());
    this.root.replaceChildren(...parts);
  }

  /** The facilitator's way to delete the board; the dialog asks for its name first. */
  _deleteSection() {
    const remove = html('button', { type: 'button', class: 'button button-danger', 'data-action-delete-board': '' }, ['Delete this board…']);
    remove.addEventListener('click', () => this.deleting.open(String(this.frame.title ?? '')));
    return [
      html('h3', { class: 'panel-subhead' }, ['Delete the board']),
      html('p', { class: 'inspector-help' }, ['For good, for everyone: its links stop working. Export it first if you may want it again.']),
      remove,
    ];
  }

  /**
   * @param {FrameField} f
   * @param {boolean} editable
   */
  _field(f, editable) {
    const id = `map-${f.name}`;
    const input = html('input', {
      id, name: f.name, type: 'text', class: 'inspector-input', placeholder: f.hint ?? '', readonly: !editable,
      autocomplete: 'off', inputmode: f.number ? 'decimal' : null, 'aria-describedby': `${id}-error`,
      maxlength: f.number ? null : f.name === 'title' ? TITLE_MAX : TEXT_MAX,
    });
    const error = html('p', { id: `${id}-error`, class: 'inspector-error', role: 'alert' });
    input.addEventListener('change', () => {
      if (!this.actions.canEdit()) return;
      const cleared = f.optional && !input.value.trim();
      const value = cleared ? null : f.number ? readNumber(input.value, f.number) : input.value;
      if (typeof value === 'string' && f.number) {
        input.dataset.invalid = '1';
        input.setAttribute('aria-invalid', 'true');
        error.textContent = value;
        return;
      }
      delete input.dataset.invalid;
      input.removeAttribute('aria-invalid');
      error.textContent = '';
      if (value !== this.frame[f.name]) this.actions.save({ [f.name]: value });
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') input.blur();
      if (e.key === 'Escape') { // what was typed goes, as in a step's panel; nothing is saved
        input.value = String(this.frame[f.name] ?? '');
        delete input.dataset.invalid;
        input.removeAttribute('aria-invalid');
        error.textContent = '';
        input.blur();
      }
    });
    this.inputs.set(f.name, input);
    const row = html('div', { class: 'inspector-field' }, [html('label', { for: id }, [f.label]), input]);
    if (f.help) row.append(html('p', { class: 'inspector-help' }, [f.help]));
    row.append(error);
    return row;
  }
}

/**
 * A number in range, or the message saying why not.
 * @param {string} typed
 * @param {[number, number]} range
 * @returns {number|string}
 */
export function readNumber(typed, [lo, hi]) {
  const value = Number(typed.trim().replace(',', '.'));
  if (!typed.trim() || !Number.isFinite(value)) return `Type a number from ${lo} to ${hi}`;
  if (value < lo || value > hi) return `Must be from ${lo} to ${hi}`;
  return value;
}
