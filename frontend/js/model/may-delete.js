// @ts-check
/**
 * Why the server will refuse this person's delete of an element, or null: the same
 * rules as app/domain/collab.py (check_delete, check_cascade). A delete the server
 * would refuse is not sent, so a gesture is never left half done: deleting a queue
 * and the step after it during a dot vote (the step is the facilitator's to delete
 * then) took the queue and its arrows and left the step, and the bridge drawn for
 * both was refused with the step, cutting the flow in two.
 *
 *   refusal(elements, 'step-1', { client: 'c-1', facilitator: false });
 *   // 'a dot vote is open: until it closes, only the facilitator can delete steps and notes'
 */

import { cascade } from './board.js';

/**
 * @typedef {import('../protocol.js').Element} Element
 * @typedef {{client: string|null, facilitator: boolean}} Who
 */

const VOTABLE = new Set(['step', 'note']);
const OWNED = new Set(['comment', 'estimate', 'dot']);

/**
 * @param {Map<string, Element>} elements the board as it is
 * @param {string} id what is to be deleted
 * @param {Who} who
 * @returns {string|null}
 */
export function refusal(elements, id, who) {
  const el = elements.get(id);
  if (!el) return null;
  const author = /** @type {{author_id?: string, author?: string}} */ (el);
  const mine = author.author_id === who.client;
  if (el.kind === 'vote') return who.facilitator ? null : 'only the facilitator can remove a vote';
  if (el.kind === 'dot') {
    if (!mine) return `only ${author.author || 'its author'} can take back this dot`;
    const vote = /** @type {{kind?: string, open?: boolean}|undefined} */ (elements.get(/** @type {any} */ (el).vote));
    return vote?.kind === 'vote' && vote.open === false ? 'the vote is closed: its dots stay as they are' : null;
  }
  if (who.facilitator) return null;
  if (el.kind === 'comment' || el.kind === 'estimate') {
    return mine ? null : `only ${author.author || 'its author'} can delete this ${el.kind}`;
  }
  if (VOTABLE.has(el.kind) && voteOpen(elements)) {
    return 'a dot vote is open: until it closes, only the facilitator can delete steps and notes';
  }
  for (const gone of cascade(elements, id)) {
    const hanging = /** @type {{kind: string, author_id?: string}|undefined} */ (elements.get(gone));
    if (gone !== id && hanging && OWNED.has(hanging.kind) && hanging.author_id !== who.client) {
      return "someone else's comments, estimates or dots are on it: only the facilitator can delete it"
        + ' (or they can take theirs off first)';
    }
  }
  return null;
}

/** @param {Map<string, Element>} elements */
function voteOpen(elements) {
  for (const el of elements.values()) {
    if (el.kind === 'vote' && /** @type {{open?: boolean}} */ (el).open !== false) return true;
  }
  return false;
}
