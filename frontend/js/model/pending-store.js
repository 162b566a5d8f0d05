// @ts-check
/**
 * Unacknowledged operations kept in localStorage ('flowmap.pending.<boardId>'),
 * so a reload (or a crashed tab) sends them after all. The server applies an
 * operation once per cid, so sending one twice is safe; losing one is not.
 *
 * Several tabs may share a board and so the key: each tab writes its own
 * pending ops and keeps the ones it does not know (another tab's).
 *
 *   const store = new PendingStore(localStorage, boardId);
 *   for (const op of store.resume({ role, client, nextCid })) board.addPending(op);   // what a reload left
 *   store.save(board.pending);                              // after every change
 */

import { adoptOps } from './ids.js';

/** @typedef {import('../protocol.js').Op} Op */
/** @typedef {Pick<Storage, 'getItem'|'setItem'|'removeItem'>} KeyValue */

export const PENDING_KEY_PREFIX = 'flowmap.pending.';

export class PendingStore {
  /**
   * @param {KeyValue|null} storage null when storage is unavailable: nothing is kept
   * @param {string} boardId
   */
  constructor(storage, boardId) {
    this.storage = storage;
    this.key = PENDING_KEY_PREFIX + boardId;
    /** Every cid this tab has held; one it no longer holds was acked or rejected. @type {Set<string>} */
    this.known = new Set();
  }

  /** @returns {Op[]} */
  _read() {
    if (!this.storage) return [];
    try {
      const data = JSON.parse(this.storage.getItem(this.key) ?? '[]');
      return Array.isArray(data) ? data.filter((op) => op && typeof op.cid === 'string' && op.op) : [];
    } catch {
      return [];
    }
  }

  /**
   * The stored operations, to adopt as pending (they keep their cids).
   * @returns {Op[]}
   */
  load() {
    const seen = new Set();
    const ops = this._read().filter((op) => !seen.has(op.cid) && seen.add(op.cid));
    for (const op of ops) this.known.add(op.cid);
    return ops;
  }

  /**
   * What a reload left unsent, to send again as this client: the stored
   * operations, ids that are not this client's replaced (model/ids.js adoptOps).
   * A viewer never sends, so it takes nothing: another tab's edits stay that tab's.
   * @param {{role: string, client: string, nextCid: () => string}} who
   * @returns {Op[]}
   */
  resume({ role, client, nextCid }) {
    return role === 'viewer' ? [] : adoptOps(this.load(), client, nextCid);
  }

  /**
   * Store this tab's pending ops, keeping other tabs' ones.
   * @param {Op[]} pending
   */
  save(pending) {
    if (!this.storage) return;
    for (const op of pending) this.known.add(op.cid);
    const others = this._read().filter((op) => !this.known.has(op.cid));
    const all = [...others, ...pending];
    try {
      if (all.length) this.storage.setItem(this.key, JSON.stringify(all));
      else this.storage.removeItem(this.key);
    } catch {
      // Storage full or blocked: the ops are still pending in memory and will be sent.
    }
  }
}
