// @ts-check
/**
 * Whose view this page follows: someone it chose to follow, else the
 * presenter the facilitator set (unless this page left presenter mode), else
 * nobody. Pure, so the rules are testable without a browser.
 *
 *   whomToFollow({chosen: null, presenter: 'c-fay', leftPresenter: '', peers, you});  // 'p2'
 *   viewMoved(lastTold, viewport.seen());   // true: tell the peers what this page sees now
 */

// A view that moved less than this (world units) is the same view: not worth a message.
const VIEW_STILL = 0.5;

/**
 * @typedef {import('../protocol.js').Peer} Peer
 * @typedef {object} FollowState
 * @property {string|null} chosen        a peer id this page chose to follow
 * @property {string} presenter          the board's presenter (a client id) or ''
 * @property {string} leftPresenter      the presenter this page stopped following, or ''
 * @property {Peer[]} peers
 * @property {Peer|null} you
 */

/**
 * @param {FollowState} s
 * @returns {string|null} the peer id to follow
 */
export function whomToFollow(s) {
  const here = (/** @type {string} */ id) => s.peers.some((p) => p.peer === id);
  if (s.chosen && s.chosen !== s.you?.peer && here(s.chosen)) return s.chosen;
  if (!s.presenter || s.presenter === s.leftPresenter || s.presenter === s.you?.client) return null;
  // The presenter may have reconnected: the newest connection of that browser leads.
  const theirs = s.peers.filter((p) => p.client === s.presenter && p.peer !== s.you?.peer);
  return theirs.length ? theirs[theirs.length - 1].peer : null;
}

/**
 * Whether what this page sees moved enough since it last told its peers.
 * @param {{x: number, y: number, w: number, h: number}|null} told the view last sent, or null before the first
 * @param {{x: number, y: number, w: number, h: number}} seen the view now
 */
export function viewMoved(told, seen) {
  if (!told) return true;
  return /** @type {const} */ (['x', 'y', 'w', 'h']).some((k) => Math.abs(told[k] - seen[k]) > VIEW_STILL);
}
