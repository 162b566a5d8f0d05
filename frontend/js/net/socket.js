// @ts-check
/**
 * A websocket that keeps itself connected: backoff with jitter after a loss,
 * an immediate retry when the network or the tab comes back, and a heartbeat
 * that notices a dead socket (a laptop lid closed and opened again leaves one
 * that still says OPEN).
 *
 *   const socket = new ReconnectingSocket({
 *     url: () => wsUrl, onOpen: () => socket.send(hello(...)), onMessage: handle, onState: show,
 *   });
 *   socket.start();
 */

import { ping } from '../protocol.js';

/** @typedef {'connecting'|'open'|'reconnecting'|'offline'|'stopped'} SocketState */

// First retry soon (a server restart is quick), then back off so a fleet of
// tabs does not hammer a struggling server.
export const BACKOFF_START_MS = 300;
export const BACKOFF_CAP_MS = 5000;
// Ping this often while connected; the server answers every ping with a pong.
export const HEARTBEAT_MS = 10_000;
// No message at all this long after a ping: the socket is dead, start again.
export const HEARTBEAT_TIMEOUT_MS = 6000;
// A handshake that takes longer than this is not going to finish.
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The delay before retry number `attempt` (0-based): 300 ms doubling to 5 s, ±20 %.
 * @param {number} attempt
 * @param {number} random in [0, 1)
 */
export function backoffDelay(attempt, random) {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.8 + 0.4 * random));
}

/**
 * @typedef {object} SocketOptions
 * @property {() => string} url
 * @property {(sentHello: object|null) => void} onOpen the hello already sent on it (an early socket), or null
 * @property {(url: string) => import('./early.js').EarlySocket|null} [adopt] a socket opened for `url`
 *   before this one started (net/early.js): taken over, with what happened on it replayed
 * @property {(data: string, at: number) => void} onMessage  with when it arrived (Date.now()): a message
 *   kept on an early socket is handled later than that
 * @property {(state: SocketState) => void} onState
 * @property {() => Promise<boolean>} [onRefused] the handshake failed: resolve true to stop for good
 * @property {(reason: string) => void} [onGone] the board was deleted: the socket has stopped for good
 */

// Close code the server uses for a session whose link was revoked (app/hub/room.py).
export const LINK_REVOKED = 4403;
// Close code for everyone on a board its facilitator deleted (app/hub/rooms.py): final, with
// the reason to show. No retry: every link of the board is dead, and a retry would ask for nothing.
export const BOARD_DELETED = 4410;

export class ReconnectingSocket {
  /** @param {SocketOptions} options */
  constructor(options) {
    this.options = options;
    /** @type {WebSocket|null} */
    this.ws = null;
    /** @type {SocketState} */
    this.state = 'connecting';
    this.attempt = 0;
    this.lastMessageAt = 0;
    /** @type {ReturnType<typeof setTimeout>|undefined} */
    this._retryTimer = undefined;
    /** @type {ReturnType<typeof setInterval>|undefined} */
    this._heartbeat = undefined;
    this._stopped = true;
    this._onOnline = () => this.wake();
    this._onOffline = () => this._setState(this.isOpen ? 'open' : 'offline');
    this._onVisible = () => {
      if (document.visibilityState === 'visible') this.wake();
    };
  }

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  start() {
    if (!this._stopped) return;
    this._stopped = false;
    window.addEventListener('online', this._onOnline);
    window.addEventListener('offline', this._onOffline);
    document.addEventListener('visibilitychange', this._onVisible);
    this._heartbeat = setInterval(() => this._probe(HEARTBEAT_TIMEOUT_MS), HEARTBEAT_MS);
    this._connect();
  }

  stop() {
    this._stopped = true;
    window.removeEventListener('online', this._onOnline);
    window.removeEventListener('offline', this._onOffline);
    document.removeEventListener('visibilitychange', this._onVisible);
    clearInterval(this._heartbeat);
    clearTimeout(this._retryTimer);
    this._discard();
    this._setState('stopped');
  }

  /**
   * Send one message as JSON; false when not connected (the caller keeps it).
   * @param {object} message
   */
  send(message) {
    if (!this.isOpen || !this.ws) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /** The network or the tab is back: retry now, or check that the open socket still lives. */
  wake() {
    if (this._stopped) return;
    if (this.isOpen) this._probe(HEARTBEAT_TIMEOUT_MS / 2);
    else if (!this.ws) {
      clearTimeout(this._retryTimer);
      this._connect();
    }
  }

  /** Close and connect again at once (e.g. after a rename: hello carries the name). */
  restart() {
    if (this._stopped) return;
    this._discard();
    clearTimeout(this._retryTimer);
    this._connect();
  }

  _connect() {
    if (this._stopped) return;
    let opened = false;
    const url = this.options.url();
    const early = this.options.adopt?.(url) ?? null;
    const ws = early?.ws ?? new WebSocket(url);
    this.ws = ws;
    if (this.state !== 'open' && this.attempt === 0 && this.lastMessageAt === 0) this._setState('connecting');
    const timeout = setTimeout(() => {
      if (this.ws === ws && !opened) this._lost(false);
    }, CONNECT_TIMEOUT_MS);
    ws.onopen = () => {
      opened = true;
      clearTimeout(timeout);
      this.lastMessageAt = Date.now();
      this._setState('open');
      this.options.onOpen(early?.hello ?? null);
    };
    ws.onmessage = (event) => {
      this.lastMessageAt = Date.now();
      // A message means the server accepted us: the next loss starts backing off afresh.
      this.attempt = 0;
      if (typeof event.data === 'string') {
        // A replayed early event carries when it arrived (early.js); a live one arrives now.
        const at = /** @type {{at?: number}} */ (/** @type {unknown} */ (event)).at;
        this.options.onMessage(event.data, at ?? this.lastMessageAt);
      }
    };
    ws.onclose = (event) => {
      clearTimeout(timeout);
      if (this.ws === ws && event.code === BOARD_DELETED) {
        this.stop();
        this.options.onGone?.(event.reason);
        return;
      }
      // 4403: the server closed us because our link was revoked; as good as a refused handshake.
      if (this.ws === ws) this._lost(!opened || event.code === LINK_REVOKED);
    };
    ws.onerror = () => {
      // onclose follows and does the work.
    };
    if (early) this._replay(ws, early.events);
  }

  /**
   * What happened on an adopted socket before it was ours, through our own handlers,
   * in order (the messages that arrive from now on queue behind this task).
   * @param {WebSocket} ws
   * @param {import('./early.js').EarlyEvent[]} events
   */
  _replay(ws, events) {
    for (const event of events) {
      if (this.ws !== ws) return; // dropped meanwhile (a close, a restart)
      const handler = /** @type {((event: any) => void)|null} */ (
        event.type === 'open' ? ws.onopen : event.type === 'message' ? ws.onmessage : ws.onclose);
      handler?.call(ws, event);
    }
  }

  /** @param {boolean} refused the handshake never completed */
  async _lost(refused) {
    this._discard();
    if (this._stopped) return;
    this._setState(navigator.onLine === false ? 'offline' : 'reconnecting');
    if (refused && this.options.onRefused && (await this.options.onRefused())) {
      this.stop();
      return;
    }
    const delay = backoffDelay(this.attempt++, Math.random());
    clearTimeout(this._retryTimer);
    this._retryTimer = setTimeout(() => this._connect(), delay);
  }

  /** Forget the current socket without waiting for a close that may never come. */
  _discard() {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close(4000, 'reconnecting');
    } catch {
      // Already closed.
    }
  }

  /** @param {number} timeout ms to wait for any message after the ping */
  _probe(timeout) {
    if (!this.isOpen) return;
    const ws = this.ws;
    const sentAt = Date.now();
    this.send(ping(sentAt));
    setTimeout(() => {
      if (this.ws === ws && this.lastMessageAt < sentAt) this._lost(false);
    }, timeout);
  }

  /** @param {SocketState} state */
  _setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.options.onState(state);
  }
}
