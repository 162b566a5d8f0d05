// @ts-check
/**
 * The page's header: the board's title (also the tab's), this person's role,
 * and the board's state after the workshop (published, validated) with
 * "changed since" when the map no longer says what was published. Whether it
 * changed is asked of the server (GET …/versions) once edits settle.
 *
 *   const header = new Header({ model, api, validationPanel, pageTitle, requestRender });
 *   header.showRole('facilitator');
 *   header.render();   // each frame
 */

import { CHANGED, stateBadge } from '../model/state-badge.js';
import { byId, html } from '../util/dom.js';

/** @typedef {import('../protocol.js').Role} Role */

// A published map asks whether it still says what was published this long after edits settle:
// each ask loads and compares a version on the server, and a dozen pages ask.
const CHANGED_SINCE_DEBOUNCE_MS = 2000;
/** @type {Record<string, string>} */
const ROLE_LABEL = { facilitator: 'Facilitator', participant: 'Participant', viewer: 'View only' };

export class Header {
  /**
   * @param {object} deps
   * @param {import('../model/board.js').BoardModel} deps.model
   * @param {import('../net/api.js').BoardApi} deps.api
   * @param {import('../ui/validation-panel.js').ValidationPanel} deps.validationPanel told when the state changes
   * @param {string} deps.pageTitle the title the page was served with, until the frame has one
   * @param {() => void} deps.requestRender
   */
  constructor({ model, api, validationPanel, pageTitle, requestRender }) {
    this.model = model;
    this.api = api;
    this.validationPanel = validationPanel;
    this.pageTitle = pageTitle;
    this.requestRender = requestRender;
    /** Whether the map says something else than its latest published version, as of `seq`. */
    this.since = { changed: false, seq: -1, timer: 0 };
  }

  title() {
    const title = this.model.view().frame.title;
    return typeof title === 'string' && title ? title : this.pageTitle;
  }

  render() {
    this.showTitle();
    this.showState();
    this.checkChangedSince();
  }

  /** @param {Role} role */
  showRole(role) {
    const badge = byId('role-badge');
    badge.textContent = ROLE_LABEL[role] ?? role;
    badge.dataset.role = role;
    document.body.dataset.role = role;
    this.requestRender();
  }

  showTitle() {
    const title = this.title();
    const heading = byId('board-title');
    if (heading.textContent !== title) {
      heading.textContent = title;
      heading.title = title;
      document.title = `${title} · Flowmap`;
    }
  }

  showState() {
    const shown = stateBadge(this.model.view().frame.state, this.since.changed);
    const badge = byId('state-badge');
    if (badge.dataset.state === shown.state && badge.textContent === shown.text) return;
    if (badge.dataset.state !== shown.state || !badge.textContent) this.validationPanel.stateChanged(shown.state);
    badge.dataset.state = shown.state;
    badge.dataset.changed = String(shown.changed);
    badge.replaceChildren(html('span', { class: 'state-label' }, [shown.label]),
      ...(shown.changed ? [html('span', { class: 'state-more' }, [CHANGED])] : []));
    badge.title = shown.title;
    badge.hidden = shown.hidden;
  }

  /** After edits to a published map, ask (once they settle) whether it still says what was published. */
  checkChangedSince() {
    if (this.model.view().frame.state === 'mapping' || this.model.seq === this.since.seq) return;
    this.since.seq = this.model.seq;
    clearTimeout(this.since.timer);
    this.since.timer = window.setTimeout(async () => {
      try {
        this.since.changed = Boolean((await this.api.get('/versions')).changed_since_latest);
        this.requestRender();
      } catch {
        // Offline for a moment: the next change asks again.
      }
    }, CHANGED_SINCE_DEBOUNCE_MS);
  }
}
