// @ts-check
/**
 * One board session over the protocol: hello and welcome, our operations
 * (pending until they come back by cid; net/outbox.js paces them), everyone
 * else's, presence, and live cursors and drags. It talks to any `Transport` (the
 * reconnecting socket in the page, a fake in tests) and tells the page what
 * changed through hooks.
 *
 *   const session = new Session({model, live, store, transport: socket, name: () => 'Ada', hooks});
 *   // socket.onOpen -> session.opened(); socket.onMessage -> session.received(raw)
 *   session.submit([{cid: nextCid(), op: 'delete', id: 's-1'}]);
 */

import {
  MAX_OPS_PER_MESSAGE, PROTOCOL_VERSION, SERVER,
  cursorMessage, dragMessage, hello, opsMessage, parseServerMessage, viewMessage,
} from '../protocol.js';
import { PatchError, applyPatch } from '../model/patch.js';
import { deletedBeforeSaved } from '../model/unsaved.js';
import { throttle } from '../util/timing.js';
import { Outbox } from './outbox.js';

/**
 * @typedef {import('../protocol.js').Op} Op
 * @typedef {import('../protocol.js').Entry} Entry
 * @typedef {import('../protocol.js').Peer} Peer
 * @typedef {import('../protocol.js').Move} Move
 * @typedef {import('../protocol.js').Role} Role
 * @typedef {import('../protocol.js').ServerMessage} ServerMessage
 * @typedef {import('./socket.js').SocketState} SocketState
 * @typedef {'unjoined'|'connecting'|'connected'|'saving'|'reconnecting'|'offline'} SyncStatus
 *   unjoined: not connecting at all yet, the page waiting for a name (awaitingName)
 * @typedef {{send: (message: object) => boolean, restart?: () => void}} Transport
 *
 * @typedef {object} SessionHooks
 * @property {() => void} changed            the board view changed: draw again
 * @property {(status: SyncStatus) => void} status
 * @property {(peers: Peer[], you: Peer|null) => void} peers
 * @property {(cursors: {peer: string, x: number|null, y: number|null}[]) => void} cursors
 * @property {(you: Peer, first: boolean) => void} welcomed
 * @property {(message: string) => void} notify  a reason to show in a toast
 * @property {() => void} [views]             a peer's view moved (for following)
 * @property {() => void} [previewed]         the board was read before joining (while the name is asked)
 */

// Cursor frames: ~20 a second reads as smooth motion and costs little.
export const CURSOR_INTERVAL_MS = 50;
// Drag frames: ~30 a second, the most the protocol asks for.
export const DRAG_INTERVAL_MS = 33;
// Followers see the presenter's view move at this pace: smooth enough, and cheap.
export const VIEW_INTERVAL_MS = 100;
// Keep every ops frame well under the server's 256 KiB limit, even in 3-byte UTF-8.
const MAX_FRAME_CHARS = 80_000;
// Refusals that mean "not now" rather than "not this": the op stays pending and goes again.
const REFUSED_FOR_NOW = new Set(['rate_limited']);
// Errors without a cid that may be the answer to an ops message the server could not read.
const UNREADABLE = new Set(['malformed', 'too_large']);

/**
 * Split ops into messages within the server's count and size limits.
 * @param {Op[]} ops
 * @returns {Op[][]}
 */
export function chunkOps(ops) {
  /** @type {Op[][]} */
  const chunks = [];
  let current = [];
  let size = 0;
  for (const op of ops) {
    const opSize = JSON.stringify(op).length;
    if (current.length && (current.length >= MAX_OPS_PER_MESSAGE || size + opSize > MAX_FRAME_CHARS)) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(op);
    size += opSize;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

export class Session {
  /**
   * @param {object} deps
   * @param {import('../model/board.js').BoardModel} deps.model
   * @param {import('../model/live.js').LivePositions} deps.live
   * @param {{save: (pending: Op[]) => void}} deps.store
   * @param {Transport} deps.transport
   * @param {() => string} deps.name
   * @param {Role} deps.role the role the page was rendered for, until welcome says
   * @param {SessionHooks} deps.hooks
   * @param {() => number} [deps.now]
   * @param {string|null} [deps.key] this browser's identity key (sent in hello)
   * @param {import('./outbox.js').Schedule} [deps.schedule] timers (tests pass their own)
   */
  constructor({ model, live, store, transport, name, role, hooks, now = () => Date.now(), key = null, schedule }) {
    /** This browser's identity key: the server derives whose comments, estimates and dots. */
    this.key = key;
    /** Server clock minus ours, in ms (from the welcome), so countdowns agree. */
    this.clockSkew = 0;
    /** @type {Map<string, {x: number, y: number, w: number, h: number}>} what each peer sees */
    this.views = new Map();
    this.model = model;
    this.live = live;
    this.store = store;
    this.transport = transport;
    this.name = name;
    this.role = role;
    this.hooks = hooks;
    this.now = now;
    /** @type {Peer|null} */
    this.you = null;
    /** @type {Peer[]} */
    this.peers = [];
    this.welcomed = false;
    this.everWelcomed = false;
    /** @type {SocketState} */
    this.socketState = 'connecting';
    /** The page asks for a name before it joins (connection.js): nothing is being connected meanwhile. */
    this.awaitingName = false;
    /** @type {SyncStatus} */
    this.lastStatus = 'connecting';
    this._sendCursor = throttle((/** @type {number|null} */ x, /** @type {number|null} */ y) => {
      // The server does not pass viewers' pointers on: nothing to send.
      if (this.welcomed && this.role !== 'viewer') this.transport.send(cursorMessage(x, y));
    }, CURSOR_INTERVAL_MS);
    this._sendView = throttle((/** @type {{x: number, y: number, w: number, h: number}} */ rect) => {
      if (this.welcomed) this.transport.send(viewMessage(rect));
    }, VIEW_INTERVAL_MS);
    this._sendDrag = throttle((/** @type {Move[]} */ moves) => {
      // None left (what was dragged was deleted by someone meanwhile): nothing to show peers,
      // and an empty frame is refused by the server, in words the dragger cannot act on.
      if (moves.length && this.welcomed && this.canEdit) this.transport.send(dragMessage(moves));
    }, DRAG_INTERVAL_MS);
    this.outbox = new Outbox({
      pending: () => this.model.pending,
      send: (ops) => this.transport.send(opsMessage(ops)),
      replace: (ops) => this._merged(ops),
      giveUp: (ops) => this._unreadable(ops),
      chunk: chunkOps, now, schedule,
    });
  }

  /** May this page change the board right now (not a viewer; not locked by the facilitator)? */
  get canEdit() {
    return this.role !== 'viewer' && !this.locked;
  }

  /** The facilitator paused editing for everyone but themselves. */
  get locked() {
    return Boolean(this.model.view().frame.locked) && this.role !== 'facilitator';
  }

  /** @returns {SyncStatus} */
  get status() {
    if (this.socketState === 'offline' || globalThis.navigator?.onLine === false) return 'offline';
    if (!this.welcomed && this.awaitingName && !this.everWelcomed) return 'unjoined';
    if (!this.welcomed) return this.everWelcomed || this.socketState === 'reconnecting' ? 'reconnecting' : 'connecting';
    return this.model.pending.length ? 'saving' : 'connected';
  }

  // ---- from the socket -------------------------------------------------------

  /**
   * The socket opened: introduce ourselves, with the last seq we applied. A socket
   * opened before the page ran (net/early.js) said its hello already: if that is not
   * the hello we would say, the socket starts over with ours.
   * @param {object|null} [sentHello]
   */
  opened(sentHello = null) {
    this.welcomed = false;
    this.outbox.closed(); // a new socket: nothing is in flight on it
    const mine = hello(this.name(), this.model.seq, this.key, this.model.lastCid);
    if (sentHello === null) this.transport.send(mine);
    else if (JSON.stringify(sentHello) !== JSON.stringify(mine)) {
      this.transport.restart?.();
      return;
    }
    this.refreshStatus();
  }

  /** @param {SocketState} state */
  socketChanged(state) {
    this.socketState = state;
    if (state !== 'open') {
      this.welcomed = false;
      this.outbox.closed();
    }
    this.refreshStatus();
  }

  /**
   * @param {string} raw one frame from the server
   * @param {number} [at] when it arrived (Date.now()): the welcome's server clock is read against
   *   that, not against when it is handled (after the page's modules, for one kept on an early socket)
   */
  received(raw, at = Date.now()) {
    const message = parseServerMessage(raw);
    if (!message) return;
    switch (message.type) {
      case SERVER.welcome: return this._welcome(message, at);
      case SERVER.ops: return this._entries(message.ops);
      case SERVER.ack:
        this.outbox.accepted();
        return this._forget(message.cid);
      case SERVER.error: return this._error(message);
      case SERVER.presence: return this._presence(message.peers);
      case SERVER.transient: return this._transient(message);
      case SERVER.metrics:
        return this._metrics(message);
      case SERVER.forecast:
        this.model.setForecast(message.forecast);
        return this.hooks.changed();
      case SERVER.reveal:
        this.model.reveal(/** @type {any} */ (message).elements ?? [], /** @type {any} */ (message).votes ?? []);
        return this.hooks.changed();
      default:
        return undefined; // pong: any message already proved the socket alive
    }
  }

  // ---- from the page -----------------------------------------------------------

  /**
   * Apply our operations at once and send them (or keep them for the next welcome).
   * @param {Op[]} ops
   */
  submit(ops) {
    if (!this.canEdit || !ops.length) return;
    for (const op of ops) this.model.addPending(op);
    this.store.save(this.model.pending);
    this.outbox.flush();
    this.hooks.changed();
    this.refreshStatus();
  }

  /** @param {number|null} x @param {number|null} y canvas coordinates; null hides */
  cursor(x, y) {
    this._sendCursor(x, y);
  }

  /**
   * What I see, for anyone following me (throttled; viewers too: they may present).
   * @param {{x: number, y: number, w: number, h: number}} rect canvas coordinates
   */
  view(rect) {
    // A page not laid out yet (or shrunk to nothing) sees nothing: the server refuses a
    // view without a size, and the refusal would reach the person as an error.
    const sized = rect.w > 0 && rect.h > 0 && Number.isFinite(rect.x + rect.y + rect.w + rect.h);
    if (sized) this._sendView(rect);
  }

  /** @param {Move[]} moves live positions of what we drag */
  drag(moves) {
    this._sendDrag(moves);
  }

  /** The drag ended: the update op carries the final place; stale frames must not follow it. */
  endDrag() {
    this._sendDrag.cancel();
  }

  // ---- handlers ------------------------------------------------------------------

  /** @param {import('../protocol.js').MetricsMessage} message whole metrics, or a patch of ours */
  _metrics(message) {
    if (message.patch) {
      const held = this.model.metrics;
      try {
        if (!held) throw new PatchError('no metrics to patch yet');
        this.model.setMetrics(applyPatch(/** @type {Record<string, any>} */ (held), message.patch));
      } catch (err) {
        // Never seen in practice: the server patches what it sent us. If it happens, a
        // fresh welcome carries the whole metrics again.
        if (!(err instanceof PatchError)) throw err;
        this.transport.restart?.();
        return undefined;
      }
    } else if (message.metrics) {
      this.model.setMetrics(message.metrics);
    }
    return this.hooks.changed();
  }

  /** @param {import('../protocol.js').Welcome} welcome @param {number} at when it arrived (Date.now()) */
  _welcome(welcome, at) {
    if (welcome.protocol !== PROTOCOL_VERSION) {
      this.hooks.notify('Flowmap was updated. Reload the page to keep working safely.');
    }
    const first = !this.everWelcomed;
    if (welcome.snapshot) this.model.loadSnapshot(welcome.snapshot, welcome.seq, welcome.last_cid ?? null);
    else {
      this._entries(welcome.missed ?? [], false);
      if (this.model.seq === null || this.model.seq < welcome.seq) {
        this.model.seq = welcome.seq;
        this.model.lastCid = welcome.last_cid ?? null;
      }
    }
    this.model.setMetrics(welcome.metrics);
    // Null until the server's first run for the board: its forecast message follows.
    if (welcome.forecast !== undefined) this.model.setForecast(welcome.forecast);
    // Against its arrival: read after loading the snapshot (or after the modules, kept on an early
    // socket), our estimate of the server's clock fell behind by that long, and a 5-minute
    // countdown started at 5:01.
    if (welcome.now) this.clockSkew = Date.parse(welcome.now) - at;
    this.you = welcome.you;
    this.role = welcome.you.role;
    this.welcomed = true;
    this.everWelcomed = true;
    this._presence(welcome.peers);
    this.hooks.welcomed(welcome.you, first);
    if (this.role === 'viewer') {
      // A link that cannot edit has nothing to send; leave the stored ops to their tab.
      for (const op of [...this.model.pending]) this.model.drop(op.cid);
    } else {
      // Whatever was not acknowledged goes again, in order, with its original cid, paced.
      this.outbox.connected();
      this.outbox.flush();
      this.store.save(this.model.pending);
    }
    this.hooks.changed();
    this.refreshStatus();
  }

  /** @param {Entry[]} entries @param {boolean} [render] */
  _entries(entries, render = true) {
    const now = this.now();
    for (const entry of entries) {
      if (entry.op === 'update' && entry.id && entry.set && ('x' in entry.set || 'y' in entry.set)) {
        this.live.settled(entry.id, now);
      } else if (entry.op === 'delete') {
        for (const id of entry.removed ?? [entry.id ?? '']) this.live.settled(id, now);
      }
    }
    const before = this.model.pending.length;
    this.model.applyEntries(entries);
    if (this.model.pending.length !== before) {
      this.outbox.accepted(); // ours came back: the server takes our edits again
      this.store.save(this.model.pending);
    }
    if (render) {
      this.hooks.changed();
      this.refreshStatus();
    }
  }

  /** @param {string} cid acknowledged as a duplicate, or rejected */
  _forget(cid) {
    if (!this.model.drop(cid)) return;
    this.store.save(this.model.pending);
    this.hooks.changed();
    this.refreshStatus();
  }

  /** @param {import('../protocol.js').ErrorMessage} error */
  _error(error) {
    if (error.cid && REFUSED_FOR_NOW.has(error.code)) {
      // Not a refusal of the edit: the server takes it once the budget allows. The
      // status stays "Saving…" meanwhile; "Not saved" would be untrue.
      const cid = error.cid;
      if (this.model.pending.some((op) => op.cid === cid)) this.outbox.later(cid);
      return;
    }
    if (error.cid) {
      const gone = this._deletedUnder(error.cid);
      this._forget(error.cid);
      if (gone) return this.hooks.notify(gone);
    } else if (UNREADABLE.has(error.code)) this.outbox.unread();
    const prefix = error.cid ? 'Not saved: ' : '';
    this.hooks.notify(prefix + (error.reason || error.code));
  }

  /**
   * What to say when our update `cid` was refused because someone else deleted its element
   * first (our edit made offline, or on the way meanwhile), or null when it was not that.
   * @param {string} cid
   */
  _deletedUnder(cid) {
    const op = this.model.pending.find((o) => o.cid === cid);
    if (op?.op !== 'update' || op.id === undefined || this.model.confirmed.has(op.id)) return null;
    const was = this.model.removed.get(op.id); // not there: never confirmed here, so not that
    return was ? deletedBeforeSaved(was, /** @type {Record<string, unknown>} */ (op.set ?? {})) : null;
  }

  /** @param {Op[]} ops the pending ops with updates merged: the same board, fewer ops to send */
  _merged(ops) {
    this.model.pending = ops;
    this.store.save(ops);
  }

  /** @param {Op[]} ops sent again and again, never read by the server: given up, and said */
  _unreadable(ops) {
    for (const op of ops) this.model.drop(op.cid);
    this.store.save(this.model.pending);
    const what = ops.length === 1 ? 'an edit' : `${ops.length} edits`;
    this.hooks.notify(`Not saved: the server could not read ${what} (a broken character in a text?)`);
    this.hooks.changed();
    this.refreshStatus();
  }

  /** @param {Peer[]} peers */
  _presence(peers) {
    const gone = this.peers.filter((p) => !peers.some((q) => q.peer === p.peer));
    for (const p of gone) this.live.forgetPeer(p.peer);
    this.peers = peers;
    this.hooks.peers(peers, this.you);
    if (gone.length) this.hooks.changed();
  }

  /** @param {import('../protocol.js').Transient} transient */
  _transient(transient) {
    const me = this.you?.peer;
    const now = this.now();
    let moved = false;
    for (const drag of transient.drags ?? []) {
      if (drag.peer === me) continue;
      this.live.peerMoves(drag.peer, drag.moves, now);
      moved = true;
    }
    const cursors = (transient.cursors ?? []).filter((c) => c.peer !== me);
    if (cursors.length) this.hooks.cursors(cursors);
    for (const v of transient.views ?? []) {
      if (v.peer !== me) this.views.set(v.peer, { x: v.x, y: v.y, w: v.w, h: v.h });
    }
    if ((transient.views ?? []).length) this.hooks.views?.();
    if (moved) this.hooks.changed();
  }

  /** Tell the page if the status changed (also after online/offline events). */
  refreshStatus() {
    const status = this.status;
    if (status !== this.lastStatus) {
      this.lastStatus = status;
      this.hooks.status(status);
    }
  }
}
