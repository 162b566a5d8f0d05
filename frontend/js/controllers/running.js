// @ts-check
/**
 * Running the workshop: locking the map, the timer, presenting, and the votes'
 * dots. These change the board for everyone but are not edits of the map, so
 * they are sent without an undo step.
 *
 *   const running = new Running({ editor, model, client });
 *   running.toggleLock();
 *   running.startTimer(300, 'Map the current state');
 *   running.presenting();   // true while this browser presents
 */

/** @typedef {import('../commands/history.js').Edit} Edit */

// Running the session (lock, timer, presenting) is not an edit of the map: no undo for it.
const SESSION_OP = { record: false };

export class Running {
  /**
   * @param {object} deps
   * @param {import('../editor.js').Editor} deps.editor
   * @param {import('../model/board.js').BoardModel} deps.model
   * @param {string} deps.client this browser's client id
   */
  constructor({ editor, model, client }) {
    this.editor = editor;
    this.model = model;
    this.client = client;
  }

  /** @param {Edit[]} edits sent for everyone, kept out of undo */
  apply(edits) {
    this.editor.apply(edits, SESSION_OP);
  }

  toggleLock() {
    this.apply([{ op: 'board', set: { locked: !this.model.view().frame.locked } }]);
  }

  /** @param {number} seconds @param {string} label */
  startTimer(seconds, label) {
    this.apply([{ op: 'board', set: { timer_seconds: seconds, timer_label: label } }]);
  }

  stopTimer() {
    this.apply([{ op: 'board', set: { timer_seconds: null } }]);
  }

  togglePresenting() {
    this.apply([{ op: 'board', set: { presenter: this.presenting() ? '' : this.client } }]);
  }

  stopPresenting() {
    this.apply([{ op: 'board', set: { presenter: '' } }]);
  }

  /** Whether this browser is the presenter now. */
  presenting() {
    return Boolean(this.client) && this.model.view().frame.presenter === this.client;
  }
}
