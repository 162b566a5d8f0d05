// @ts-check
/**
 * The side panel for the one selected element: a step's wait, process time,
 * %C/A, people, waste tags and example-walk timestamps; an inventory's count;
 * an arrow's kind and rework rate; a note's kind. Durations are typed the way
 * people say them ("3d", "1d 4h", "90") and checked here with the server's own
 * rules, so a typo gets its message at once and is never sent.
 *
 *   const panel = new Inspector(document.getElementById('inspector'), {update, canEdit: () => true});
 *   panel.render(selectedElement, metrics, calendar);   // each frame
 *   panel.focusField('wait_minutes');                  // from a double-click on the data box
 *
 * An input being typed in is never overwritten by a peer's edit; it shows the
 * new value once it loses focus.
 */

import { MAX_TEXT, WASTES } from '../protocol.js';
import { WASTE_LABELS } from '../canvas/data-box.js';
import { PAUSED, changedWhileTyping, deletedWhileTyping } from '../model/unsaved.js';
import {
  DurationError, PercentError, formatDuration, parseDuration, parsePercent, parseRate, parseTyped, showDuration, typedForm,
} from '../model/durations.js';
import { html, show } from '../util/dom.js';
import { when } from './comments.js';
import { metricValue } from '../model/experiment.js';
import { loopsBack } from '../model/rework.js';
import { EXPERIMENT_METRICS } from '../protocol.js';
import { measuredSlot, showMeasured } from './measured-figures.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 * @typedef {object} Field
 * @property {string} name      the element field
 * @property {string} label
 * @property {'duration'|'percent'|'rate'|'count'|'text'|'longtext'|'name'|'moment'|'figure'|'date'} type  longtext: several
 *   lines; name: one line of text that wraps to show a long name whole (a step's, heading its panel)
 * @property {string} [hint]    placeholder
 * @property {string} [help]    a line under the label
 * @property {number} [max]     a count's largest value (the server refuses more)
 * @typedef {object} Actions
 * @property {(id: string, set: Record<string, unknown>, source?: 'typed'|'estimate'|'measured') => void} update
 * @property {() => boolean} canEdit
 * @property {() => string|null} [client]  this browser's id: which estimate is mine
 * @property {(target: string, field: string, minutes: number|null) => void} [estimate]  give or change my estimate
 * @property {(message: string) => void} [notify]  say something to the person (a toast)
 * @property {(step: string) => void} [reworkItself]  a rework loop from the step back to itself
 */

/** @type {Record<string, Field[]>} */
const FIELDS = {
  step: [
    { name: 'wait_minutes', label: 'Wait before it', type: 'duration', hint: 'e.g. 3d', help: 'How long work sits before anyone starts it' },
    { name: 'process_minutes', label: 'Process time', type: 'duration', hint: 'e.g. 4h', help: 'Hands-on time for one item' },
    { name: 'pca', label: '%C/A', type: 'percent', hint: 'e.g. 85%', help: 'Share of the work arriving here complete and accurate' },
    { name: 'people', label: 'People', type: 'count', hint: 'e.g. 3', max: 100_000 },
  ],
  inventory: [
    { name: 'count', label: 'Items waiting', type: 'count', hint: 'e.g. 12', max: 1_000_000_000 },
    { name: 'text', label: 'Label', type: 'text', hint: 'e.g. Ready for test' },
  ],
  connector: [
    { name: 'rework_rate', label: 'Rework rate', type: 'rate', hint: 'e.g. 20%', help: 'Share of items sent back round the loop' },
    { name: 'text', label: 'Label', type: 'text', hint: 'optional' },
  ],
  // The note's words, whole: the canvas shows them all too, but this is where long ones are edited.
  note: [{ name: 'text', label: 'Text', type: 'longtext', hint: 'What the note says' }],
  experiment: [
    { name: 'text', label: 'The change we try', type: 'text', hint: 'e.g. a test environment per team' },
    { name: 'baseline', label: 'Baseline (the map today)', type: 'figure', hint: 'e.g. 24d' },
    { name: 'target', label: 'Target', type: 'figure', hint: 'e.g. 15d' },
    { name: 'review', label: 'Review on', type: 'date' },
    { name: 'result', label: 'Result when reviewed', type: 'text', hint: 'what happened' },
  ],
};
/** @type {Record<string, string>} */
const STATUSES = { planned: 'Planned', running: 'Running', achieved: 'Achieved', missed: 'Missed' };
/** @type {Field[]} */
const WALK_FIELDS = [
  { name: 'walk_ready', label: 'Arrived', type: 'moment', help: 'Leave empty: it arrived when the step before finished' },
  { name: 'walk_start', label: 'Work started', type: 'moment' },
  { name: 'walk_end', label: 'Finished', type: 'moment' },
];
// The figures whose provenance the server keeps (app/domain/elements.py NUMBER_FIELDS).
const NUMBER_FIELDS = new Set(['wait_minutes', 'process_minutes', 'pca', 'people', 'count', 'rework_rate']);
/** @type {Record<string, string>} */
const SOURCE_WORDS = { typed: 'typed in', estimate: 'settled from the estimates', measured: 'measured on the example walk' };
/** @type {Record<string, string>} */
const TITLES = { step: 'Step', inventory: 'Inventory', connector: 'Arrow', note: 'Note', experiment: 'Experiment' };
/** @type {Record<string, string>} */
const VARIANTS = { comment: 'Comment', hypothesis: 'Hypothesis', kaizen: 'Kaizen burst' };

export class Inspector {
  /**
   * @param {HTMLElement} root
   * @param {Actions} actions
   * @param {import('./comments.js').CommentsSection|null} [comments]
   * @param {import('./what-if.js').WhatIfSection|null} [whatIf]  "What if…" under a step's figures
   * @param {import('./owner-picker.js').OwnerPicker|null} [owner]  a step's team, under its name
   */
  constructor(root, actions, comments = null, whatIf = null, owner = null) {
    this.root = root;
    this.actions = actions;
    /** The comment threads shown under the figures (ui/comments.js). */
    this.comments = comments;
    this.whatIf = whatIf;
    this.owner = owner;
    /** @type {string|null} built for this element (id:kind:connector) */
    this._built = null;
    /** @type {string|null} the id of the element the panel was last built for */
    this._builtId = null;
    /** @type {BoardElement|null} */
    this.el = null;
    /** @type {Calendar} */
    this.calendar = { hours_per_day: 8, days_per_week: 5 };
    /** @type {Map<string, HTMLInputElement>} */
    this.inputs = new Map();
    root.addEventListener('pointerdown', (e) => e.stopPropagation());
    root.addEventListener('keydown', (e) => e.stopPropagation()); // board shortcuts stay off while typing here
  }

  /**
   * @param {BoardElement|null} el the single selected element
   * @param {any} metrics
   * @param {Calendar} calendar
   * @param {Map<string, BoardElement>} [all] every element, comments and estimates included
   */
  render(el, metrics, calendar, all = new Map()) {
    if (this.el && el?.id !== this.el.id && all.size && !all.has(this.el.id)) this._deleted(this.el);
    this.el = el;
    this.calendar = calendar;
    const shape = el ? `${el.id}:${el.kind}:${el.connector ?? ''}:${this.actions.canEdit()}` : null;
    if (shape !== this._built) this._rebuild(el);
    this.root.hidden = !el;
    if (!el) return;
    for (const [name, input] of this.inputs) {
      if (input.type === 'checkbox') continue;
      const shown = this._show(name, /** @type {any} */ (el)[name]);
      // Typed and not saved (or refused): the words stay, and a change someone else made
      // meanwhile is said under them, not silently overwritten by this person's Enter.
      if (input.dataset.invalid || input.dataset.draft) {
        sayChanged(input, input.dataset.base !== undefined && shown !== input.dataset.base ? shown : null);
        continue;
      }
      // Merely focused, nothing typed: it shows what the step now holds (a stale figure
      // stayed in it, and was what the person went on from).
      sayChanged(input, null);
      input.dataset.base = shown;
      if (input.value !== shown) input.value = shown;
    }
    for (const b of this.root.querySelectorAll('[data-waste]')) {
      b.setAttribute('aria-pressed', String((el.waste ?? []).includes(/** @type {HTMLElement} */ (b).dataset.waste ?? '')));
    }
    for (const b of this.root.querySelectorAll('[data-choice]')) {
      const button = /** @type {HTMLElement} */ (b);
      const now = /** @type {any} */ (el)[button.dataset.choice ?? ''] ?? (button.dataset.choice === 'variant' ? 'comment' : '');
      button.setAttribute('aria-pressed', String(now === button.dataset.value));
    }
    this._actuals(el, metrics);
    this._estimates(el, metrics, all);
    showMeasured(this.root, el, metrics, calendar);
    this._provenance(el);
    const forward = this.root.querySelector('[data-rework-warning]');
    if (forward) show(forward, !loopsBack(el, all));
    if (this.owner && el.kind === 'step') this.owner.render(el);
    if (this.whatIf && el.kind === 'step') this.whatIf.render(el, metrics);
    if (this.comments && el.kind !== 'connector') this.comments.render(el, all);
  }

  /** @param {string} name put the caret in this field (e.g. after a double-click on the data box) */
  focusField(name) {
    const input = this.inputs.get(name);
    if (!input) return;
    input.focus();
    input.select();
  }

  /**
   * Build the panel again, keeping what is typed in it and not saved yet when it is the
   * same element's panel: it is rebuilt when editing is paused or resumes (its fields turn
   * read-only and back) or an arrow changes kind, and a participant mid-figure lost it all.
   * @param {BoardElement|null} el
   */
  _rebuild(el) {
    const drafts = el !== null && el.id === this._builtId ? this._drafts() : new Map();
    const bases = new Map([...this.inputs.values()].map((i) => [i.id, i.dataset.base]));
    const focused = document.activeElement?.id;
    this._build(el);
    const editable = this.actions.canEdit();
    for (const [id, value] of drafts) {
      const input = /** @type {HTMLInputElement|null} */ (this.root.querySelector(`#${CSS.escape(id)}`));
      if (!input) continue;
      input.value = value;
      input.dataset.draft = '1';
      const base = bases.get(id);
      if (base !== undefined) input.dataset.base = base;
      const error = input.closest('.estimate-row, .inspector-field')?.querySelector(':scope > .inspector-error');
      if (error && !editable) error.textContent = PAUSED;
      if (id === focused) input.focus({ preventScroll: true });
    }
  }

  /**
   * Someone deleted the element whose panel this is: say so, with what was typed in it and
   * is lost with it (the panel went without a word, and the figure being typed with it).
   * @param {BoardElement} el
   */
  _deleted(el) {
    const words = [...this._drafts().values()].map((v) => v.trim()).filter(Boolean).map((v) => `“${v}”`);
    if (words.length) this.actions.notify?.(deletedWhileTyping(el, words.join(', ')));
  }

  /**
   * The panel's fields with words typed and not saved yet, or refused, by id (the comment
   * boxes keep their own, ui/comments.js).
   * @returns {Map<string, string>}
   */
  _drafts() {
    const out = new Map();
    for (const node of this.root.querySelectorAll('.inspector-input[data-draft], .inspector-input[data-invalid]')) {
      const input = /** @type {HTMLInputElement} */ (node);
      if (input.id && !input.classList.contains('comment-input')) out.set(input.id, input.value);
    }
    return out;
  }

  /** @param {BoardElement|null} el */
  _build(el) {
    if (el?.id !== this._builtId) this.root.scrollTop = 0; // another element: its panel from the top
    this._builtId = el?.id ?? null;
    this._built = el ? `${el.id}:${el.kind}:${el.connector ?? ''}:${this.actions.canEdit()}` : null;
    this.inputs.clear();
    if (!el) {
      this.root.replaceChildren();
      return;
    }
    const editable = this.actions.canEdit();
    const parts = [this._heading(el, editable)];
    if (this.owner && el.kind === 'step') parts.push(this.owner.root);
    let fields = FIELDS[el.kind] ?? [];
    if (el.kind === 'connector' && (el.connector ?? 'flow') !== 'rework') fields = fields.filter((f) => f.name !== 'rework_rate');
    for (const f of fields) parts.push(this._field(f, editable));
    if (el.kind === 'connector' && el.connector === 'rework') {
      parts.push(html('p', { class: 'inspector-warning', 'data-rework-warning': '', role: 'status', hidden: true }, [
        'This rework arrow points forward. Rework goes back to an earlier step, and as a rework arrow this one is no ',
        'longer part of the flow: the steps after it drop off the path. Choose Flow to keep it in the flow, or draw ',
        'the rework arrow from the later step back to the earlier one.',
      ]));
    }
    if (el.kind === 'step') {
      parts.push(this._wastes(editable));
      if (editable && this.actions.reworkItself) parts.push(this._reworkItself(el.id));
      const walk = html('details', { class: 'inspector-walk' });
      walk.open = WALK_FIELDS.some((f) => /** @type {any} */ (el)[f.name]);
      walk.append(html('summary', {}, ['Example walk']),
        html('p', { class: 'inspector-help' }, ['When the example item reached this step, and when work on it started and finished.']),
        ...WALK_FIELDS.map((f) => this._field(f, editable)),
        html('p', { class: 'inspector-actual', 'data-actual': '' }),
        html('button', { type: 'button', class: 'link', 'data-use-actual': '', hidden: true }, ['Use the actual times as the step’s figures']));
      parts.push(walk);
      if (this.whatIf) parts.push(this.whatIf.root);
    }
    if (el.kind === 'note') parts.push(this._choice('variant', 'Kind', VARIANTS, editable));
    if (el.kind === 'experiment') {
      const metrics = Object.fromEntries(Object.entries(EXPERIMENT_METRICS).map(([k, v]) => [k, v[0].toUpperCase() + v.slice(1)]));
      parts.splice(2, 0, this._choice('metric', 'Flow metric', metrics, editable));
      parts.push(this._choice('status', 'Status', STATUSES, editable));
    }
    if (this.comments && el.kind !== 'connector') parts.push(this.comments.root);
    this.root.replaceChildren(...parts);
  }

  /**
   * What the panel edits, named: a step's name heads its panel, editable there,
   * so nobody types a figure into the wrong step; other kinds say their kind.
   * @param {BoardElement} el
   * @param {boolean} editable
   */
  _heading(el, editable) {
    const kind = TITLES[el.kind] ?? 'Element';
    if (el.kind !== 'step') return html('h2', { class: 'inspector-title' }, [kind]);
    const row = this._field({ name: 'text', label: kind, type: 'name', hint: 'Name this step' }, editable);
    row.classList.add('inspector-heading');
    return row;
  }

  /**
   * @param {Field} f
   * @param {boolean} editable
   */
  _field(f, editable) {
    const id = `inspect-${f.name}`;
    const long = f.type === 'longtext';
    const wraps = long || f.type === 'name';
    // A textarea has the value, focus and select an input has: the panel treats both alike.
    const input = /** @type {HTMLInputElement} */ (html(wraps ? 'textarea' : 'input', {
      id, name: f.name, class: 'inspector-input', autocomplete: 'off', spellcheck: long ? 'true' : 'false',
      rows: long ? 4 : wraps ? 1 : null,
      type: wraps ? null : f.type === 'moment' ? 'datetime-local' : f.type === 'date' ? 'date' : 'text', placeholder: f.hint ?? '',
      inputmode: f.type === 'count' ? 'numeric' : null, readonly: !editable,
      'aria-describedby': `${id}-error`,
    }));
    const error = html('p', { id: `${id}-error`, class: 'inspector-error', role: 'alert' });
    // Typed by the person and not saved yet: kept if the panel is rebuilt (ui: _rebuild), never
    // a figure a peer changed while the field merely had the focus.
    input.addEventListener('input', () => { input.dataset.draft = '1'; });
    input.addEventListener('change', () => this._commit(f, input, error));
    // A draft put back by the page fires no change when the field is left: it is sent here.
    input.addEventListener('blur', () => input.dataset.draft && this._commit(f, input, error));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !(long && e.shiftKey)) {
        if (wraps) e.preventDefault(); // a name is one line, however it wraps
        input.blur();
      }
      if (e.key === 'Escape') {
        delete input.dataset.invalid;
        delete input.dataset.draft;
        error.textContent = '';
        input.removeAttribute('aria-invalid');
        input.value = this._show(f.name, /** @type {any} */ (this.el)?.[f.name]);
        input.dataset.base = input.value;
        sayChanged(input, null);
        input.blur();
      }
    });
    // A name pasted with line breaks is one line.
    if (f.type === 'name') {
      input.addEventListener('input', () => {
        if (/[\r\n]/.test(input.value)) input.value = input.value.replace(/[\r\n]+/g, ' ');
      });
    }
    this.inputs.set(f.name, input);
    const label = html('label', { for: id }, [f.label]);
    const row = html('div', { class: `inspector-field field-${f.type}` }, [label, input]);
    if (f.help) row.append(html('p', { class: 'inspector-help' }, [f.help]));
    row.append(error);
    if (this.el?.kind === 'step' && f.type === 'duration') row.append(measuredSlot(f.name), this._estimateRow(f, editable));
    if (NUMBER_FIELDS.has(f.name)) row.append(html('p', { class: 'inspector-prov', 'data-prov': f.name }));
    return row;
  }

  /**
   * Read what was typed; send it when it is good, say why when it is not.
   * @param {Field} f
   * @param {HTMLInputElement} input
   * @param {HTMLElement} error
   */
  _commit(f, input, error) {
    const el = this.el;
    if (!el || !this.actions.canEdit()) return;
    let value;
    try {
      value = this._read(f, input.value);
    } catch (e) {
      // parse errors carry the message to show; anything else is a bug and must surface
      if (!(e instanceof DurationError || e instanceof PercentError || e instanceof RangeError)) throw e;
      input.dataset.invalid = '1';
      input.setAttribute('aria-invalid', 'true');
      error.textContent = e.message;
      return;
    }
    delete input.dataset.invalid;
    delete input.dataset.draft;
    input.removeAttribute('aria-invalid');
    error.textContent = '';
    const set = this._changes(f, value, input.value);
    if (Object.keys(set).length) this.actions.update(el.id, set);
    input.value = f.type === 'duration' && value !== null ? typedForm(input.value, this.calendar) : this._show(f.name, value);
    sayChanged(input, null);
  }

  /**
   * What to send for a committed field: a duration goes with the text as typed
   * ("5d"), so everyone sees it as typed; the server checks the two agree.
   * @param {Field} f
   * @param {number|string|null} value
   * @param {string} typed
   * @returns {Record<string, unknown>} empty when nothing changed
   */
  _changes(f, value, typed) {
    const el = /** @type {any} */ (this.el);
    const changed = value !== (el[f.name] ?? null);
    if (f.type !== 'duration') return changed ? { [f.name]: value } : {};
    const textField = typedField(f.name);
    const text = value === null ? null : typed.trim();
    if (!changed && text === (el[textField] ?? null)) return {};
    return { [f.name]: value, [textField]: text };
  }

  /**
   * @param {Field} f
   * @param {string} typed
   * @returns {number|string|null}
   */
  _read(f, typed) {
    const text = typed.trim();
    if (f.type === 'text' || f.type === 'longtext' || f.type === 'name') {
      // The server's limit, in characters as it counts them: past it the words were refused, and lost.
      const length = [...typed].length;
      if (length > MAX_TEXT) {
        throw new RangeError(`Keep it to at most ${MAX_TEXT.toLocaleString('en')} characters (this is ${length.toLocaleString('en')})`);
      }
      return typed;
    }
    if (!text) return null;
    if (f.type === 'duration') return parseTyped(text, this.calendar);
    if (f.type === 'percent') return parsePercent(text);
    if (f.type === 'rate') return parseRate(text);
    if (f.type === 'moment') return text.slice(0, 16);
    if (f.type === 'date') return text.slice(0, 10);
    if (f.type === 'figure') return readFigure(/** @type {any} */ (this.el)?.metric ?? 'lead_time', text, this.calendar);
    if (!/^\d+$/.test(text)) throw new RangeError('Type a whole number, like 12');
    // The server's own limits (app/domain/fields.py): past them it would refuse the change.
    if (f.max !== undefined && Number(text) > f.max) throw new RangeError(`Type at most ${f.max.toLocaleString('en')}`);
    return Number(text);
  }

  /**
   * @param {string} name
   * @param {unknown} value
   */
  _show(name, value) {
    if (value === null || value === undefined) return '';
    const f = [...Object.values(FIELDS).flat(), ...WALK_FIELDS].find((x) => x.name === name);
    if (f?.type === 'duration') {
      return showDuration(Number(value), /** @type {any} */ (this.el)?.[typedField(name)], this.calendar);
    }
    if (f?.type === 'percent') return `${Math.round(Number(value) * 10) / 10}%`;
    if (f?.type === 'rate') return `${Math.round(Number(value) * 1000) / 10}%`;
    if (f?.type === 'figure') return metricValue(/** @type {any} */ (this.el)?.metric ?? 'lead_time', Number(value), this.calendar);
    return String(value);
  }

  /**
   * Under a step's wait or process time: the spread of everyone's estimates, a
   * button to settle at their median, and this person's own estimate.
   * @param {Field} f
   * @param {boolean} editable
   */
  _estimateRow(f, editable) {
    const spread = html('span', { class: 'estimate-spread', 'data-spread': f.name });
    const settle = html('button', { type: 'button', class: 'link', 'data-settle': f.name, hidden: true }, ['Use the median']);
    settle.addEventListener('click', () => {
      const median = Number(settle.dataset.median);
      if (this.el && Number.isFinite(median)) this.actions.update(this.el.id, { [f.name]: median }, 'estimate');
    });
    const id = `estimate-${f.name}`;
    const mine = html('input', { id, class: 'inspector-input estimate-input', type: 'text', placeholder: 'e.g. 2d',
      autocomplete: 'off', readonly: !editable, 'data-estimate': f.name });
    const error = html('p', { class: 'inspector-error', role: 'alert' });
    const send = () => {
      const el = this.el;
      if (!el || !this.actions.estimate || !editable) return;
      try {
        const minutes = mine.value.trim() ? parseTyped(mine.value, this.calendar) : null;
        error.textContent = '';
        mine.removeAttribute('aria-invalid');
        delete mine.dataset.draft;
        this.actions.estimate(el.id, f.name, minutes);
      } catch (e) {
        if (!(e instanceof DurationError)) throw e;
        error.textContent = e.message;
        mine.setAttribute('aria-invalid', 'true');
      }
    };
    // As the figures' fields: typed and not saved is a draft, kept across a rebuilt panel.
    mine.addEventListener('input', () => { mine.dataset.draft = '1'; });
    mine.addEventListener('change', send);
    mine.addEventListener('blur', () => mine.dataset.draft && send());
    mine.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') mine.blur();
      if (e.key === 'Escape') { // as in the figure above it: what was typed goes, nothing is saved
        delete mine.dataset.draft;
        mine.value = mine.dataset.shown ?? '';
        error.textContent = '';
        mine.removeAttribute('aria-invalid');
        mine.blur();
      }
    });
    return html('div', { class: 'estimate-row' }, [
      html('div', { class: 'estimate-line' }, [spread, settle]),
      html('div', { class: 'estimate-mine' }, [html('label', { for: id }, ['Your estimate']), mine]),
      error,
    ]);
  }

  /**
   * @param {BoardElement} el
   * @param {any} metrics
   * @param {Map<string, BoardElement>} all
   */
  _estimates(el, metrics, all) {
    const given = metrics?.estimates?.[el.id] ?? {};
    const client = this.actions.client?.() ?? null;
    for (const node of this.root.querySelectorAll('[data-spread]')) {
      const field = /** @type {HTMLElement} */ (node).dataset.spread ?? '';
      const s = given[field];
      const fmt = (/** @type {number} */ m) => formatDuration(m, this.calendar);
      const text = !s ? 'No estimates yet'
        : `${s.count} estimate${s.count === 1 ? '' : 's'}: ${s.low === s.high ? fmt(s.low) : `${fmt(s.low)}–${fmt(s.high)}`}, median ${fmt(s.median)}`;
      if (node.textContent !== text) node.textContent = text;
      const settle = /** @type {HTMLElement|null} */ (this.root.querySelector(`[data-settle="${field}"]`));
      if (settle) {
        settle.hidden = !s || !this.actions.canEdit() || /** @type {any} */ (el)[field] === s.median;
        settle.dataset.median = s ? String(s.median) : '';
      }
      const input = /** @type {HTMLInputElement|null} */ (this.root.querySelector(`[data-estimate="${field}"]`));
      if (input && document.activeElement !== input && !input.dataset.draft) {
        const mine = [...all.values()].find((e) => e.kind === 'estimate' && /** @type {any} */ (e).target === el.id
          && /** @type {any} */ (e).field === field && /** @type {any} */ (e).author_id === client);
        const minutes = /** @type {any} */ (mine)?.minutes;
        const shown = minutes === null || minutes === undefined ? '' : formatDuration(minutes, this.calendar);
        input.dataset.shown = shown; // what Escape goes back to
        if (input.value !== shown) input.value = shown;
      }
    }
  }

  /**
   * "Set by Ada at 10:42 · from the estimates" under each figure.
   * @param {BoardElement} el
   */
  _provenance(el) {
    const prov = /** @type {Record<string, {by: string, at: string, source: string}>} */ (/** @type {any} */ (el).provenance ?? {});
    for (const node of this.root.querySelectorAll('[data-prov]')) {
      const p = prov[/** @type {HTMLElement} */ (node).dataset.prov ?? ''];
      const after = p ? ` ${when(p.at)} · ${SOURCE_WORDS[p.source] ?? p.source}` : '';
      const key = p ? `${p.by}\n${after}` : '';
      const shown = /** @type {HTMLElement} */ (node);
      if (shown.dataset.shown === key) continue;
      shown.dataset.shown = key;
      // The name in a <bdi>: one written right to left leaves the time where it belongs.
      shown.replaceChildren(...(p ? ['Set by ', html('bdi', {}, [p.by || 'someone']), after] : []));
    }
  }

  /** @param {boolean} editable */
  _wastes(editable) {
    const group = html('div', { class: 'inspector-wastes', role: 'group', 'aria-label': 'Waste' });
    for (const tag of WASTES) {
      const b = html('button', {
        type: 'button', class: 'waste-toggle', 'data-waste': tag, 'aria-pressed': 'false', disabled: !editable,
      }, [/** @type {Record<string, string>} */ (WASTE_LABELS)[tag] ?? tag]);
      b.addEventListener('click', () => {
        const el = this.el;
        if (!el) return;
        const now = new Set(el.waste ?? []);
        if (now.has(tag)) now.delete(tag);
        else now.add(tag);
        this.actions.update(el.id, { waste: WASTES.filter((w) => now.has(w)) });
      });
      group.append(b);
    }
    return html('div', { class: 'inspector-field' }, [html('span', { class: 'inspector-label' }, ['Waste']), group]);
  }

  /** @param {boolean} editable */
  /**
   * A step whose own output is partly redone by itself (DESIGN 2: a rework loop of one
   * step, its lead time again times r / (1 - r)): no arrow can be dragged from a step
   * onto itself, so the panel offers it.
   * @param {string} id the step
   */
  _reworkItself(id) {
    const button = html('button', { type: 'button', class: 'link', 'data-rework-itself': '' }, ['Rework within this step']);
    button.addEventListener('click', () => this.actions.reworkItself?.(id));
    return html('p', { class: 'inspector-help' }, [
      button, ' — when some of its work is redone here, before it goes on: a loop with its rate.',
    ]);
  }

  /**
   * One of a few values, as a row of toggle buttons (a note's kind, an experiment's metric).
   * @param {string} field
   * @param {string} label
   * @param {Record<string, string>} options value -> label
   * @param {boolean} editable
   */
  _choice(field, label, options, editable) {
    const group = html('div', { class: 'inspector-variants', role: 'group', 'aria-label': label });
    for (const [value, text] of Object.entries(options)) {
      const b = html('button', { type: 'button', class: 'kind', 'data-choice': field, 'data-value': value,
        'aria-pressed': 'false', disabled: !editable }, [text]);
      b.addEventListener('click', () => this.el && this.actions.update(this.el.id, { [field]: value }));
      group.append(b);
    }
    return html('div', { class: 'inspector-field' }, [html('span', { class: 'inspector-label' }, [label]), group]);
  }

  /**
   * The example walk's actual times for this step, beside the estimates.
   * @param {BoardElement} el
   * @param {any} metrics
   */
  _actuals(el, metrics) {
    const out = this.root.querySelector('[data-actual]');
    if (!out) return;
    const row = metrics?.steps?.find((/** @type {{id: string}} */ s) => s.id === el.id);
    const problem = metrics?.example?.problems?.find((/** @type {{id: string}} */ p) => p.id === el.id);
    const fmt = (/** @type {number|null|undefined} */ v, /** @type {string|null} */ typed = null) => (
      v === null || v === undefined ? '–' : showDuration(v, typed, this.calendar));
    let text = '';
    if (problem) text = `Check the times: this step ${problem.problem}.`;
    else if (row && (row.actual_wait_minutes !== null || row.actual_process_minutes !== null)) {
      text = `Actual: waited ${fmt(row.actual_wait_minutes)}, worked ${fmt(row.actual_process_minutes)} (estimates ${fmt(row.wait_minutes, el.wait_text ?? null)} and ${fmt(row.process_minutes, el.process_text ?? null)}).`;
    } else if (metrics?.example && !row) text = 'This step is not on the path, so the walk skips it.';
    if (out.textContent !== text) out.textContent = text;
    const use = /** @type {HTMLButtonElement|null} */ (this.root.querySelector('[data-use-actual]'));
    if (use) {
      const actual = row && !problem ? { wait_minutes: row.actual_wait_minutes, process_minutes: row.actual_process_minutes } : {};
      const set = Object.fromEntries(Object.entries(actual).filter(([, v]) => v !== null && v !== undefined));
      use.hidden = !Object.keys(set).length || !this.actions.canEdit()
        || Object.entries(set).every(([k, v]) => /** @type {any} */ (el)[k] === v);
      use.onclick = () => this.actions.update(el.id, set, 'measured');
    }
  }
}

/** The field holding a duration as typed: wait_minutes -> wait_text. @param {string} name */
function typedField(name) {
  return name.replace('_minutes', '_text');
}

/**
 * A figure typed for an experiment, in its metric's unit: a time ("15d") for the
 * time metrics, a percent ("40%") for the activity ratio (stored 0-1) and %C/A.
 * @param {string} metric
 * @param {string} text
 * @param {Calendar} calendar
 */
export function readFigure(metric, text, calendar) {
  if (metric === 'activity_ratio') return parsePercent(text) / 100;
  if (metric === 'rolled_pca') return parsePercent(text);
  return parseTyped(text, calendar);
}

/**
 * Say under `input` that someone else changed its field to `theirs` while it was typed in,
 * or take the word away (`null`). Touches the page only when what it says changes.
 * @param {HTMLInputElement} input
 * @param {string|null} theirs
 */
function sayChanged(input, theirs) {
  const row = input.closest('.inspector-field');
  let note = /** @type {HTMLElement|null} */ (row?.querySelector(':scope > [data-changed-while-typing]') ?? null);
  if (theirs === null) {
    note?.remove();
    return;
  }
  if (!row) return;
  const words = changedWhileTyping(theirs);
  if (!note) {
    note = html('p', { class: 'inspector-changed', role: 'status', 'data-changed-while-typing': input.name });
    input.after(note);
  }
  if (note.textContent !== words) note.textContent = words;
}
