// @ts-check
/**
 * What the page does when the session tells it something (net/session.js
 * SessionHooks): the board changed or the status did, so draw again; who is
 * here changed, so the following, the pointers and the presence follow; and
 * each welcome (the first and after every reconnect). The session is built
 * before the parts that listen, so it calls the hooks and they listen here.
 *
 *   const hooks = sessionHooks();
 *   const session = new Session({ ..., hooks: hooks.call });
 *   listenToSession(hooks, { model, editor, cursors, following, totals, framing, header, storage, boardId, notify });
 */

import { namesOf } from '../model/names.js';
import { rememberBoard } from '../model/recent-boards.js';
import { Hooks } from '../util/hooks.js';

/** @typedef {Hooks<Required<import('../net/session.js').SessionHooks>>} SessionHookPoint */

/** @returns {SessionHookPoint} every hook the session calls, none listened to yet */
export function sessionHooks() {
  return new Hooks(['changed', 'status', 'peers', 'cursors', 'welcomed', 'notify', 'views', 'previewed']);
}

/**
 * @typedef {object} Listeners
 * @property {import('../model/board.js').BoardModel} model
 * @property {import('../editor.js').Editor} editor
 * @property {import('../canvas/cursors.js').Cursors} cursors
 * @property {import('./follow.js').Following} following
 * @property {import('../ui/totals.js').TotalsPanel} totals
 * @property {import('./framing.js').Framing} framing
 * @property {import('./header.js').Header} header
 * @property {Storage|null} storage
 * @property {string} boardId
 * @property {(message: string) => void} notify
 */

/**
 * @param {SessionHookPoint} hooks
 * @param {Listeners} p
 */
export function listenToSession(hooks, p) {
  const render = () => p.editor.requestRender();
  hooks.on('changed', render).on('status', render).on('views', render).on('notify', p.notify)
    .on('cursors', (list) => p.cursors.update(list))
    .on('peers', (peers, you) => {
      p.following.peersChanged(peers, you);
      p.cursors.setPeers(peers);
      render();
    })
    .on('welcomed', welcomer(p))
    // The map read before joining, behind the name question: fitted as the first welcome fits
    // it, beside its Flow panel (drawn first: it takes room the fit must leave).
    .on('previewed', () => {
      p.totals.render(p.model.metrics, namesOf(p.editor.elements(), ['step']));
      p.framing.fit({ animate: false });
      render();
    });
}

/**
 * Each welcome: on the first, draw the totals (the panel takes room the fit
 * must leave) and fit the map to the view; every time, show the role the
 * server gave and remember the board for the home page's list.
 * @param {Listeners} p
 * @returns {(you: import('../protocol.js').Peer, first: boolean) => void}
 */
function welcomer({ model, editor, totals, framing, header, storage, boardId }) {
  return (you, first) => {
    if (first) {
      totals.render(model.metrics, namesOf(editor.elements(), ['step']));
      framing.fit({ animate: false });
    }
    header.showRole(you.role);
    rememberBoard(storage, { id: boardId, title: header.title(), role: you.role, url: location.href }, Date.now());
  };
}
