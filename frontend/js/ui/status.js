// @ts-check
/**
 * The sync status pill, bottom left: is what I see saved?
 *
 *   const pill = new StatusPill(document.getElementById('status'));
 *   pill.show('saving', 2);   // "Saving…" (after a moment), "2 changes not yet saved" on hover
 */

/** @typedef {import('../net/session.js').SyncStatus} SyncStatus */

/** @type {Record<SyncStatus, string>} */
export const STATUS_TEXT = {
  unjoined: 'Not joined yet',
  connecting: 'Connecting…',
  connected: 'Connected',
  saving: 'Saving…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** @type {Record<SyncStatus, string>} */
const DETAIL = {
  unjoined: 'The map as it is now, read before joining: you join the board once you give your name',
  connecting: 'Opening the board',
  connected: 'Every change is saved',
  saving: 'Sending your changes',
  reconnecting: 'Connection lost; trying again. Your changes are kept and will be sent.',
  offline: 'No network. Your changes are kept and will be sent when you are back online.',
};

// An edit is usually acknowledged within milliseconds; only a save that takes
// longer than this shows "Saving…", so the pill does not flicker on every edit.
const SAVING_DELAY_MS = 250;

export class StatusPill {
  /** @param {HTMLElement} pill holds a .status-text */
  constructor(pill) {
    this.pill = pill;
    /** @type {ReturnType<typeof setTimeout>|undefined} */
    this._timer = undefined;
    /** @type {SyncStatus|null} */
    this._wanted = null;
    this._pending = 0;
  }

  /**
   * @param {SyncStatus} status
   * @param {number} pending operations not yet acknowledged
   */
  show(status, pending) {
    this._pending = pending;
    if (status === this._wanted) {
      if (status === this.pill.dataset.status) this._paint(status);
      return;
    }
    this._wanted = status;
    clearTimeout(this._timer);
    if (status === 'saving' && this.pill.dataset.status === 'connected') {
      this._timer = setTimeout(() => this._paint(status), SAVING_DELAY_MS);
    } else {
      this._paint(status);
    }
  }

  /** @param {SyncStatus} status */
  _paint(status) {
    const pill = this.pill;
    pill.dataset.status = status;
    const text = /** @type {HTMLElement} */ (pill.querySelector('.status-text'));
    if (text.textContent !== STATUS_TEXT[status]) text.textContent = STATUS_TEXT[status];
    const n = this._pending;
    const unsaved = n && status !== 'connected' ? ` (${n} change${n === 1 ? '' : 's'} not yet saved)` : '';
    const title = DETAIL[status] + unsaved;
    if (pill.title !== title) pill.title = title;
  }
}
