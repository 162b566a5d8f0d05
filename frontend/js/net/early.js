// @ts-check
/**
 * The board's socket, opened while the rest of the page is still arriving.
 *
 * The board page's ~110 modules take a few hundred milliseconds to arrive and
 * run, and only then did the page open its socket and wait for the welcome:
 * ~130 ms more on a 3,000-element map, all of it after the modules. This module
 * and its three small imports arrive first (board.html loads it on its own,
 * async): when this browser already has a name (else the page asks for one
 * first and connects as before), it opens the socket, says the hello the
 * session would say, and keeps what arrives, in order, until the page's socket
 * takes it over. One nobody takes within UNCLAIMED_MS is closed: a page that
 * failed to start must not stay on the board as a person.
 *
 *   const early = takeEarly(url);   // null: none, or it was opened for another address
 *   early.ws; early.hello;          // the socket, and the hello sent on it (null: not open yet)
 *   early.events;                   // what happened on it so far, in order, to replay
 */

import { storedIdentity } from '../model/identity.js';
import { browserStorage } from '../model/recent-boards.js';
import { hello } from '../protocol.js';
import { storedName } from '../ui/name-dialog.js';

// A page takes its socket over once its modules have run: a second or two on a slow
// machine. Past this, the page is not coming.
export const UNCLAIMED_MS = 15_000;

/**
 * @typedef {{type: 'open'} | {type: 'message', data: string, at: number} | {type: 'close', code: number, reason: string}} EarlyEvent
 *   a message keeps when it arrived (Date.now()): the welcome's server clock is read against it
 * @typedef {{url: string, ws: WebSocket, hello: object|null, events: EarlyEvent[]}} EarlySocket
 * @typedef {{protocol: string, host: string, search: string}} PageLocation
 */

/**
 * The board's websocket address, on this page's host, the link's token as its key.
 * @param {{protocol: string, host: string}} page the page's location
 * @param {string} boardId
 * @param {string} token
 */
export function boardSocketUrl(page, boardId, token) {
  const scheme = page.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${page.host}/ws/boards/${encodeURIComponent(boardId)}?token=${encodeURIComponent(token)}`;
}

/** The link's token, from the page's address (as the page's API client reads it). */
export function pageToken(/** @type {{search: string}} */ location) {
  return new URLSearchParams(location.search).get('token') ?? '';
}

/** @type {EarlySocket|null} the socket opened early, until the page takes it */
let waiting = null;

/**
 * Open the board's socket now, if the page can say hello without asking anything;
 * it waits for `takeEarly`.
 * @param {object} env
 * @param {DOMStringMap|undefined} env.page the board page's data (board id, minted identity)
 * @param {PageLocation} env.location
 * @param {Storage|null} env.storage where the name and the identity are kept
 * @param {new (url: string) => WebSocket} env.Socket
 * @param {(run: () => void, ms: number) => unknown} env.later
 * @returns {EarlySocket|null}
 */
export function connectEarly({ page, location, storage, Socket, later }) {
  const name = storedName(storage);
  if (!page?.boardId || !name) return null;
  // The same identity, name and `since` (null: nothing applied yet) as the session's hello.
  const { key } = storedIdentity(storage, { client: page.client ?? '', key: page.key ?? '' });
  const url = boardSocketUrl(location, page.boardId, pageToken(location));
  const ws = new Socket(url);
  /** @type {EarlySocket} */
  const early = { url, ws, hello: null, events: [] };
  ws.onopen = () => {
    early.hello = hello(name, null, key);
    ws.send(JSON.stringify(early.hello));
    early.events.push({ type: 'open' });
  };
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') early.events.push({ type: 'message', data: event.data, at: Date.now() });
  };
  ws.onclose = (event) => early.events.push({ type: 'close', code: event.code, reason: event.reason });
  later(() => {
    if (waiting !== early) return;
    waiting = null;
    ws.onclose = null;
    ws.close(1000, 'the page did not start');
  }, UNCLAIMED_MS);
  waiting = early;
  return early;
}

/**
 * The socket opened early for `url`, once: the caller owns it from now on (and sets
 * its handlers before anything else can happen on it). Null when there is none, or
 * it was opened for another address (then it is closed).
 * @param {string} url
 * @returns {EarlySocket|null}
 */
export function takeEarly(url) {
  const early = waiting;
  waiting = null;
  if (early && early.url !== url) {
    early.ws.onclose = null;
    early.ws.close(1000, 'opened for another address');
    return null;
  }
  return early;
}

// On the board page, at once (the module's own script tag is async, at the end of the body).
if (typeof document !== 'undefined' && document.body?.classList.contains('board-page')) {
  try {
    connectEarly({ page: document.body.dataset, location, storage: browserStorage(), Socket: WebSocket, later: setTimeout });
  } catch {
    waiting = null; // the page connects as it always did
  }
}
