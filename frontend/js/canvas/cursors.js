// @ts-check
/**
 * Everyone else's pointer: a small arrow in their colour with their name,
 * drawn in screen space over the canvas (same size at any zoom).
 *
 *   cursors.update([{peer: 'p3', x: 120, y: 80}]);   // from a transient message
 *   cursors.setPeers(peers);                          // names and colours; leavers vanish
 *   cursors.render();                                 // each frame and after pan/zoom
 *
 * However many transient messages arrive, the pointers move once an animation
 * frame, and only those whose place on screen (or idleness) changed are touched.
 * A pointer that moved in a new message glides there over the time since its
 * previous one (the server sends them 30 times a second, fewer when it is busy),
 * so pointers stay smooth at any pace; a pan or zoom of our own moves them at once.
 */

import { html, svg } from '../util/dom.js';

/**
 * @typedef {import('../protocol.js').Peer} Peer
 * @typedef {{x: number, y: number, at: number, node: HTMLElement, shown: string, idle: boolean, glide: number}} PeerCursor
 *   shown: the transform last set on its node; glide: ms its next move takes (0: at once)
 */

// A pointer that has not moved for this long fades out: its owner went for coffee.
const IDLE_MS = 20_000;
// A glide never takes longer than the slowest pace the server keeps (8 a second):
// a pointer that was still for a while jumps to where it went.
export const LONGEST_GLIDE_MS = 125;

/**
 * How long a pointer takes to reach the place a message gives it: the time since
 * its previous message (a glide as long as the gap keeps it moving without stops).
 * @param {number} previous when its previous message came (ms)
 * @param {number} now
 */
export function glideMs(previous, now) {
  const gap = now - previous;
  return gap > 0 && gap <= LONGEST_GLIDE_MS ? Math.round(gap) : 0;
}

export class Cursors {
  /**
   * @param {HTMLElement} host an overlay the size of the canvas
   * @param {import('./viewport.js').Viewport} viewport
   */
  constructor(host, viewport) {
    this.host = host;
    this.viewport = viewport;
    /** @type {Map<string, PeerCursor>} */
    this.cursors = new Map();
    /** @type {Map<string, Peer>} */
    this.peers = new Map();
    this._frame = 0;
  }

  /** @param {Peer[]} peers */
  setPeers(peers) {
    this.peers = new Map(peers.map((p) => [p.peer, p]));
    for (const [id, cursor] of this.cursors) {
      const peer = this.peers.get(id);
      if (!peer) {
        cursor.node.remove();
        this.cursors.delete(id);
      } else {
        this._dress(cursor.node, peer);
      }
    }
  }

  /** @param {{peer: string, x: number|null, y: number|null}[]} positions */
  update(positions) {
    const now = Date.now();
    for (const { peer, x, y } of positions) {
      const existing = this.cursors.get(peer);
      if (x === null || y === null) {
        existing?.node.remove();
        this.cursors.delete(peer);
        continue;
      }
      const info = this.peers.get(peer);
      if (!info) continue;
      if (existing) Object.assign(existing, { x, y, at: now, glide: glideMs(existing.at, now) });
      else this.cursors.set(peer, { x, y, at: now, node: this._create(info), shown: '', idle: false, glide: 0 });
    }
    if (!this._frame) {
      this._frame = requestAnimationFrame(() => {
        this._frame = 0;
        this.render();
      });
    }
  }

  render() {
    const now = Date.now();
    for (const cursor of this.cursors.values()) {
      const p = this.viewport.toScreen(cursor);
      const shown = `translate(${Math.round(p.x)}px, ${Math.round(p.y)}px)`;
      if (shown !== cursor.shown) {
        cursor.node.classList.toggle('is-gliding', cursor.glide > 0);
        if (cursor.glide) cursor.node.style.setProperty('--glide', `${cursor.glide}ms`);
        cursor.node.style.transform = shown;
        cursor.shown = shown;
      }
      cursor.glide = 0;
      const idle = now - cursor.at > IDLE_MS;
      if (idle !== cursor.idle) {
        cursor.node.classList.toggle('is-idle', idle);
        cursor.idle = idle;
      }
    }
  }

  /** @param {Peer} peer */
  _create(peer) {
    const arrow = svg('svg', { class: 'peer-cursor-arrow', viewBox: '0 0 16 20', width: 16, height: 20, 'aria-hidden': 'true' }, [
      svg('path', { d: 'M 1 1 L 1 16 L 5 12 L 8 19 L 11 17.5 L 8 11 L 14 11 Z' }),
    ]);
    const label = html('span', { class: 'peer-cursor-name' });
    const node = html('div', { class: 'peer-cursor', 'data-peer': peer.peer }, [arrow, label]);
    this._dress(node, peer);
    this.host.append(node);
    return node;
  }

  /** @param {HTMLElement} node @param {Peer} peer */
  _dress(node, peer) {
    node.style.setProperty('--peer-color', peer.color);
    const label = /** @type {HTMLElement} */ (node.querySelector('.peer-cursor-name'));
    if (label.textContent !== peer.name) label.textContent = peer.name;
    node.setAttribute('aria-label', `${peer.name}'s pointer`);
  }
}
