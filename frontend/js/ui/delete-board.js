// @ts-check
/**
 * Deleting the board, for the facilitator: a confirmation dialog that names the
 * board and asks for its name to be typed (model/confirm-delete.js), then
 * DELETE /api/boards/{id} with the page's own link. Afterwards, and on every
 * other page open on the board (its socket closes with 4410 and the reason),
 * the page shows that the board was deleted.
 *
 *   const deleting = new DeleteBoardDialog(document.getElementById('delete-board-dialog'), api);
 *   deleting.open('Feature delivery');
 *   showBoardGone('The facilitator deleted this board');
 */

import { confirmWord, confirmsDeletion } from '../model/confirm-delete.js';
import { browserStorage, forgetBoard } from '../model/recent-boards.js';

const GONE_DETAIL = 'Its map, its history, its published versions and every link to it are gone: nothing of it is kept.';

export class DeleteBoardDialog {
  /**
   * @param {HTMLElement|null} dialog the <dialog id="delete-board-dialog"> in board.html
   * @param {import('../net/api.js').BoardApi} api the page's board and link (net/api.js)
   */
  constructor(dialog, api) {
    this.dialog = /** @type {HTMLDialogElement|null} */ (dialog);
    this.api = api;
    this.title = '';
    const part = (/** @type {string} */ name) => /** @type {HTMLElement} */ (dialog?.querySelector(`[data-delete="${name}"]`));
    this.name = part('name');
    this.word = part('word');
    this.input = /** @type {HTMLInputElement} */ (part('input'));
    this.confirm = /** @type {HTMLButtonElement} */ (part('confirm'));
    this.error = part('error');
    this.input?.addEventListener('input', () => this._check());
    this.input?.addEventListener('keydown', (e) => e.stopPropagation()); // not the board's shortcuts
    // Enter in the name deletes once the name is right (the submit button is disabled until then).
    part('form')?.addEventListener('submit', (e) => {
      e.preventDefault();
      this._delete();
    });
    part('keep')?.addEventListener('click', () => this.dialog?.close());
  }

  /** @param {string} title the board's title, as the map panel shows it */
  open(title) {
    if (!this.dialog) return;
    this.title = title;
    this.name.textContent = title.trim() || 'Untitled board';
    this.word.textContent = confirmWord(title);
    this.input.value = '';
    this.error.textContent = '';
    this._check();
    this.dialog.showModal();
    this.input.focus();
  }

  _check() {
    this.confirm.disabled = !confirmsDeletion(this.input.value, this.title);
  }

  async _delete() {
    if (!confirmsDeletion(this.input.value, this.title)) return;
    this.confirm.disabled = true;
    this.error.textContent = '';
    let answer;
    try {
      answer = await this.api.send('DELETE', '');
    } catch {
      this._failed('Could not reach the server: the board was not deleted. Try again.');
      return;
    }
    if (answer.ok || answer.status === 404) { // 404: it is already gone
      forgetBoard(browserStorage(), this.api.boardId);
      showBoardGone('You deleted this board');
      return;
    }
    const data = answer.data ?? {};
    this._failed(typeof data.detail === 'string' ? `Not deleted: ${data.detail}` : `Not deleted (the server said ${answer.status})`);
  }

  /** @param {string} message */
  _failed(message) {
    this.error.textContent = message;
    this._check();
  }
}

/**
 * The board is gone: close whatever dialog is open and show the page's "not found"
 * card with the reason, over everything.
 * @param {string} reason
 */
export function showBoardGone(reason) {
  for (const open of document.querySelectorAll('dialog[open]')) /** @type {HTMLDialogElement} */ (open).close();
  const fatal = document.getElementById('fatal');
  if (!fatal) return;
  const heading = fatal.querySelector('h2');
  const detail = fatal.querySelector('p');
  if (heading) heading.textContent = reason || 'This board was deleted';
  if (detail) detail.textContent = GONE_DETAIL;
  fatal.hidden = false;
}

/**
 * The page's own link was refused (wrong or revoked): the "not found" card, as
 * the page has it, instead of reconnecting forever.
 * @returns {true} the socket stops retrying
 */
export function showLinkRefused() {
  /** @type {HTMLElement} */ (document.getElementById('fatal')).hidden = false;
  return true;
}
