// @ts-check
/**
 * Who is here, top right: a chip with initials in each person's colour, the
 * name on hover; ours is marked "you" and opens the name dialog; anyone else's
 * follows their view (press again to stop).
 *
 *   const presence = new PresenceList(host, () => renameDialog(), (peer) => follow(peer));
 *   presence.render(peers, you, followedPeerId);
 */

import { html } from '../util/dom.js';

/** @typedef {import('../protocol.js').Peer} Peer */

// More chips than this collapse into "+N": the bar stays one tidy row.
const MAX_CHIPS = 7;

/** @param {string} name "Ada Lovelace" -> "AL", "grace" -> "G" */
export function initials(name) {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => [...w][0] ?? '').join('').toUpperCase() || '?';
}

/** @type {Record<string, string>} */
const ROLE = { facilitator: 'facilitator', participant: 'participant', viewer: 'viewer' };

export class PresenceList {
  /**
   * @param {HTMLElement} host
   * @param {() => void} onRename
   * @param {(peer: string) => void} [onFollow]
   */
  constructor(host, onRename, onFollow = () => {}) {
    this.host = host;
    this.onRename = onRename;
    this.onFollow = onFollow;
    /** @type {string|null} */
    this.followed = null;
  }

  /**
   * @param {Peer[]} peers
   * @param {Peer|null} you
   * @param {string|null} [followed] the peer whose view we follow
   */
  render(peers, you, followed = this.followed) {
    this.followed = followed;
    const sorted = [...peers].sort((a, b) => Number(b.peer === you?.peer) - Number(a.peer === you?.peer));
    const shown = sorted.slice(0, MAX_CHIPS);
    const rest = sorted.slice(MAX_CHIPS);
    const chips = shown.map((p) => this._chip(p, p.peer === you?.peer));
    if (rest.length) {
      const names = rest.map((p) => p.name).join(', ');
      chips.push(html('span', { class: 'chip chip-more', role: 'listitem', title: names, 'aria-label': `and ${rest.length} more: ${names}` }, [`+${rest.length}`]));
    }
    this.host.replaceChildren(...chips);
    // The list keeps its name (tests and screen readers find it by it); the count goes in the tooltip.
    this.host.title = `${peers.length} ${peers.length === 1 ? 'person' : 'people'} on this board`;
  }

  /** @param {Peer} peer @param {boolean} isYou */
  _chip(peer, isYou) {
    const label = `${peer.name}${isYou ? ' (you)' : ''}, ${ROLE[peer.role] ?? peer.role}`;
    const face = html('span', { class: 'chip-face', 'aria-hidden': 'true' }, [initials(peer.name)]);
    face.style.setProperty('--peer-color', peer.color);
    if (!isYou) {
      const on = this.followed === peer.peer;
      const follow = html('button', {
        type: 'button', class: `chip${on ? ' is-followed' : ''}`, title: `${label}. ${on ? 'Stop following' : 'Click to follow their view'}`,
        'aria-label': `${label}. ${on ? 'Stop following' : 'Follow their view'}`, 'aria-pressed': String(on), 'data-peer': peer.peer,
      }, [face]);
      follow.addEventListener('click', () => this.onFollow(peer.peer));
      return html('span', { role: 'listitem', class: 'chip-slot' }, [follow]);
    }
    const button = html('button', { type: 'button', class: 'chip chip-you', title: `${label}. Click to change your name`,
      'aria-label': `${label}. Change your name`, 'data-peer': peer.peer }, [face, html('span', { class: 'chip-you-tag' }, ['you'])]);
    button.addEventListener('click', () => this.onRename());
    return html('span', { role: 'listitem', class: 'chip-slot' }, [button]);
  }
}
