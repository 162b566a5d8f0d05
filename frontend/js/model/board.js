// @ts-check
/**
 * The board as this browser knows it, in two layers (docs/protocol.md):
 * the *confirmed* board (what the server sent, applied in seq order) and the
 * *pending* operations (sent, not yet acknowledged). What we draw is the view:
 * confirmed with pending applied on top. No DOM here: node tests drive it.
 *
 *   const board = new BoardModel();
 *   board.loadSnapshot(welcome.snapshot, welcome.seq);
 *   board.addPending({cid: 'a:1', op: 'update', id: 's-1', set: {x: 40}});
 *   board.view().elements.get('s-1').x;   // 40 at once (optimistic)
 *   board.applyEntry({seq: 7, cid: 'a:1', by: 'p1', name: 'Ada', op: 'update', id: 's-1', set: {x: 40}});
 *   board.pending.length;                 // 0: our own op came back, so it is acknowledged
 */

import { DEFAULTS } from '../protocol.js';

/**
 * @typedef {import('../protocol.js').Element} Element
 * @typedef {import('../protocol.js').Entry} Entry
 * @typedef {import('../protocol.js').Op} Op
 * @typedef {import('../protocol.js').BoardFrame} BoardFrame
 * @typedef {import('../protocol.js').Snapshot} Snapshot
 * @typedef {{frame: BoardFrame, elements: Map<string, Element>}} BoardView
 * @typedef {{op: string, id?: string, element?: Element, set?: object, removed?: string[],
 *   remove?: boolean, at?: number, retyped?: Record<string, object>}} Change
 * @typedef {{id: string, name: string, color: string}} Team
 */

/**
 * An element with every field a create leaves out filled in, as the server does.
 * @param {Element} element
 * @returns {Element}
 */
export function withDefaults(element) {
  const defaults = DEFAULTS[element.kind] ?? {};
  const filled = /** @type {Element} */ ({ ...defaults, ...element });
  if (Array.isArray(filled.waste)) filled.waste = [...filled.waste];
  return filled;
}

/**
 * Apply one operation or entry to a map of elements and a frame, in place.
 * Elements are replaced, never mutated, so a renderer can compare by identity.
 * Operations that no longer fit (an update of a deleted element) change nothing.
 * @param {Map<string, Element>} elements
 * @param {BoardFrame} frame
 * @param {Change} change
 */
export function applyChange(elements, frame, change) {
  switch (change.op) {
    case 'create': {
      const element = change.element;
      if (element && !elements.has(element.id)) elements.set(element.id, withDefaults(element));
      break;
    }
    case 'update': {
      const current = change.id === undefined ? undefined : elements.get(change.id);
      if (current && change.set) elements.set(current.id, { ...current, ...change.set, id: current.id, kind: current.kind });
      // A vote's close drops its dots a delete left on nothing (app/domain/collab.py stranded).
      for (const id of /** @type {{removed?: string[]}} */ (change).removed ?? []) elements.delete(id);
      break;
    }
    case 'delete': {
      if (change.id === undefined) break;
      for (const id of change.removed ?? cascade(elements, change.id)) elements.delete(id);
      break;
    }
    case 'board':
      Object.assign(frame, change.set ?? {});
      // A calendar change: each range typed on the old one, said anew with its minutes.
      for (const [id, texts] of Object.entries(change.retyped ?? {})) {
        const current = elements.get(id);
        if (current) elements.set(id, { ...current, ...texts, id, kind: current.kind });
      }
      break;
    case 'team':
      frame.teams = teamsAfter(/** @type {Team[]} */ (frame.teams ?? []), change);
      break;
    default:
      break;
  }
}

/**
 * The map's teams after one `team` op, worked out as the server does
 * (app/domain/operations.py `_set_team`): `set` changes the team in place or
 * adds it last, `at` puts it at that place, `remove` drops it. An op the server
 * would refuse changes nothing. Returns a new list.
 *
 *   teamsAfter([{id: 't-dev', name: 'Dev', color: 'blue'}], {op: 'team', id: 't-qa', set: {name: 'QA'}});
 *   // [{id: 't-dev', …}, {id: 't-qa', name: 'QA', color: 'grey'}]
 *
 * @param {Team[]} teams
 * @param {Change} change
 * @returns {Team[]}
 */
export function teamsAfter(teams, change) {
  const list = [...teams];
  const found = list.findIndex((t) => t.id === change.id);
  if (change.remove) {
    if (found >= 0) list.splice(found, 1);
    return list;
  }
  const set = /** @type {Partial<Team>|undefined} */ (change.set);
  if (!set || change.id === undefined || (found < 0 && !set.name)) return list;
  const before = found >= 0 ? list.splice(found, 1)[0] : { color: 'grey' };
  const where = change.at ?? (found >= 0 ? found : list.length);
  list.splice(Math.min(where, list.length), 0, /** @type {Team} */ ({ ...before, ...set, id: change.id }));
  return list;
}

/**
 * The id itself and everything that hangs off it, transitively: arrows on it,
 * comments about it (and their replies), estimates of it, dots on it or in it.
 * An open vote's dots stay (the server holds them, sealed, until the vote closes:
 * only removing the vote takes them). The same rule as the server's
 * (app/domain/collab.py attached_to).
 * @param {Map<string, Element>} elements
 * @param {string} id
 */
export function cascade(elements, id) {
  if (!elements.has(id)) return [];
  const removed = [id];
  const gone = new Set(removed);
  let frontier = new Set(removed);
  while (frontier.size) {
    const next = new Set();
    for (const el of elements.values()) {
      if (gone.has(el.id) || !refersTo(el, frontier) || heldInOpenVote(elements, el, frontier)) continue;
      removed.push(el.id);
      gone.add(el.id);
      next.add(el.id);
    }
    frontier = next;
  }
  return removed;
}

/**
 * A dot of a vote still open, not itself going: a delete leaves it.
 * @param {Map<string, Element>} elements
 * @param {Element} el
 * @param {Set<string>} frontier
 */
function heldInOpenVote(elements, el, frontier) {
  if (el.kind !== 'dot') return false;
  const voteId = /** @type {{vote?: string}} */ (el).vote ?? '';
  const vote = /** @type {{open?: boolean}|undefined} */ (elements.get(voteId));
  return !frontier.has(voteId) && vote !== undefined && vote.open !== false;
}

/**
 * @param {Element} el
 * @param {Set<string>} ids
 */
function refersTo(el, ids) {
  return hangsOff(el).some((id) => ids.has(id));
}

// The fields naming what each kind hangs off (app/domain/collab.py _refers).
const HANGS_OFF = /** @type {Record<string, string[]>} */ ({
  connector: ['source', 'target'], comment: ['target', 'parent'], estimate: ['target'], dot: ['target', 'vote'],
});

/**
 * The ids an element hangs off: an arrow's ends, what a comment, estimate or dot is
 * about (and a reply's comment, a dot's vote). Without them the server refuses it.
 * @param {Element} el
 * @returns {string[]}
 */
export function hangsOff(el) {
  const e = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (el));
  return (HANGS_OFF[el.kind] ?? []).map((key) => e[key]).filter((v) => typeof v === 'string');
}

// Fields a colleague changes without adding work of their own: a move, a resize, and the
// provenance the server stamps.
const LIGHT_TOUCH = new Set(['x', 'y', 'w', 'h', 'provenance']);

/**
 * Whether `now` has a field that is neither as `was` nor as `shown` had it (moves aside).
 * @param {Element} now
 * @param {Element} was
 * @param {Element|undefined} shown
 */
function changedBeyondMoves(now, was, shown) {
  const [n, w, s] = /** @type {Record<string, unknown>[]} */ ([now, was, shown ?? {}]);
  // Most fields are equal numbers or strings: only objects (a waste list, provenance) are compared as JSON.
  const same = (/** @type {unknown} */ a, /** @type {unknown} */ b) => (a ?? null) === (b ?? null)
    || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return [...new Set([...Object.keys(n), ...Object.keys(w)])]
    .some((key) => !LIGHT_TOUCH.has(key) && !same(n[key], w[key]) && !same(n[key], s[key]));
}

/** Kinds drawn on the canvas; the others (comments, estimates, votes, dots) hang off them. */
export const SHAPE_KINDS = new Set(['step', 'inventory', 'note', 'connector', 'experiment']);

/**
 * Only what the canvas draws.
 * @param {Map<string, Element>} elements
 */
export function drawable(elements) {
  const out = new Map();
  for (const [id, el] of elements) if (SHAPE_KINDS.has(el.kind)) out.set(id, el);
  return out;
}

// How many deleted elements a page remembers as they were, for undoing their deletes.
const REMOVED_KEPT = 2000;

export class BoardModel {
  constructor() {
    /** @type {BoardFrame} */
    this.frame = {};
    /** @type {Map<string, Element>} */
    this.confirmed = new Map();
    /** The last seq applied; null until the first welcome. @type {number|null} */
    this.seq = null;
    /** The cid of the entry at `seq` (null: none, or not known): the hello names it. @type {string|null} */
    this.lastCid = null;
    /** Sent (or to be sent), not yet acknowledged, in the order they were made. @type {Op[]} */
    this.pending = [];
    /**
     * Elements a delete entry removed, as the confirmed board held them just before it:
     * an undo of the delete puts back those, with edits that got in ahead of it.
     * @type {Map<string, Element>}
     */
    this.removed = new Map();
    /**
     * Elements someone else made, or changed beyond a move, since this page loaded (entries
     * that are not its own ops, and what a catch-up snapshot shows new or changed): an undo
     * must not delete their work (commands/history.js).
     * @type {Set<string>}
     */
    this.others = new Set();
    /**
     * Elements that went while this page caught up by a snapshot: how they were when they
     * were deleted is not known here, so an undo cannot put them back as they were.
     * @type {Set<string>}
     */
    this.unseen = new Set();
    /** @type {object|null} */
    this.metrics = null;
    /** @type {object|null} the lead-time forecast, sent on its own (net/session.js) */
    this.forecast = null;
    /** @type {BoardView|null} */
    this._view = null;
  }

  /**
   * Replace the confirmed board (a welcome with a snapshot). Pending ops stay on top.
   * @param {Snapshot} snapshot
   * @param {number} seq
   * @param {string|null} [lastCid] the cid of the entry at `seq`, when the server says it
   */
  loadSnapshot(snapshot, seq, lastCid = null) {
    const elements = new Map(snapshot.elements.map((el) => [el.id, withDefaults(el)]));
    if (this.seq !== null) this._caughtUp(elements);
    this.frame = { ...snapshot.board };
    this.confirmed = elements;
    this.seq = seq;
    this.lastCid = lastCid;
    this._view = null;
  }

  /**
   * The board as read over HTTP before this page joins (while a newcomer is asked their
   * name), to show it meanwhile. It sets no seq: the hello asks for the whole board, and
   * the welcome's snapshot replaces this one without calling anything in it new. Ignored
   * once the page has joined.
   * @param {Snapshot} snapshot
   */
  preview(snapshot) {
    if (this.seq !== null) return;
    this.frame = { ...snapshot.board };
    this.confirmed = new Map(snapshot.elements.map((el) => [el.id, withDefaults(el)]));
    this._view = null;
  }

  /**
   * What a snapshot replacing the confirmed board says happened unseen: elements gone
   * (this page's own create or delete among them, its echo lost), and others' new or
   * changed ones (a change this page's pending ops explain is its own).
   * @param {Map<string, Element>} elements the snapshot's
   */
  _caughtUp(elements) {
    const shown = this.view().elements;
    const made = this.pending.flatMap((op) => (op.op === 'create' && op.element ? [op.element.id] : []));
    for (const id of [...this.confirmed.keys(), ...made]) {
      if (elements.has(id)) continue;
      this.unseen.add(id);
      this.removed.delete(id);
    }
    for (const [id, el] of elements) {
      this.unseen.delete(id);
      const was = this.confirmed.get(id);
      if (was ? changedBeyondMoves(el, was, shown.get(id)) : !made.includes(id)) this.others.add(id);
    }
  }

  /**
   * Apply one entry from the server. Entries at or below the last seq are
   * ignored (nothing applies twice); our own op coming back is its ack.
   * @param {Entry} entry
   * @returns {boolean} whether the confirmed board changed
   */
  applyEntry(entry) {
    const own = Boolean(entry.cid && this.drop(entry.cid));
    if (this.seq !== null && entry.seq <= this.seq) return false;
    if (!own) this._othersWork(entry);
    if (entry.op === 'delete' && entry.id !== undefined) {
      for (const id of entry.removed ?? cascade(this.confirmed, entry.id)) {
        const gone = this.confirmed.get(id);
        if (!gone) continue;
        this.removed.delete(id); // the newest last, so the oldest goes first below
        this.removed.set(id, gone);
      }
      // Undo reaches only a page's recent deletes: a day of them need not all be kept.
      for (const old of this.removed.keys()) {
        if (this.removed.size <= REMOVED_KEPT) break;
        this.removed.delete(old);
      }
    } else if (entry.op === 'create' && entry.element) {
      this.removed.delete(entry.element.id);
      this.unseen.delete(entry.element.id);
    }
    applyChange(this.confirmed, this.frame, /** @type {Change} */ (entry));
    this.seq = entry.seq;
    this.lastCid = entry.cid ?? null;
    this._view = null;
    return true;
  }

  /** @param {Entry} entry someone else's (not an op of this page coming back) */
  _othersWork(entry) {
    if (entry.op === 'create' && entry.element) this.others.add(entry.element.id);
    const set = /** @type {Record<string, unknown>|undefined} */ (entry.set);
    if (entry.op === 'update' && entry.id && set && Object.keys(set).some((key) => !LIGHT_TOUCH.has(key))) {
      this.others.add(entry.id);
    }
  }

  /**
   * @param {Entry[]} entries in seq order
   * @returns {number} how many were applied
   */
  applyEntries(entries) {
    let applied = 0;
    for (const entry of entries) if (this.applyEntry(entry)) applied++;
    return applied;
  }

  /**
   * Elements shown whole now that may have come sealed (an open vote's dots, their targets
   * null): each replaces the one the board holds, if it still holds it. `votes`: the votes
   * closed, all of whose dots are in `elements`; any other dot of theirs held here is gone
   * (the close dropped it, left on nothing by a delete: app/domain/secrecy.py).
   * @param {Element[]} elements
   * @param {string[]} [votes]
   */
  reveal(elements, votes = []) {
    const closed = new Set(votes);
    const shown = new Set(elements.map((el) => el.id));
    for (const [id, el] of this.confirmed) {
      if (el.kind === 'dot' && closed.has(/** @type {any} */ (el).vote) && !shown.has(id)) this.confirmed.delete(id);
    }
    for (const el of elements) {
      if (this.confirmed.has(el.id)) this.confirmed.set(el.id, withDefaults(el));
    }
    this._view = null;
  }

  /** @param {Op} op an operation made here, with its cid */
  addPending(op) {
    this.pending.push(op);
    this._view = null;
  }

  /**
   * Forget a pending op: acknowledged (duplicate ack) or rejected. The view
   * falls back to the confirmed board underneath.
   * @param {string} cid
   * @returns {Op|undefined} the dropped op
   */
  drop(cid) {
    const index = this.pending.findIndex((op) => op.cid === cid);
    if (index < 0) return undefined;
    const [op] = this.pending.splice(index, 1);
    this._view = null;
    return op;
  }

  /** @param {object|null} metrics */
  setMetrics(metrics) {
    this.metrics = metrics;
  }

  /** @param {object|null} forecast the lead-time forecast (its own message, off the edit path) */
  setForecast(forecast) {
    this.forecast = forecast;
  }

  /**
   * Confirmed with pending applied on top. Cached until something changes;
   * elements untouched by pending ops are the confirmed objects themselves.
   * @returns {BoardView}
   */
  view() {
    if (this._view) return this._view;
    const elements = new Map(this.confirmed);
    const frame = { ...this.frame };
    for (const op of this.pending) applyChange(elements, frame, /** @type {Change} */ (op));
    this._view = { frame, elements };
    return this._view;
  }

  /** @param {string} id */
  get(id) {
    return this.view().elements.get(id);
  }
}
