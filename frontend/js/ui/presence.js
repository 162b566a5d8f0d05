// @ts-check
/**
 * Who is here, top right: a chip with initials in each person's colour, the
 * name on hover; ours is marked "you" and opens the name dialog; anyone else's
 * follows their view (press again to stop). On a narrow screen the chips
 * collapse to a count; the count opens the whole list, where anyone can be
 * followed too.
 *
 *   const presence = new PresenceList(host, () => renameDialog(), (peer) => follow(peer));
 *   presence.render(peers, you, followedPeerId);
 */

import { html } from '../util/dom.js';

/** @typedef {import('../protocol.js').Peer} Peer */

/**
 * How many other people's chips fit beside ours, by the window's width: the
 * tool bar needs the room first (with 13 people, seven chips covered Help at 1280 px).
 * @type {[number, number][]} [from this width, chips]
 */
export const CHIP_BUDGET = [[1800, 6], [1500, 4], [1280, 2], [0, 0]];

/** @param {number} width the window's inner width */
export function chipsFor(width) {
  return (CHIP_BUDGET.find(([from]) => width >= from) ?? [0, 0])[1];
}

// A part of a name in brackets says a role or a team ("Fiona (facilitator)"), not who.
const BRACKETED = /\([^)]*\)|\[[^\]]*\]/gu;
// The first letter or digit of a word: punctuation and symbols are not initials.
const FIRST_LETTER = /[\p{L}\p{N}]/u;

/**
 * The initials a person's chip shows: the first letters of the first and last words.
 *
 *   initials('Ada Lovelace');          // 'AL'
 *   initials('Fiona (facilitator)');   // 'F'
 *   initials('🙂');                    // '🙂': no letters at all, the name's first sign
 *
 * @param {string} name
 */
export function initials(name) {
  const words = name.replace(BRACKETED, ' ').split(/\s+/)
    .map((w) => w.match(FIRST_LETTER)?.[0] ?? '').filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  const found = letters.join('').toUpperCase();
  return found || [...name.trim()][0] || '?';
}

/** @type {Record<string, string>} */
const ROLE = { facilitator: 'facilitator', participant: 'participant', viewer: 'viewer' };

/** @param {number} n */
const people = (n) => `${n} ${n === 1 ? 'person' : 'people'}`;

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
    /** @type {Peer[]} */
    this.peers = [];
    /** @type {Peer|null} */
    this.you = null;
    this.list = html('div', { id: 'people-list', class: 'people-list', role: 'dialog', 'aria-label': 'People on this board', hidden: true }, []);
    document.body.append(this.list);
    document.addEventListener('pointerdown', (e) => {
      const target = /** @type {Node} */ (e.target);
      if (!this.list.hidden && !this.list.contains(target) && !this.host.contains(target)) this.closeList();
    }, true);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this.list.hidden) this.closeList();
    });
    window.addEventListener('resize', () => this.render(this.peers, this.you));
  }

  /**
   * @param {Peer[]} peers
   * @param {Peer|null} you
   * @param {string|null} [followed] the peer whose view we follow
   */
  render(peers, you, followed = this.followed) {
    this.followed = followed;
    this.peers = peers;
    this.you = you;
    const sorted = [...peers].sort((a, b) => Number(b.peer === you?.peer) - Number(a.peer === you?.peer));
    const budget = chipsFor(window.innerWidth) + (sorted[0]?.peer === you?.peer ? 1 : 0);
    // Never "+1": one more chip takes the room the count would.
    const shown = sorted.length <= budget + 1 ? sorted : sorted.slice(0, budget);
    const rest = sorted.length - shown.length;
    const chips = shown.map((p) => this._chip(p, p.peer === you?.peer));
    if (rest) chips.push(this._count(rest, peers.length, shown.length > 1));
    this.host.replaceChildren(...chips);
    // The list keeps its name (tests and screen readers find it by it); the count goes in the tooltip.
    this.host.title = `${people(peers.length)} on this board`;
    this.host.dataset.count = String(peers.length);
    if (!this.list.hidden) this._fillList();
  }

  openList() {
    this._fillList();
    const anchor = this.host.getBoundingClientRect();
    this.list.style.top = `${anchor.bottom + 6}px`;
    this.list.style.right = `${Math.max(8, window.innerWidth - anchor.right)}px`;
    this.list.hidden = false;
    this.host.querySelector('.chip-more')?.setAttribute('aria-expanded', 'true');
  }

  closeList() {
    this.list.hidden = true;
    this.host.querySelector('.chip-more')?.setAttribute('aria-expanded', 'false');
  }

  /** @param {number} rest @param {number} total @param {boolean} some whether other chips show */
  _count(rest, total, some) {
    const text = some ? `+${rest}` : String(total);
    const button = html('button', {
      type: 'button', class: `chip chip-more${some ? '' : ' is-count'}`, 'aria-haspopup': 'dialog',
      'aria-expanded': String(!this.list.hidden), 'aria-controls': 'people-list',
      title: `Everyone here: ${people(total)}`, 'aria-label': `All ${people(total)} on this board`,
    }, [text]);
    if (!some) {
      button.insertAdjacentHTML('afterbegin', '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">'
        + '<circle cx="6" cy="5.5" r="2.5"/><path d="M1.5 13.5a4.5 4.5 0 0 1 9 0M10.5 3.2a2.5 2.5 0 0 1 0 4.6M12 9.6a4.5 4.5 0 0 1 2.5 3.9"/></svg>');
    }
    button.addEventListener('click', () => (this.list.hidden ? this.openList() : this.closeList()));
    return html('span', { role: 'listitem', class: 'chip-slot' }, [button]);
  }

  /** Everyone, as rows: a face, the name and role, and follow for the others. */
  _fillList() {
    const you = this.you;
    const sorted = [...this.peers].sort((a, b) => Number(b.peer === you?.peer) - Number(a.peer === you?.peer)
      || a.name.localeCompare(b.name));
    const rows = sorted.map((peer) => {
      const isYou = peer.peer === you?.peer;
      const face = html('span', { class: 'chip-face', 'aria-hidden': 'true' }, [initials(peer.name)]);
      face.style.setProperty('--peer-color', peer.color);
      const on = this.followed === peer.peer;
      const action = isYou
        ? html('button', { type: 'button', class: 'button people-action', 'data-rename': '' }, ['Rename'])
        : html('button', { type: 'button', class: `button people-action${on ? ' is-on' : ''}`, 'aria-pressed': String(on),
          'data-peer': peer.peer, 'aria-label': `${on ? 'Stop following' : 'Follow'} ${peer.name}` }, [on ? 'Following' : 'Follow']);
      action.addEventListener('click', () => {
        this.closeList();
        if (isYou) this.onRename();
        else this.onFollow(peer.peer);
      });
      const who = html('span', { class: 'people-name' }, [peer.name, isYou ? ' (you)' : '']);
      return html('li', { class: 'people-row' }, [face, html('span', { class: 'people-who' },
        [who, html('span', { class: 'people-role' }, [ROLE[peer.role] ?? peer.role])]), action]);
    });
    this.list.replaceChildren(html('h2', { class: 'people-title' }, [`${people(this.peers.length)} here`]),
      html('ul', { class: 'people-rows' }, rows));
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
