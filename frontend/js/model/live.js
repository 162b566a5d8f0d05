// @ts-check
/**
 * Live positions drawn over the board view while something is being dragged:
 * ours (until the drop's update op takes over) and peers' (from `transient`
 * messages, until their stored update arrives or they go quiet). Not stored,
 * never sent back. No DOM here.
 *
 *   const live = new LivePositions();
 *   live.peerMoves('p3', [{id: 's-1', x: 90, y: 40}], now);
 *   live.apply(view.elements).get('s-1').x;   // 90 while p3 drags it
 *   live.settled('s-1', now);                  // their update op arrived: back to the board
 */

/**
 * @typedef {import('../protocol.js').Element} Element
 * @typedef {import('../protocol.js').Move} Move
 * @typedef {{x: number, y: number, at: number, peer: string}} PeerPosition
 */

// A peer who dropped off mid-drag leaves the note where it was after this long.
export const PEER_DRAG_TTL_MS = 3000;
// Transient frames are batched apart from ops, so a drag frame can arrive just
// after the stored update it preceded; ignore peers' moves this long after one.
export const SETTLE_MS = 300;

export class LivePositions {
  constructor({ ttl = PEER_DRAG_TTL_MS, settle = SETTLE_MS } = {}) {
    this.ttl = ttl;
    this.settle = settle;
    /** @type {Map<string, {x: number, y: number}>} */
    this.local = new Map();
    /** @type {Map<string, PeerPosition>} */
    this.peers = new Map();
    /** @type {Map<string, number>} */
    this._settledAt = new Map();
  }

  /** @param {Move[]} moves our own drag, drawn over everything */
  setLocal(moves) {
    for (const m of moves) this.local.set(m.id, { x: m.x, y: m.y });
  }

  clearLocal() {
    this.local.clear();
  }

  /**
   * @param {string} peer
   * @param {Move[]} moves
   * @param {number} now ms
   */
  peerMoves(peer, moves, now) {
    for (const m of moves) {
      const settledAt = this._settledAt.get(m.id);
      if (settledAt !== undefined && now - settledAt < this.settle) continue;
      this.peers.set(m.id, { x: m.x, y: m.y, at: now, peer });
    }
  }

  /**
   * A stored position for `id` arrived: drop its peer overlay.
   * @param {string} id
   * @param {number} now ms
   */
  settled(id, now) {
    this.peers.delete(id);
    this._settledAt.set(id, now);
  }

  /** @param {string} peer who left: their drags end */
  forgetPeer(peer) {
    for (const [id, pos] of this.peers) if (pos.peer === peer) this.peers.delete(id);
  }

  /**
   * Drop peers' positions older than the ttl.
   * @param {number} now ms
   * @returns {boolean} whether anything was dropped
   */
  expire(now) {
    let changed = false;
    for (const [id, pos] of this.peers) {
      if (now - pos.at >= this.ttl) {
        this.peers.delete(id);
        changed = true;
      }
    }
    for (const [id, at] of this._settledAt) if (now - at >= this.settle) this._settledAt.delete(id);
    return changed;
  }

  get active() {
    return this.local.size > 0 || this.peers.size > 0;
  }

  /**
   * The elements with live positions applied (the same map when there are none).
   * Without peers' positions, what only follows a drop (the lead-time ladder) stays
   * put while a peer drags: redrawing it each frame of theirs repainted the map (issue 20).
   * @param {Map<string, Element>} elements
   * @param {{peers?: boolean}} [which]
   * @returns {Map<string, Element>}
   */
  apply(elements, { peers = true } = {}) {
    if (!this.local.size && (!peers || !this.peers.size)) return elements;
    const out = new Map(elements);
    for (const [id, pos] of peers ? this.peers : []) {
      const el = out.get(id);
      if (el && !this.local.has(id)) out.set(id, { ...el, x: pos.x, y: pos.y });
    }
    for (const [id, pos] of this.local) {
      const el = out.get(id);
      if (el) out.set(id, { ...el, x: pos.x, y: pos.y });
    }
    return out;
  }
}
