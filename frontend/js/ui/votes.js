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
 * @property {(dotIds: string[]) => void} takeBack this person's dots, taken back
 * @property {() => boolean} canEdit
 * @property {() => boolean} facilitator
 */

// The results list names this many winners (more when they tie); the rest are on the canvas.
const TOP = 5;

/**
 * Results in order with their rank; equal totals share a rank (1, 1, 3), so a tie reads as one.
 * @param {[string, number][]} totals [what was voted on, dots]
 * @returns {{text: string, dots: number, rank: number, tied: boolean}[]}
 */
export function rankVotes(totals) {
  const sorted = [...totals].sort((a, b) => b[1] - a[1]);
  const counts = new Map();
  for (const [, n] of sorted) counts.set(n, (counts.get(n) ?? 0) + 1);
  const ranked = sorted.map(([text, dots]) => ({
    text, dots, rank: sorted.findIndex(([, n]) => n === dots) + 1, tied: counts.get(dots) > 1,
  }));
  return ranked.filter((r) => r.rank <= TOP);
}

/**
 * Who has voted so far, of the people here who may vote.
 * @param {Map<string, number>} voters author id -> dots placed
 * @param {number} dots each person's dots
 * @param {number} people how many here may vote
 */
export function voteProgress(voters, dots, people) {
  const done = [...voters.values()].filter((n) => n >= dots).length;
  const partly = voters.size - done;
  return { done, partly, people: Math.max(people, voters.size) };
}

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
    /** The results this person put away (their own screen only), and those shown now. */
    this.hidden = '';
    this._results = '';
    /** @type {string[]} this person's dots of the open vote on what has since been deleted */
    this._stranded = [];
    /** @type {[any, Map<string, string>, number]} what the last render was given */
    this._last = [{ vote: null, marks: new Map(), voters: new Map() }, new Map(), 0];
    // Under 720 px the card stands over the panels at the bottom (session.css): they keep its
    // height free at their end, or what they end with stays under it however far they scroll.
    new ResizeObserver(() => document.body.style.setProperty('--vote-card-height', `${root.offsetHeight}px`))
      .observe(root);
    root.addEventListener('click', (e) => {
      const action = /** @type {HTMLElement} */ (e.target).closest('[data-vote-action]')?.getAttribute('data-vote-action');
      if (!action || !this.vote) return;
      if (action === 'close') this.actions.setOpen(this.vote.id, false);
      if (action === 'reopen') this.actions.setOpen(this.vote.id, true);
      if (action === 'remove') this.actions.remove(this.vote.id);
      if (action === 'take-back') this.actions.takeBack(this._stranded);
      if (action === 'hide') this.hidden = this._results;
      if (action === 'show') this.hidden = '';
      this._key = '';
      if (action === 'hide' || action === 'show') this.render(...this._last);
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
   * @param {number} [people] how many people here may vote
   */
  render({ vote, marks, voters, stranded = [] }, names, people = 0) {
    this.vote = vote;
    const open = Boolean(vote && vote.open !== false);
    // Own dots on a step or note deleted since: the server holds them (they count) until the
    // vote closes, so the page says so and offers them back (app/domain/collab.py attached_to).
    this._stranded = open ? stranded : [];
    const used = [...marks.values()].reduce((n, m) => n + m.mine.length, this._stranded.length);
    this.placing = open && this.actions.canEdit() && used < (vote?.dots ?? 0);
    const results = open ? [] : rankVotes([...marks].map(([id, m]) => [names.get(id) || 'Untitled', m.total]));
    const progress = voteProgress(voters ?? new Map(), vote?.dots ?? 1, people);
    const key = JSON.stringify([vote, used, results, progress, this.placing, this.actions.facilitator(), this._stranded]);
    if (key === this._key) return;
    this._key = key;
    this._last = /** @type {[any, Map<string, string>, number]} */ ([{ vote, marks, voters, stranded }, names, people]);
    if (open) this.hidden = ''; // reopened: whatever it closes with next is shown again
    this._results = open || !vote ? '' : JSON.stringify([vote.id, results]);
    const folded = this._results !== '' && this._results === this.hidden;
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
      const strays = this._stranded.length;
      if (strays && this.actions.canEdit()) {
        parts.push(html('p', { class: 'vote-help vote-stranded', 'data-vote-stranded': String(strays) }, [
          strays === 1 ? 'One of your dots was on a step or note since deleted. '
            : `${strays} of your dots were on steps or notes since deleted. `,
          html('button', { type: 'button', class: 'button', 'data-vote-action': 'take-back' },
            [strays === 1 ? 'Take it back' : 'Take them back']),
        ]));
      }
      const { done, partly, people: of } = progress;
      const bar = html('progress', { class: 'vote-bar', max: String(Math.max(1, of)), value: String(done), 'aria-hidden': 'true' });
      parts.push(html('p', { class: 'vote-progress', 'data-vote-progress': `${done}/${of}` }, [
        `${done} of ${of} ${of === 1 ? 'person has' : 'people have'} placed all their dots`,
        partly ? `, ${partly} part-way` : '', bar,
      ]));
    } else if (folded) {
      parts[0] = html('div', { class: 'vote-head' }, [html('span', { class: 'vote-kicker' }, ['Vote results hidden'])]);
    } else {
      const list = html('ol', { class: 'vote-results' });
      for (const r of results) {
        list.append(html('li', { value: String(r.rank), 'data-rank': String(r.rank), class: r.tied ? 'is-tied' : null }, [
          html('span', {}, [r.text]), r.tied ? html('em', { class: 'vote-tie' }, ['tie']) : '', html('strong', {}, [String(r.dots)]),
        ]));
      }
      parts.push(results.length ? list : html('p', { class: 'vote-help' }, ['No dots were placed.']));
    }
    const button = (/** @type {string} */ action, /** @type {string} */ label) =>
      html('button', { type: 'button', class: 'button', 'data-vote-action': action }, [label]);
    const row = html('div', { class: 'vote-actions' });
    if (this.actions.facilitator()) {
      row.append(open ? button('close', 'Close the vote') : button('reopen', 'Reopen'), button('remove', 'Remove'));
    }
    // Results may be put away by anyone, on their own screen: the card stays for the others,
    // folded to a line here with the facilitator's buttons still on it.
    if (!open) row.append(folded ? button('show', 'Show the results') : button('hide', 'Hide the results'));
    if (row.childElementCount) parts.push(row);
    this.root.replaceChildren(...parts);
  }
}
