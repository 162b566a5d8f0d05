// @ts-check
/**
 * Each person's estimate of a step's figures, from the side panel: the first
 * creates their estimate element, a change updates it, clearing it sets null.
 * Which element is theirs is model/estimates.js.
 *
 *   const estimates = new Estimates({ editor, model, client });
 *   estimates.set('s-1', 'wait_minutes', 240);
 */

import { ownEstimate } from '../model/estimates.js';
import { elementId } from '../model/ids.js';

export class Estimates {
  /**
   * @param {object} deps
   * @param {import('../editor.js').Editor} deps.editor
   * @param {import('../model/board.js').BoardModel} deps.model
   * @param {string} deps.client this browser's client id: whose estimates
   */
  constructor({ editor, model, client }) {
    this.editor = editor;
    this.model = model;
    this.client = client;
  }

  /**
   * @param {string} target the step
   * @param {string} field e.g. 'wait_minutes'
   * @param {number|null} minutes null: no estimate (an existing one is emptied)
   */
  set(target, field, minutes) {
    const mine = ownEstimate(this.model.view().elements, target, field, this.client);
    if (mine) this.editor.update(mine.id, { minutes });
    else if (minutes !== null) {
      this.editor.apply([{ op: 'create', element: { id: elementId('estimate'), kind: 'estimate', target, field, minutes } }]);
    }
  }
}
