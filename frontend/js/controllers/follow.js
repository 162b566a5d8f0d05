// @ts-check
/**
 * Following: this page shows what someone else sees. A click on a person in
 * the presence list follows them (again: stops); everyone follows the
 * presenter unless they stopped. Each frame the page moves to the leader's
 * view and tells the others what it sees now. Who leads is model/follow.js.
 *
 *   const following = new Following({ model, session, viewport, presenceRoot, rename, requestRender });
 *   following.peersChanged(peers, you);   // the session's peers hook
 *   following.update();                   // each frame
 *   following.leader();                   // the peer id followed, or null
 */

import { viewMoved, whomToFollow } from '../model/follow.js';
import { PresenceList } from '../ui/presence.js';

/** @typedef {import('../protocol.js').Peer} Peer */

export class Following {
  /**
   * @param {object} deps
   * @param {import('../model/board.js').BoardModel} deps.model
   * @param {import('../net/session.js').Session} deps.session
   * @param {import('../canvas/viewport.js').Viewport} deps.viewport
   * @param {HTMLElement} deps.presenceRoot the header's list of people, where following is chosen
   * @param {() => void} deps.rename a click on your own name
   * @param {() => void} deps.requestRender
   */
  constructor({ model, session, viewport, presenceRoot, rename, requestRender }) {
    this.model = model;
    this.session = session;
    this.viewport = viewport;
    this.requestRender = requestRender;
    /** @type {string|null} a peer this page chose to follow */
    this.chosen = null;
    /** the presenter this page stopped following, or '' */
    this.leftPresenter = '';
    /** @type {{x: number, y: number, w: number, h: number}|null} the view last told to peers */
    this.told = null;
    /** a timer that will tell the peers this page's view, or 0 */
    this._telling = 0;
    this.presence = new PresenceList(presenceRoot, rename, (peer) => this.toggle(peer));
  }

  /** The peer whose view this page follows now, if any. */
  leader() {
    return whomToFollow({ chosen: this.chosen, presenter: this.presenter(), leftPresenter: this.leftPresenter,
      peers: this.session.peers, you: this.session.you });
  }

  /** The leader's name for the session bar ("Following Ada"), or null. */
  leaderName() {
    const peer = this.leader();
    return peer ? this.session.peers.find((p) => p.peer === peer)?.name ?? 'someone' : null;
  }

  /** @param {string} peer a click on them in the presence list: follow, or stop when already following */
  toggle(peer) {
    if (this.chosen === peer || this.leader() === peer) this.stop();
    else this.chosen = peer;
    this.requestRender();
  }

  /** Stop following anyone, the presenter included (until another presenter starts). */
  stop() {
    this.chosen = null;
    this.leftPresenter = this.presenter();
    this.requestRender();
  }

  /**
   * @param {Peer[]} peers
   * @param {Peer|null} you
   */
  peersChanged(peers, you) {
    this.presence.render(peers, you, this.leader());
  }

  /** Follow whoever we follow; tell the others what we see when it changed (soon: see tellSoon). */
  update() {
    const leader = this.leader();
    const target = leader ? this.session.views.get(leader) : undefined;
    if (target) this.viewport.show(target);
    if (leader !== this.presence.followed) this.presence.render(this.session.peers, this.session.you, leader);
    this.tellSoon();
  }

  /**
   * Tell the others what this page sees, once this frame is drawn. What it sees depends on
   * where the panels are (panelInsets measures them): read in the middle of a frame whose
   * drawing changed the map, that forced the browser to lay out the whole page then and
   * again at the frame's end (on a 3,000-element map with 40 people moving, ~2.4 ms a
   * frame). Once the frame is drawn, the layout is there to read.
   */
  tellSoon() {
    if (this._telling) return;
    this._telling = setTimeout(() => {
      this._telling = 0;
      const seen = this.viewport.seen();
      if (viewMoved(this.told, seen)) {
        this.told = seen;
        this.session.view(seen);
      }
    }, 0);
  }

  /** @returns {string} */
  presenter() {
    return String(this.model.view().frame.presenter ?? '');
  }
}
