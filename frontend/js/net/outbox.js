// @ts-check
/**
 * Our operations on their way to the server. Nothing goes faster than the server
 * takes it (its budget, mirrored here); an operation it refuses for now
 * (`rate_limited`) goes again later; one it cannot read at all (an error without a
 * cid) is tried alone a few times and then given up, never sent for ever. Pending
 * updates of the same element field are merged before they go: twelve nudges made
 * offline leave as one. The cid makes every resend safe: the server applies an
 * operation once.
 *
 *   const outbox = new Outbox({ pending: () => model.pending, send, replace, giveUp });
 *   outbox.connected();    // a welcome: a fresh budget, nothing in flight
 *   outbox.flush();        // send what the budget allows; the rest on a timer
 *   outbox.later(cid);     // refused for now: it goes again, in its place
 *   outbox.unread();       // an error without a cid: what was in flight is suspect
 */

/** @typedef {import('../protocol.js').Op} Op */
/** @typedef {(fn: () => void, ms: number) => () => void} Schedule starts a timer; returns its cancel */

// The server takes 50 operations a second from one connection, in bursts of 600
// (app/api/ratelimit.py). We stay under it: frames the network held back can
// arrive closer together than we sent them, and every refusal costs a round trip.
export const OPS_PER_SECOND = 40;
export const OPS_BURST = 500;
// While more waits than the budget allows, send what it allows this often.
export const PACE_MS = 200;
// After a refusal for the rate (this connection's, or the whole link's: a workshop
// shares it), wait before sending again: 1 s, doubling to 16 s, ±20 %.
export const RETRY_START_MS = 1000;
export const RETRY_CAP_MS = 16_000;
// An error without a cid names no operation. What was in flight and is still
// unanswered this long after it is suspect: the server answers a readable op in
// milliseconds.
export const SETTLE_MS = 2000;
// A suspect goes again alone (so it cannot take other edits down with it); after
// this many unreadable rounds it is given up.
export const UNREAD_TRIES = 3;

/** @type {Schedule} */
const timeout = (fn, ms) => {
  const id = setTimeout(fn, ms);
  return () => clearTimeout(id);
};

/**
 * Leave out of each pending update what a later update of the same element sets
 * anyway, and drop an update left with nothing to set. Only across a run of
 * updates: a create, delete, board or team op in between may depend on the
 * element as it was, so nothing is merged past one. The board drawn is the same;
 * the ops kept keep their cids.
 * @param {Op[]} ops pending, in order
 * @param {(op: Op) => boolean} fixed ops already sent: kept as they are
 * @returns {Op[]}
 */
export function mergeUpdates(ops, fixed) {
  /** @type {Map<string, Set<string>>} element id -> fields a later update sets */
  const later = new Map();
  const kept = [];
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i];
    if (op.op !== 'update') {
      later.clear();
      kept.push(op);
      continue;
    }
    const fields = later.get(op.id) ?? new Set();
    later.set(op.id, fields);
    const set = /** @type {Record<string, unknown>} */ (op.set);
    const names = Object.keys(set);
    const own = fixed(op) ? names : names.filter((name) => !fields.has(name));
    for (const name of names) fields.add(name);
    if (own.length === names.length) kept.push(op);
    else if (own.length) kept.push({ ...op, set: Object.fromEntries(own.map((name) => [name, set[name]])) });
  }
  return kept.reverse();
}

export class Outbox {
  /**
   * @param {object} deps
   * @param {() => Op[]} deps.pending our unacknowledged ops, in order
   * @param {(ops: Op[]) => boolean} deps.send one ops message; false when the socket is down
   * @param {(ops: Op[]) => void} deps.replace the pending ops, merged (the same board drawn)
   * @param {(ops: Op[]) => void} deps.giveUp ops the server could not read, tried enough
   * @param {(ops: Op[]) => Op[][]} deps.chunk split into messages within the server's limits
   * @param {() => number} [deps.now]
   * @param {Schedule} [deps.schedule]
   * @param {() => number} [deps.random]
   */
  constructor({ pending, send, replace, giveUp, chunk, now = () => Date.now(), schedule = timeout, random = Math.random }) {
    this.pending = pending;
    this.send = send;
    this.replace = replace;
    this.giveUp = giveUp;
    this.chunk = chunk;
    this.now = now;
    this.schedule = schedule;
    this.random = random;
    this.open = false;
    /** Sent on this connection, not answered yet. @type {Set<string>} */
    this.inFlight = new Set();
    this.tokens = OPS_BURST;
    this.stamp = now();
    /** No sending before this (a refusal for the rate). */
    this.holdUntil = 0;
    this.retries = 0;
    /** Unreadable rounds per cid. @type {Map<string, number>} */
    this.strikes = new Map();
    /** In flight when an error without a cid came. @type {Set<string>} */
    this.suspects = new Set();
    /** @type {(() => void)|null} */
    this._cancelFlush = null;
    /** @type {(() => void)|null} */
    this._cancelSettle = null;
  }

  /** A welcome: the server counts this connection's budget afresh, and nothing is in flight. */
  connected() {
    this.open = true;
    this.inFlight.clear();
    this.tokens = OPS_BURST;
    this.stamp = this.now();
  }

  /** The socket is gone: whatever was in flight goes again after the next welcome. */
  closed() {
    this.open = false;
    this.inFlight.clear();
    this._cancelFlush?.();
    this._cancelFlush = null;
  }

  /** Send the unsent ops, in order, as far as the budget goes; the rest when it allows. */
  flush() {
    this._cancelFlush?.();
    this._cancelFlush = null;
    if (!this.open) return;
    const now = this.now();
    if (now < this.holdUntil) {
      this._flushIn(this.holdUntil - now);
      return;
    }
    const pending = this.pending();
    this._forgetAnswered(pending);
    const merged = mergeUpdates(pending, (op) => this.inFlight.has(op.cid) || this.strikes.has(op.cid));
    if (merged.length !== pending.length || merged.some((op, i) => op !== pending[i])) this.replace(merged);
    const unsent = merged.filter((op) => !this.inFlight.has(op.cid));
    this._refill(now);
    const batch = unsent.slice(0, Math.floor(this.tokens));
    for (const ops of this._messages(batch)) {
      if (!this.send(ops)) return; // the socket is down: the next welcome sends them
      this.tokens -= ops.length;
      for (const op of ops) this.inFlight.add(op.cid);
    }
    if (unsent.length > batch.length) this._flushIn(Math.max(PACE_MS, 1000 / OPS_PER_SECOND));
  }

  /**
   * The server refused this op for now (over a budget): it goes again, in its place.
   * @param {string} cid
   */
  later(cid) {
    this.inFlight.delete(cid);
    const now = this.now();
    this.tokens = 0; // the server's count says the budget is spent, whatever ours says
    this.stamp = now;
    if (now >= this.holdUntil) {
      const delay = Math.min(RETRY_CAP_MS, RETRY_START_MS * 2 ** Math.min(this.retries++, 8));
      this.holdUntil = now + Math.round(delay * (0.8 + 0.4 * this.random()));
    }
    this._flushIn(this.holdUntil - now);
  }

  /** One of ours was applied: the server takes our ops again. */
  accepted() {
    this.retries = 0;
  }

  /** An error without a cid: one of the ops in flight may be one the server cannot read. */
  unread() {
    for (const cid of this.inFlight) this.suspects.add(cid);
    if (!this.suspects.size || this._cancelSettle) return;
    this._cancelSettle = this.schedule(() => this._settle(), SETTLE_MS);
  }

  /** Suspects still unanswered were not read: each goes again alone, or is given up. */
  _settle() {
    this._cancelSettle = null;
    const waiting = new Set([...this.suspects].filter((cid) => this.inFlight.has(cid)));
    this.suspects.clear();
    const tried = this.pending().filter((op) => waiting.has(op.cid));
    const spent = [];
    for (const op of tried) {
      const strikes = (this.strikes.get(op.cid) ?? 0) + 1;
      this.strikes.set(op.cid, strikes);
      this.inFlight.delete(op.cid);
      if (strikes >= UNREAD_TRIES) spent.push(op);
    }
    for (const op of spent) this.strikes.delete(op.cid);
    if (spent.length) this.giveUp(spent);
    if (tried.length) this.flush();
  }

  /** Messages for these ops: suspects alone, the others within the server's limits. @param {Op[]} ops */
  _messages(ops) {
    /** @type {Op[][]} */
    const messages = [];
    let run = [];
    for (const op of ops) {
      if (!this.strikes.has(op.cid)) {
        run.push(op);
        continue;
      }
      messages.push(...this.chunk(run), [op]);
      run = [];
    }
    messages.push(...this.chunk(run));
    return messages;
  }

  /** Acknowledged or dropped ops need no more watching. @param {Op[]} pending */
  _forgetAnswered(pending) {
    const held = new Set(pending.map((op) => op.cid));
    for (const cid of this.inFlight) if (!held.has(cid)) this.inFlight.delete(cid);
    for (const cid of this.strikes.keys()) if (!held.has(cid)) this.strikes.delete(cid);
  }

  /** @param {number} now */
  _refill(now) {
    this.tokens = Math.min(OPS_BURST, this.tokens + ((now - this.stamp) / 1000) * OPS_PER_SECOND);
    this.stamp = now;
  }

  /** @param {number} ms */
  _flushIn(ms) {
    this._cancelFlush?.();
    this._cancelFlush = this.schedule(() => {
      this._cancelFlush = null;
      this.flush();
    }, ms);
  }
}
