// @ts-check
/**
 * Small marks on the notes: how many comments a step or note has, and the dots
 * of a vote. While a vote is open each person sees only their own dots (so
 * nobody follows the crowd); once the facilitator closes it, everyone sees the
 * totals.
 *
 *   const badges = new Badges(scene, {takeBack: (dotId) => ...});
 *   const marks = badgeModel(allElements, 'c-1');   // once a frame, shared with the vote panel
 *   badges.render(marks, drawnElements);
 */

import { rectOf } from '../model/geometry.js';
import { svg } from '../util/dom.js';
import { LastInputs } from './unchanged.js';

/** @typedef {import('../protocol.js').Element} BoardElement */

const DOT_R = 7;
const DOT_GAP = 4;

// badgeModel's answer per board view. The model builds a new view whenever anything
// changes, and a frame that changed nothing (a pan, a remote pointer) asks again.
/** @type {WeakMap<Map<string, BoardElement>, {client: string|null, model: ReturnType<typeof countMarks>}>} */
const answers = new WeakMap();

/**
 * What to draw: comment counts per element; the open vote's own dots, or a closed vote's totals.
 * The same view and client give the same (unchanged) answer.
 * @param {Map<string, BoardElement>} all every element, comments and dots included
 * @param {string|null} client this browser's id
 */
export function badgeModel(all, client) {
  const known = answers.get(all);
  if (known && known.client === client) return known.model;
  const model = countMarks(all, client);
  answers.set(all, { client, model });
  return model;
}

/**
 * @param {Map<string, BoardElement>} all
 * @param {string|null} client
 */
function countMarks(all, client) {
  /** @type {Map<string, number>} */
  const comments = new Map();
  /** @type {any[]} */
  const votes = [];
  /** @type {any[]} */
  const dots = [];
  // A dot's target comes before it (it was there when the dot was placed): one that does
  // not is gone, or made again since under its id, and the dot is on nothing (the server's
  // rule: app/domain/collab.py stranded).
  /** @type {Set<string>} */
  const before = new Set();
  /** @type {Set<string>} */
  const onNothing = new Set();
  for (const el of all.values()) {
    const e = /** @type {any} */ (el);
    if (e.kind === 'comment') comments.set(e.target, (comments.get(e.target) ?? 0) + 1);
    else if (e.kind === 'vote') votes.push(e);
    else if (e.kind === 'dot') {
      dots.push(e);
      if (!before.has(e.target)) onNothing.add(e.id);
    }
    before.add(e.id);
  }
  const vote = latestVote(votes);
  /** @type {Map<string, {mine: string[], total: number}>} */
  const marks = new Map();
  /** @type {Map<string, number>} who has placed dots in this vote, and how many */
  const voters = new Map();
  /** @type {string[]} this person's dots in the vote left on nothing by a delete */
  const stranded = [];
  if (vote) {
    for (const d of dots) {
      if (d.vote !== vote.id) continue;
      voters.set(d.author_id, (voters.get(d.author_id) ?? 0) + 1);
      if (d.target === null || d.target === undefined) continue; // someone else's, sealed
      if (vote.open !== false && onNothing.has(d.id)) { // closed, the server dropped those
        if (d.author_id === client) stranded.push(d.id);
        continue;
      }
      const m = marks.get(d.target) ?? { mine: [], total: 0 };
      m.total += 1;
      if (d.author_id === client) m.mine.push(d.id);
      marks.set(d.target, m);
    }
  }
  return { comments, vote, marks, voters, stranded };
}

/** @param {any[]} votes the open one if any, else the last created (ids sort by nothing useful: keep order) */
export function latestVote(votes) {
  return votes.find((v) => v.open !== false) ?? votes[votes.length - 1] ?? null;
}

export class Badges {
  /**
   * @param {import('./scene.js').Scene} scene
   * @param {{takeBack: (dotId: string) => void}} actions
   */
  constructor(scene, actions) {
    this.g = svg('g', { class: 'badges' });
    scene.annotations.append(this.g);
    this._key = '';
    this._last = new LastInputs();
    this.g.addEventListener('pointerdown', (e) => {
      const dot = /** @type {Element} */ (e.target).closest('[data-dot]')?.getAttribute('data-dot');
      if (!dot) return;
      e.stopPropagation();
      actions.takeBack(dot);
    });
  }

  /**
   * @param {ReturnType<typeof badgeModel>} model
   * @param {Map<string, BoardElement>} drawn
   */
  render({ comments, vote, marks }, drawn) {
    if (this._last.same(comments, vote, marks, drawn)) return;
    const open = Boolean(vote && vote.open !== false);
    const rects = [...new Set([...comments.keys(), ...marks.keys()])].map((id) => [id, drawn.get(id)])
      .filter(([, el]) => el).map(([id, el]) => [id, rectOf(/** @type {BoardElement} */ (el))]);
    const key = JSON.stringify([rects, [...comments], [...marks], open]);
    if (key === this._key) return;
    this._key = key;
    const out = [];
    for (const [id, r] of /** @type {[string, {x: number, y: number, w: number, h: number}][]} */ (rects)) {
      const count = comments.get(id);
      if (count) out.push(bubble(r, count, id));
      const m = marks.get(id);
      if (m) out.push(...(open ? ownDots(r, m.mine) : [tally(r, m.total, id)]));
    }
    this.g.replaceChildren(...out);
  }
}

/** @param {{x: number, y: number, w: number}} r @param {number} count @param {string} id */
function bubble(r, count, id) {
  const x = r.x + r.w - 10;
  const y = r.y - 10;
  return svg('g', { class: 'comment-badge', transform: `translate(${x} ${y})`, 'data-comments-on': id }, [
    svg('title', {}, [`${count} comment${count === 1 ? '' : 's'}`]),
    svg('path', { d: 'M -11 -9 h 22 a 4 4 0 0 1 4 4 v 10 a 4 4 0 0 1 -4 4 h -12 l -5 5 v -5 h -5 a 4 4 0 0 1 -4 -4 v -10 a 4 4 0 0 1 4 -4 z' }),
    svg('text', { x: 0, y: 4, 'text-anchor': 'middle' }, [String(count)]),
  ]);
}

/** @param {{x: number, y: number, h: number}} r @param {string[]} mine */
function ownDots(r, mine) {
  return mine.map((id, i) => svg('circle', {
    class: 'vote-dot is-mine', 'data-dot': id, r: DOT_R,
    cx: r.x + 12 + i * (2 * DOT_R + DOT_GAP), cy: r.y + r.h - 12,
  }, [svg('title', {}, ['Your dot: click to take it back'])]));
}

/** @param {{x: number, y: number, h: number}} r @param {number} total @param {string} id */
function tally(r, total, id) {
  return svg('g', { class: 'vote-tally', transform: `translate(${r.x + 16} ${r.y + r.h - 14})`, 'data-votes-on': id }, [
    svg('title', {}, [`${total} dot${total === 1 ? '' : 's'}`]),
    svg('circle', { r: 12 }),
    svg('text', { x: 0, y: 4.5, 'text-anchor': 'middle' }, [String(total)]),
  ]);
}
