// @ts-check
/**
 * This page's live connection to its board: the person's name (asked once),
 * the reconnecting socket, and the protocol session on it. The three are one
 * unit: the session sends on the socket, the socket hands the session what
 * arrives, and a new name reconnects (hello carries it). Nothing flows until
 * `start()`, which asks for a name first when this browser has none, showing the
 * board read over HTTP meanwhile (`preview`), so a newcomer sees the map at once.
 *
 *   const connection = new Connection({ api, role, model, live, store, key, storage,
 *     nameDialog, hooks: hooks.call, notify });
 *   connection.session.submit(ops);
 *   connection.start(pageVersion);
 */

import { PROTOCOL_VERSION } from '../protocol.js';
import { Session } from '../net/session.js';
import { boardSocketUrl, takeEarly } from '../net/early.js';
import { ReconnectingSocket } from '../net/socket.js';
import { showBoardGone, showLinkRefused } from '../ui/delete-board.js';
import { Naming } from './naming.js';

/** @typedef {import('../protocol.js').Role} Role */

/**
 * Whether the page was rendered by a server that speaks another protocol than
 * this script (a deploy between loading the page and its cached script).
 * @param {string|undefined} pageVersion the page's data-protocol-version
 */
export function pageOutdated(pageVersion) {
  return Number(pageVersion ?? PROTOCOL_VERSION) !== PROTOCOL_VERSION;
}

export class Connection {
  /**
   * @param {object} deps
   * @param {import('../net/api.js').BoardApi} deps.api the board and its link's token
   * @param {Role} deps.role the role the page was rendered for
   * @param {import('../model/board.js').BoardModel} deps.model
   * @param {import('../model/live.js').LivePositions} deps.live
   * @param {import('../model/pending-store.js').PendingStore} deps.store
   * @param {string} deps.key this browser's identity key
   * @param {Storage|null} deps.storage where the name is kept
   * @param {HTMLDialogElement} deps.nameDialog
   * @param {import('../net/session.js').SessionHooks} deps.hooks what the session tells the page
   * @param {(message: string) => void} deps.notify an error
   */
  constructor({ api, role, model, live, store, key, storage, nameDialog, hooks, notify }) {
    this.notify = notify;
    this.api = api;
    this.model = model;
    this.hooks = hooks;
    // The socket's callbacks and the name's restart run only after start(), when all three exist.
    this.naming = new Naming({
      storage, dialog: nameDialog, restart: () => this.socket.restart(), mayJustLook: () => role === 'viewer',
    });
    this.socket = new ReconnectingSocket({
      url: () => boardSocketUrl(location, api.boardId, api.token),
      adopt: takeEarly,
      onOpen: (sentHello) => this.session.opened(sentHello),
      onMessage: (data, at) => this.session.received(data, at),
      onState: (state) => this.session.socketChanged(state),
      onRefused: async () => (await api.refusesLink()) && showLinkRefused(),
      onGone: showBoardGone,
    });
    this.session = new Session({
      model, live, store, transport: this.socket, name: () => this.naming.name, key, role, hooks,
    });
  }

  /**
   * Warn when the page is older than this script, ask for a name if needed, then connect.
   * @param {string|undefined} pageVersion the page's data-protocol-version
   */
  async start(pageVersion) {
    if (pageOutdated(pageVersion)) this.notify('Flowmap was updated. Reload the page to keep working safely.');
    // A newcomer sees the map behind the question: the page joins (its hello carries the
    // name) only once named, so the map is read over HTTP meanwhile, without joining.
    if (!this.naming.name) {
      this.session.awaitingName = true; // the status says so, not "Connecting…"
      this.hooks.status(this.session.status);
      void this.preview();
    }
    await this.naming.ensure();
    this.session.awaitingName = false;
    this.socket.start();
  }

  /**
   * Show the board as it is now, read over HTTP, until the welcome brings the live one: the map,
   * and its metrics (the welcome's, for the Flow panel and the ladder), read side by side.
   */
  async preview() {
    const metrics = this.api.get('/metrics').catch(() => null); // the map without them, if need be
    try {
      const state = await this.api.get('');
      const figures = await metrics;
      if (this.session.everWelcomed) return; // joined meanwhile: the live board is shown
      this.model.preview(state);
      if (figures) this.model.setMetrics(figures);
      this.hooks.previewed?.();
    } catch {
      // Not shown yet: the question stays, and the map comes with the welcome.
    }
  }
}
