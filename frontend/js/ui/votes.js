// @ts-check
/**
 * Dot voting, bottom centre: the facilitator starts a vote ("which hypothesis do
 * we test first?") with N dots each; while it is open each participant clicks
 * steps or notes to place their dots (and their own dots to take them back);
 * when the facilitator closes it, everyone sees the results.
 *
 *   const votes = new VotePanel(root, {start, close, remove, canEdit, facilitator});
 *   votes.render(badgeModel(model.view().elements, clientId), names);
 *   votes.placing;   // true while clicks on the canvas place dots
 */

/** @typedef {typeof import('../canvas/badges.js').badgeModel} BadgeModel */
import { html } from '../util/dom.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {object} VoteActions
 * @property {(question: string, dots: number) => void} start
 * @property {(voteId: string, open: boolean) => void} setOpen
 * @property {(voteId: string) => void} remove
 * @property {() => boolean} canEdit
 * @property {() => boolean} facilitator
 */

// The results list names this many winners; the rest are on the canvas.
const TOP = 5;

export class VotePanel {
  /**
   * @param {HTMLElement} root
   * @param {HTMLDialogElement} dialog the "start a vote" form
   * @param {VoteActions} actions
   */
  constructor(root, dialog, actions) {
    this.root = root;
    this.actions = actions;
    this._key = '';
    /** Clicks on steps and notes place dots while a vote is open and dots are left. */
    this.placing = false;
    /** @type {any} */
    this.vote = null;
    root.addEventListener('click', (e) => {
      const action = /** @type {HTMLElement} */ (e.target).closest('[data-vote-action]')?.getAttribute('data-vote-action');
      if (!action || !this.vote) return;
      if (action === 'close') this.actions.setOpen(this.vote.id, false);
      if (action === 'reopen') this.actions.setOpen(this.vote.id, true);
      if (action === 'remove') this.actions.remove(this.vote.id);
      this._key = '';
    });
    dialog.querySelector('[data-action="cancel"]')?.addEventListener('click', () => dialog.close());
    const form = /** @type {HTMLFormElement} */ (dialog.querySelector('form'));
    form.addEventListener('submit', () => {
      const question = /** @type {HTMLInputElement} */ (form.elements.namedItem('question')).value.trim();
      const dots = Number(/** @type {HTMLInputElement} */ (form.elements.namedItem('dots')).value) || 3;
      this.actions.start(question || 'Which first?', Math.min(20, Math.max(1, Math.round(dots))));
    });
  }

  /**
   * @param {ReturnType<BadgeModel>} model what badgeModel found on the board
   * @param {Map<string, string>} names element id -> its text
   */
  render({ vote, marks }, names) {
    this.vote = vote;
    const open = Boolean(vote && vote.open !== false);
    const used = [...marks.values()].reduce((n, m) => n + m.mine.length, 0);
    this.placing = open && this.actions.canEdit() && used < (vote?.dots ?? 0);
    const results = open ? [] : [...marks].map(([id, m]) => [names.get(id) || 'Untitled', m.total])
      .sort((a, b) => Number(b[1]) - Number(a[1])).slice(0, TOP);
    const key = JSON.stringify([vote, used, results, this.placing, this.actions.facilitator()]);
    if (key === this._key) return;
    this._key = key;
    this.root.hidden = !vote;
    if (!vote) return;
    const head = html('div', { class: 'vote-head' }, [
      html('span', { class: 'vote-kicker' }, [open ? 'Dot vote' : 'Vote results']),
      html('strong', { class: 'vote-question' }, [vote.text || 'Vote']),
    ]);
    const parts = [head];
    if (open) {
      const left = Math.max(0, vote.dots - used);
      parts.push(html('p', { class: 'vote-help', 'data-dots-left': String(left) }, [
        this.actions.canEdit()
          ? `${left} of ${vote.dots} dots left. Click steps or notes to place them; click your dot to take it back.`
          : 'A vote is on: results show when the facilitator closes it.',
      ]));
    } else {
      const list = html('ol', { class: 'vote-results' });
      for (const [text, n] of results) list.append(html('li', {}, [html('span', {}, [String(text)]), html('strong', {}, [String(n)])]));
      parts.push(results.length ? list : html('p', { class: 'vote-help' }, ['No dots were placed.']));
    }
    if (this.actions.facilitator()) {
      const row = html('div', { class: 'vote-actions' });
      const button = (/** @type {string} */ action, /** @type {string} */ label) =>
        html('button', { type: 'button', class: 'button', 'data-vote-action': action }, [label]);
      row.append(open ? button('close', 'Close the vote') : button('reopen', 'Reopen'), button('remove', 'Remove'));
      parts.push(row);
    }
    this.root.replaceChildren(...parts);
  }
}
