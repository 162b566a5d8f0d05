// @ts-check
/**
 * Importing an event log, for the facilitator: pick a CSV or JSON file, see
 * what the server read from it (rows, items, dates) and which step on the map
 * each of its steps matched, change or ignore any of them, then import. The
 * server measures each step's waits and work from the log and sets the board's
 * `measured` summary for everyone. A log it cannot read is refused with its
 * rows' errors, listed in the dialog; nothing changes then.
 *
 *   const importer = new EventLogImport({api});   // api: net/api.js, the page's board and link
 *   importer.pick();                          // the file picker, then the mapping dialog
 *   importer.confirmRemove();                 // "Remove the measurements?", then DELETE
 *
 * The words and the mapping come from model/event-log.js, which node tests check.
 */

import {
  IGNORE, buildMapping, contentType, errorLines, eventsQuery, fileRefusal, initialChoices, mappingRows,
  summaryLines, unmatchedLine,
} from '../model/event-log.js';
import { html } from '../util/dom.js';

/** @typedef {import('../model/event-log.js').Preview} Preview */

export class EventLogImport {
  /**
   * @param {{api: import('../net/api.js').BoardApi, host?: HTMLElement, done?: (message: string) => void}} opts
   *   done: told in words when an import or a removal went through
   */
  constructor(opts) {
    this.api = opts.api;
    this.done = opts.done ?? (() => {});
    const host = opts.host ?? document.body;
    /** @type {File|null} */
    this.file = null;
    /** @type {Preview|null} */
    this.preview = null;
    /** @type {Record<string, string>} log step name -> map step id or IGNORE */
    this.choices = {};
    this.input = html('input', { type: 'file', accept: '.csv,.json,text/csv,application/json', hidden: true,
      'data-events': 'file', 'aria-label': 'Event log file' });
    this.input.addEventListener('change', () => {
      const file = this.input.files?.[0];
      this.input.value = '';
      if (file) this.read(file);
    });
    this.dialog = this._dialog('event-log-dialog', 'Import an event log');
    this.removing = this._dialog('event-log-remove-dialog', 'Remove the measurements?');
    host.append(this.input, this.dialog, this.removing);
  }

  /** Open the file picker; the dialog follows once a file is chosen. */
  pick() {
    this.input.click();
  }

  /**
   * Ask the server what it reads in the file (nothing changes), then show the mapping.
   * @param {File} file
   */
  async read(file) {
    this.file = file;
    this.preview = null;
    const refused = fileRefusal(file);
    if (refused) {
      this._show([refused]);
      return;
    }
    this._show([], 'Reading the log…');
    const answer = await this._post(eventsQuery({ preview: true, filename: file.name }));
    if (!answer.ok) {
      this._show(answer.errors);
      return;
    }
    this.preview = /** @type {Preview} */ (answer.body);
    this.choices = initialChoices(this.preview);
    this._show([]);
  }

  /** Import with the facilitator's mapping; the dialog closes when the server took it. */
  async import() {
    if (!this.file || !this.preview) return;
    const mapping = buildMapping(this.preview, this.choices);
    this._busy(true, 'Importing…');
    const answer = await this._post(eventsQuery({ filename: this.file.name, mapping }));
    this._busy(false, '');
    if (!answer.ok) {
      this._errors(answer.errors);
      return;
    }
    this.dialog.close();
    this.done(`Measured from ${this.file.name}: its figures show beside the estimates.`);
  }

  /** Ask first, then clear the measurements for everyone. */
  confirmRemove() {
    const form = this.removing.querySelector('form');
    const errors = html('ul', { class: 'event-log-errors', role: 'alert', 'data-events': 'errors' });
    const keep = html('button', { type: 'button', class: 'button' }, ['Keep them']);
    keep.addEventListener('click', () => this.removing.close());
    const remove = html('button', { type: 'submit', class: 'button button-danger', 'data-events': 'remove' }, ['Remove']);
    form?.replaceChildren(/** @type {HTMLElement} */ (this.removing.querySelector('h2')),
      html('p', { class: 'dialog-hint' }, ['The measured figures go from the map for everyone; the estimates stay. Import the log again to bring them back.']),
      errors, html('div', { class: 'dialog-actions' }, [keep, remove]));
    if (!form) return;
    form.onsubmit = async (e) => {
      e.preventDefault();
      remove.disabled = true;
      const answer = await this._send('DELETE', null);
      remove.disabled = false;
      if (!answer.ok) {
        errors.replaceChildren(...answer.errors.map((line) => html('li', {}, [line])));
        return;
      }
      this.removing.close();
      this.done('Measurements removed: the map shows its estimates only.');
    };
    this.removing.showModal();
    keep.focus();
  }

  /**
   * @param {string} id
   * @param {string} title
   */
  _dialog(id, title) {
    const dialog = html('dialog', { id, class: 'dialog dialog-wide event-log-dialog', 'aria-labelledby': `${id}-title` }, [
      html('form', { class: 'dialog-form' }, [html('h2', { id: `${id}-title` }, [title])]),
    ]);
    dialog.addEventListener('keydown', (e) => e.stopPropagation()); // not the board's shortcuts; Escape still closes
    dialog.addEventListener('pointerdown', (e) => e.stopPropagation());
    return dialog;
  }

  /**
   * Build the dialog for the file as it stands: its summary and mapping when
   * the preview came, else the errors (or a status while waiting).
   * @param {string[]} errors
   * @param {string} [status]
   */
  _show(errors, status = '') {
    const form = /** @type {HTMLFormElement} */ (this.dialog.querySelector('form'));
    const preview = this.preview;
    const parts = [html('h2', { id: 'event-log-dialog-title' }, ['Import an event log']),
      html('p', { class: 'dialog-hint', 'data-events': 'file-name' }, [this.file?.name ?? ''])];
    if (preview) {
      parts.push(...summaryLines(preview).map((line) => html('p', { class: 'event-log-summary', 'data-events': 'summary' }, [line])));
      const unmatched = unmatchedLine(preview);
      if (unmatched) parts.push(html('p', { class: 'event-log-unmatched', 'data-events': 'unmatched' }, [unmatched]));
      parts.push(this._mappingList(preview));
    }
    parts.push(html('p', { class: 'event-log-status', role: 'status', 'data-events': 'status' }, [status]),
      html('ul', { class: 'event-log-errors', role: 'alert', 'data-events': 'errors' }), this._actions(Boolean(preview)));
    form.replaceChildren(...parts);
    this._errors(errors);
    if (!this.dialog.open) this.dialog.showModal();
    const first = /** @type {HTMLElement|null} */ (form.querySelector('.is-unmatched select, [data-events="import"], [data-events="another"]'));
    first?.focus();
  }

  /** @param {Preview} preview */
  _mappingList(preview) {
    const steps = preview.map_steps ?? [];
    const rows = mappingRows(preview).map((row, i) => {
      const id = `event-log-step-${i}`;
      const select = html('select', { id, class: 'inspector-input', 'data-log-step': row.name },
        [html('option', { value: IGNORE }, ['— ignore it —']),
          ...steps.map((s) => html('option', { value: s.id }, [s.text || 'Untitled step']))]);
      select.value = this.choices[row.name] ?? IGNORE;
      select.addEventListener('change', () => {
        this.choices[row.name] = select.value;
      });
      return html('li', { class: `event-log-row${row.match ? '' : ' is-unmatched'}` }, [
        html('label', { for: id }, [html('span', { class: 'event-log-name' }, [row.name]),
          html('span', { class: 'event-log-how' }, [`${row.rows} row${row.rows === 1 ? '' : 's'} · ${row.how}`])]),
        select,
      ]);
    });
    return html('ul', { class: 'event-log-mapping', 'aria-label': 'Which step on the map each log step is' }, rows);
  }

  /** @param {boolean} ready a preview came: the log can be imported */
  _actions(ready) {
    const cancel = html('button', { type: 'button', class: 'button' }, ['Cancel']);
    cancel.addEventListener('click', () => this.dialog.close());
    const another = html('button', { type: 'button', class: 'button', 'data-events': 'another' }, ['Choose another file…']);
    another.addEventListener('click', () => this.pick());
    const buttons = [cancel, another];
    if (ready) {
      const go = html('button', { type: 'submit', class: 'button button-primary', 'data-events': 'import' }, ['Import']);
      buttons.push(go);
    }
    const form = /** @type {HTMLFormElement} */ (this.dialog.querySelector('form'));
    form.onsubmit = (e) => {
      e.preventDefault();
      if (ready) this.import();
    };
    return html('div', { class: 'dialog-actions' }, buttons);
  }

  /** @param {string[]} lines */
  _errors(lines) {
    const list = this.dialog.querySelector('[data-events="errors"]');
    list?.replaceChildren(...lines.map((line) => html('li', {}, [line])));
    if (lines.length) {
      const intro = lines.length === 1 ? 'The log was not imported:' : `The log was not imported (${lines.length} problems):`;
      list?.prepend(html('li', { class: 'event-log-errors-intro' }, [intro]));
    }
  }

  /** @param {boolean} busy @param {string} status */
  _busy(busy, status) {
    for (const b of this.dialog.querySelectorAll('button, select')) /** @type {HTMLButtonElement} */ (b).disabled = busy;
    const out = this.dialog.querySelector('[data-events="status"]');
    if (out) out.textContent = status;
  }

  /** @param {Record<string, string>} query */
  _post(query) {
    const file = /** @type {File} */ (this.file);
    return this._send('POST', file, query, contentType(file.name));
  }

  /**
   * @param {string} method
   * @param {Blob|null} body
   * @param {Record<string, string>} [query]
   * @param {string} [type]
   * @returns {Promise<{ok: true, body: any} | {ok: false, errors: string[]}>}
   */
  async _send(method, body, query = {}, type = '') {
    let answer;
    try {
      answer = await this.api.send(method, '/events', { query, body, type });
    } catch {
      return { ok: false, errors: ['Could not reach the server: nothing changed. Try again.'] };
    }
    if (!answer.ok) return { ok: false, errors: errorLines(answer.status, answer.data) };
    return { ok: true, body: answer.data };
  }
}
