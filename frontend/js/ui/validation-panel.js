// @ts-check
/**
 * The facilitator's "Publish and validate" dialog: publish the map as a
 * numbered version, compare versions, ask named people to validate the latest
 * one (and copy the link to send them), and follow who signed off and which
 * steps are disputed, and why.
 *
 *   const panel = new ValidationPanel({api, notify, calendar: () => frame, storage});
 *   panel.open();                 // from the tool bar's "validation" button
 *   panel.stateChanged('validated');  // the board's state moved: refresh if open
 *
 * The validation link is shown once by the server (it keeps only a hash);
 * this browser remembers it per version so the facilitator can copy it again.
 */

import { formatDuration, formatPercent } from '../model/durations.js';
import { readableProblem } from '../net/api.js';
import { html } from '../util/dom.js';
import { EXPORT_FORMATS } from './export-menu.js';
import { personName } from './name-dialog.js';

// While the dialog is open, look for new verdicts and sign-offs this often.
const POLL_MS = 4000;
/** @type {Record<string, string>} */
const STATE_TEXT = {
  mapping: 'Not published yet',
  published: 'Published, waiting for validation',
  validated: 'Validated: everyone invited signed off the latest version',
};
/** @type {Record<string, string>} */
const FIGURES = { wait_minutes: 'wait', process_minutes: 'process time', pca: '%C/A' };
/** The compared figures, how each is called and shown. */
const METRIC_ROWS = [
  ['lead_time_minutes', 'Lead time', 'duration'],
  ['process_time_minutes', 'Process time', 'duration'],
  ['work_content_minutes', 'Work content', 'duration'],
  ['activity_ratio', 'Activity ratio', 'ratio'],
  ['rolled_pca', 'Rolled %C/A', 'percent'],
];

/**
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 * @typedef {{number: number, label: string, created_at: string, seq: number}} VersionInfo
 * @typedef {{api: import('../net/api.js').BoardApi, notify: (m: string) => void,
 *   calendar: () => Calendar, storage: Storage|null}} Options
 */

export class ValidationPanel {
  /** @param {Options} opts */
  constructor(opts) {
    this.opts = opts;
    /** @type {ReturnType<typeof setInterval>|null} */
    this.timer = null;
    /** @type {number|null} */
    this.latest = null;
    this.label = html('input', { type: 'text', maxlength: 200, placeholder: 'e.g. After the workshop', 'aria-label': 'Version label' });
    this.invite = html('textarea', { rows: 2, 'aria-label': 'Invite', placeholder: 'Names, one per line or separated by commas (Ctrl+Enter asks them)' });
    this.link = html('input', { type: 'text', readonly: true, class: 'share-link', 'aria-label': 'Read-only validation link',
      placeholder: 'Shown when you ask people to validate' });
    this.stateLine = html('p', { class: 'dialog-hint validation-state', 'data-state': 'mapping' });
    this.versions = html('ul', { class: 'version-list', 'aria-label': 'Versions' });
    this.compared = html('div', { class: 'version-compare', 'aria-live': 'polite' });
    this.heading = html('h3', {}, ['Validation']);
    this.people = html('ul', { class: 'validation-people', 'aria-label': 'Who was asked' });
    this.disputes = html('div', { class: 'validation-disputes' });
    this.dialog = this.build();
    // The keyboard as in any form: Enter in the label publishes; the names take one a line,
    // so Ctrl+Enter (⌘+Enter) there asks them.
    this.label.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); this.publish(); }
    });
    this.invite.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.isComposing) { e.preventDefault(); this.ask(); }
    });
    /** A publish or an ask under way: a second press (Enter held, a double click) waits for it. */
    this.busy = false;
    document.body.append(this.dialog);
    this.dialog.addEventListener('close', () => this.stopPolling());
  }

  build() {
    const publish = button('Publish version', () => this.publish(), true);
    const ask = button('Ask them to validate', () => this.ask(), true);
    const copy = this.copyView = button('Copy link', () => this.copy(this.link));
    // The server keeps only a hash of the view link: a browser without it makes a new one.
    this.newView = button('New link', () => this.renewView());
    this.newView.setAttribute('aria-label', 'New read-only link (the old one stops working)');
    const close = button('Close', () => this.dialog.close(), true);
    return html('dialog', { id: 'validation-dialog', class: 'dialog dialog-wide validation-dialog', 'aria-labelledby': 'validation-title' }, [
      html('div', { class: 'dialog-form' }, [
        html('h2', { id: 'validation-title' }, ['Publish and validate']),
        this.stateLine,
        html('section', { class: 'validation-section' }, [
          html('h3', {}, ['Publish a version']),
          html('p', { class: 'dialog-hint' }, ['Freezes the map as it is now, with its numbers, as the next version. To resolve disputes, edit the map and publish again.']),
          html('div', { class: 'validation-row' }, [this.label, publish]),
          this.versions, this.compared,
        ]),
        html('section', { class: 'validation-section' }, [
          this.heading,
          html('p', { class: 'dialog-hint' }, ['Each person gets a link of their own: send it to them alone. On it they agree with or dispute each step, then sign off, and nobody else can answer for them. Asking again makes new links; the old ones stop working.']),
          html('div', { class: 'validation-row' }, [this.invite, ask]),
          html('p', { class: 'dialog-hint' }, ['To show the version to anyone, without answering:']),
          html('div', { class: 'validation-row' }, [this.link, copy, this.newView]),
          this.people, this.disputes,
        ]),
        html('div', { class: 'dialog-actions' }, [close]),
      ]),
    ]);
  }

  open() {
    if (!this.dialog.open) this.dialog.showModal();
    this.refresh();
    this.stopPolling();
    this.timer = setInterval(() => this.refresh(), POLL_MS);
  }

  stopPolling() {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** @param {string} state the board's state, as the live frame has it */
  stateChanged(state) {
    if (this.stateLine.dataset.state !== state && this.dialog.open) this.refresh();
  }

  /**
   * @param {string} path under /api/boards/{id}
   * @param {unknown} [body] POSTed as JSON when given
   */
  async call(path, body) {
    const answer = await this.opts.api.send(body === undefined ? 'GET' : 'POST', path, { json: body });
    if (!answer.ok) {
      this.opts.notify(readableProblem(answer.status, answer.data));
      return null;
    }
    return answer.data ?? {};
  }

  async refresh() {
    const [list, status] = await Promise.all([this.call('/versions'), this.call('/validation')]);
    if (!list || !status) return;
    this.latest = list.latest;
    this.showState(status.state, list.versions.at(-1));
    this.showVersions(list.versions);
    this.showStatus(status);
  }

  /** @param {string} state @param {VersionInfo|undefined} latest */
  showState(state, latest) {
    this.stateLine.dataset.state = state;
    const version = latest ? ` — version ${latest.number}, “${latest.label}”` : '';
    this.stateLine.textContent = (STATE_TEXT[state] ?? state) + version;
  }

  /** @param {VersionInfo[]} versions */
  showVersions(versions) {
    this.versions.replaceChildren(...[...versions].reverse().map((v) => {
      const item = html('li', { 'data-number': v.number }, [
        html('strong', {}, [`v${v.number}`]), ` ${v.label} · ${new Date(v.created_at).toLocaleString()}`,
      ]);
      if (v.number > 1) item.append(' ', button(`Compare with v${v.number - 1}`, () => this.compare(v.number - 1, v.number)));
      item.append(this.downloads(v.number));
      return item;
    }));
  }

  /**
   * The version as it was frozen, in every format the board exports: plain links with
   * the token, as the Export dialog's (export-menu.js), so the browser saves the file.
   * @param {number} number
   */
  downloads(number) {
    const links = EXPORT_FORMATS.map(({ format, name, hint }) => html('a', {
      class: 'link version-download', href: versionExportUrl(this.opts.api.boardId, this.opts.api.token, number, format),
      download: '', 'data-export-version': number, 'data-format': format,
      'aria-label': `Download v${number} as ${name}`, title: hint,
    }, [format.toUpperCase()]));
    return html('span', { class: 'version-downloads' }, ['Download: ', ...links.flatMap((a, i) => (i ? [' · ', a] : [a]))]);
  }

  /** @param {number} a @param {number} b */
  async compare(a, b) {
    const found = await this.call(`/versions/compare?a=${a}&b=${b}`);
    if (!found) return;
    const cal = this.opts.calendar();
    const changes = found.changes;
    const counts = [
      [changes.added.length, 'added'], [changes.removed.length, 'removed'],
      [changes.changed.length, 'changed'], [changes.moved.length, 'moved'],
    ].filter(([n]) => n).map(([n, what]) => `${n} ${what}`).join(', ') || 'no change to the notes';
    // The server says each change in the map's words ("Wait 4d → 1w"); older servers did not.
    const frameSaid = changes.frame_said ?? Object.keys(changes.frame);
    const frame = frameSaid.length ? ` The frame changed: ${frameSaid.join('; ')}.` : '';
    const teamsSaid = changes.teams_said ?? [];
    const teams = teamsSaid.length ? ` Teams: ${teamsSaid.join('; ')}.` : '';
    // Handoffs only where a version has some: most maps have no teams.
    const handoffs = found.metrics.handoffs;
    const withHandoffs = handoffs && (handoffs.a || handoffs.b) ? [['handoffs', 'Handoffs', 'count']] : [];
    const rows = [...METRIC_ROWS, ...withHandoffs].map(([key, name, kind]) => {
      const row = found.metrics[key];
      const shown = row.shown ?? { a: show(row.a, kind, cal), b: show(row.b, kind, cal), delta: signed(row.delta, kind, cal) };
      return html('tr', {}, [html('th', { scope: 'row' }, [name]), html('td', {}, [shown.a]),
        html('td', {}, [shown.b]), html('td', {}, [shown.delta])]);
    });
    this.compared.replaceChildren(
      html('p', {}, [`From v${a} to v${b}: ${counts}.${frame}${teams}`]),
      html('ul', { class: 'compare-changes' }, changes.changed.map((/** @type {any} */ c) => html('li', {}, [
        `${c.text || c.kind}: `,
        (c.said ?? Object.entries(c.fields).map(([f, v]) => `${f} ${brief(v.before)} → ${brief(v.after)}`)).join('; '),
      ]))),
      html('table', { class: 'compare-table' }, [
        html('thead', {}, [html('tr', {}, ['', `v${a}`, `v${b}`, 'Change'].map((t) => html('th', { scope: 'col' }, [t])))]),
        html('tbody', {}, rows),
      ]),
    );
  }

  /** @param {any} status GET /validation */
  showStatus(status) {
    const number = status.version?.number;
    this.heading.textContent = number ? `Validation of version ${number}` : 'Validation (publish a version first)';
    const stored = number ? this.opts.storage?.getItem(this.linkKey(number)) : null;
    this.link.value = stored ?? '';
    const request = status.request;
    // Always offered: a link kept here may since have been made again on another browser.
    this.newView.hidden = !request;
    this.copyView.hidden = !stored; // nothing to copy here: the link was made elsewhere
    this.link.placeholder = request ? 'Not kept in this browser: make a new one' : 'Shown when you ask people to validate';
    if (!request) {
      this.people.replaceChildren();
      this.disputes.replaceChildren();
      return;
    }
    if (!this.invite.value) this.invite.value = request.invited.join(', ');
    const personal = this.personalLinks(number);
    this.people.replaceChildren(...status.participants.map((/** @type {any} */ p) => html('li', {
      'data-name': p.name, 'data-signed': String(Boolean(p.signed_off_at)),
    }, [html('strong', {}, [p.name]), ' — ', p.signed_off_at
      ? 'signed off'
      : `${p.agreed} agreed, ${p.disputed} disputed, ${p.pending} to go`,
    this.personalRow(number, p.name, personal[p.name] ?? '')])));
    this.disputes.replaceChildren(...(status.disputes.length ? [html('h4', {}, ['Disputed steps'])] : []),
      ...status.disputes.map((/** @type {any} */ d) => html('div', { class: 'dispute', 'data-step': d.step }, [
        html('strong', {}, [d.text || 'Untitled step']),
        html('ul', {}, d.by.map((/** @type {any} */ who) => html('li', {}, [
          html('bdi', {}, [who.name]), ': “', html('bdi', {}, [who.comment]), '”',
          who.figure ? ` — believes ${FIGURES[who.field] ?? who.field} ${who.figure}` : '',
        ]))),
      ])));
  }

  /** @param {number} number */
  linkKey(number) {
    return `flowmap.validation-link.${this.opts.api.boardId}.${number}`;
  }

  /**
   * Each invited person's own link, as this browser was given them (shown only once).
   * @param {number} number @returns {Record<string, string>}
   */
  personalLinks(number) {
    try {
      return JSON.parse(this.opts.storage?.getItem(`${this.linkKey(number)}.people`) ?? '{}') ?? {};
    } catch {
      return {};
    }
  }

  /** @param {number} number @param {Record<string, string>} links */
  keepPersonalLinks(number, links) {
    this.opts.storage?.setItem(`${this.linkKey(number)}.people`, JSON.stringify(links));
  }

  /**
   * A person's link with Copy, or (when this browser no longer has it) New link.
   * @param {number} number @param {string} name @param {string} link
   */
  personalRow(number, name, link) {
    const input = html('input', { type: 'text', readonly: true, class: 'share-link', value: link,
      'aria-label': `Validation link for ${name}`, placeholder: 'Make a new link to send' });
    const copy = button('Copy', () => this.copy(input));
    copy.setAttribute('aria-label', `Copy ${name}'s link`);
    const renew = button('New link', () => this.renew(number, name));
    renew.setAttribute('aria-label', `New link for ${name} (the old one stops working)`);
    return html('div', { class: 'validation-row personal-link' }, link ? [input, copy, renew] : [input, renew]);
  }

  /** @param {number} number @param {string} name */
  async renew(number, name) {
    const made = await this.call(`/versions/${number}/validation/people/${encodeURIComponent(name)}/link`, {});
    if (!made) return;
    this.keepPersonalLinks(number, { ...this.personalLinks(number), [name]: made.link });
    this.opts.notify(`New link for ${name}: their old one no longer works`);
    await this.refresh();
  }

  async renewView() {
    if (this.latest === null) return;
    const made = await this.call(`/versions/${this.latest}/validation/link`, {});
    if (!made) return;
    this.opts.storage?.setItem(this.linkKey(this.latest), made.link);
    this.opts.notify('New read-only link: the old one no longer works');
    await this.refresh();
  }

  async publish() {
    await this.once(async () => {
      const made = await this.call('/versions', { label: this.label.value });
      if (!made) return;
      this.label.value = ''; // the invite list stays: the same people check the new version
      this.opts.notify(`Published version ${made.number}`);
      await this.refresh();
    });
  }

  async ask() {
    if (this.latest === null) return this.opts.notify('Publish a version first');
    await this.once(async () => {
      const invite = invitedNames(this.invite.value);
      const made = await this.call(`/versions/${this.latest}/validation`, { invite });
      if (!made) return;
      this.opts.storage?.setItem(this.linkKey(made.number), made.link);
      this.keepPersonalLinks(made.number, made.links ?? {});
      this.opts.notify(`Links for version ${made.number} ready: send each person their own`);
      await this.refresh();
    });
  }

  /**
   * Run `action` unless another is under way: a second Enter or click published a second
   * version, or made everyone's links again (the first ones sent then stop working).
   * @param {() => Promise<void>} action
   */
  async once(action) {
    if (this.busy) return;
    this.busy = true;
    try {
      await action();
    } finally {
      this.busy = false;
    }
  }

  /** @param {HTMLInputElement} input */
  async copy(input) {
    if (!input.value) return;
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      this.opts.notify('Link copied');
    } catch {
      this.opts.notify('Select the link and copy it');
    }
  }
}

/**
 * Where a published version downloads as one format (GET .../versions/{n}/export).
 * @param {string} boardId
 * @param {string} token the page's link: a plain link cannot send an Authorization header
 * @param {number} number
 * @param {string} format
 */
export function versionExportUrl(boardId, token, number, format) {
  const query = new URLSearchParams({ format, token });
  return `/api/boards/${encodeURIComponent(boardId)}/versions/${number}/export?${query}`;
}

/**
 * @param {string} text
 * @param {() => void} onClick
 * @param {boolean} [primary]
 */
function button(text, onClick, primary = false) {
  const b = html('button', { type: 'button', class: primary ? 'button button-primary' : 'button' }, [text]);
  b.addEventListener('click', onClick);
  return b;
}

/** @param {unknown} value a field's value, short */
function brief(value) {
  if (value === null || value === undefined || value === '') return '—';
  const text = Array.isArray(value) ? value.join(', ') : String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * @param {number|null} value
 * @param {string} kind
 * @param {Calendar} cal
 */
function show(value, kind, cal) {
  if (value === null || value === undefined) return '—';
  if (kind === 'duration') return formatDuration(Math.abs(value), cal);
  if (kind === 'ratio') return formatPercent(Math.abs(value) * 100);
  return formatPercent(Math.abs(value));
}

/**
 * The names typed to invite (one a line, or between commas or semicolons), each as the
 * server will keep it (app/domain/names.py, as a display name): invisible characters out,
 * those that show nothing dropped like blank ones. Repeats stay: the server says so.
 *
 *   invitedNames('Ada, \u200b, Bob');  // ['Ada', 'Bob']
 * @param {string} text
 * @returns {string[]}
 */
export function invitedNames(text) {
  return text.split(/[\n,;]/).map(personName).filter(Boolean);
}

/**
 * @param {number|null} delta
 * @param {string} kind
 * @param {Calendar} cal
 */
function signed(delta, kind, cal) {
  if (delta === null || delta === undefined) return '—';
  if (delta === 0) return 'no change';
  return (delta > 0 ? '+' : '−') + show(delta, kind, cal);
}
