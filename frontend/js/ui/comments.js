// @ts-check
/**
 * The comment threads on a step, note or inventory, in the side panel: each
 * with its author and time; replies under the first comment; a box to add one.
 * Comments are board elements (kind "comment"), so they sync, persist and
 * catch up like everything else; the server stamps who wrote them.
 *
 *   const comments = new CommentsSection({create, remove, canEdit, you});
 *   panel.append(comments.root);
 *   comments.render(target, elements);   // each frame
 */

import { elementId } from '../model/ids.js';
import { html } from '../util/dom.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{id: string, kind: string, target: string, parent?: string|null, text?: string,
 *   author?: string, author_id?: string, at?: string}} CommentElement
 * @typedef {object} CommentActions
 * @property {(element: Record<string, unknown>) => void} create
 * @property {(id: string) => void} remove
 * @property {() => boolean} canEdit
 * @property {() => {client: string|null, facilitator: boolean}} you
 */

/**
 * The threads about one element: first comments in time order, each with its replies.
 * @param {Iterable<BoardElement>} elements
 * @param {string} target
 * @returns {{comment: CommentElement, replies: CommentElement[]}[]}
 */
export function threadsOf(elements, target) {
  const all = /** @type {CommentElement[]} */ ([...elements].filter((e) => e.kind === 'comment' && /** @type {any} */ (e).target === target));
  const byTime = (/** @type {CommentElement} */ a, /** @type {CommentElement} */ b) => (a.at ?? '').localeCompare(b.at ?? '') || a.id.localeCompare(b.id);
  return all.filter((c) => !c.parent).sort(byTime).map((comment) => ({
    comment, replies: all.filter((c) => c.parent === comment.id).sort(byTime),
  }));
}

/** @param {string|undefined} at ISO time -> "14:05" today, else "21 Nov 14:05" */
export function when(at) {
  if (!at) return 'just now';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === new Date().toDateString() ? time : `${d.toLocaleDateString([], { day: 'numeric', month: 'short' })} ${time}`;
}

export class CommentsSection {
  /** @param {CommentActions} actions */
  constructor(actions) {
    this.actions = actions;
    this.root = html('section', { class: 'comments', 'aria-label': 'Comments' });
    this._key = '';
    /** @type {string|null} */
    this.target = null;
    /** @type {string|null} the thread a reply is being written to */
    this.replyTo = null;
    /** @type {{target: BoardElement, elements: Map<string, BoardElement>}|null} */
    this._last = null;
    /** @type {Map<string, string>} half-typed words by "target:thread", kept while their box is gone */
    this.drafts = new Map();
  }

  /**
   * @param {BoardElement} target
   * @param {Map<string, BoardElement>} elements all of them, comments included
   */
  render(target, elements) {
    this._last = { target, elements };
    const threads = threadsOf(elements.values(), target.id);
    if (this.target !== target.id) this.replyTo = null;
    const key = JSON.stringify([target.id, threads, this.replyTo, this.actions.canEdit()]);
    if (key === this._key) return;
    // Keep a half-typed comment across a re-render (a peer's comment arriving, say), and
    // while its box is gone: editing paused by the facilitator takes the boxes away, and
    // resumed brings them back with the words in them.
    for (const t of this.root.querySelectorAll('textarea')) {
      this.drafts.set(`${this.target}:${/** @type {HTMLElement} */ (t).dataset.thread ?? ''}`, /** @type {HTMLTextAreaElement} */ (t).value);
    }
    const focused = /** @type {HTMLTextAreaElement|null} */ (this.root.querySelector('textarea:focus'))?.dataset.thread;
    this._key = key;
    this.target = target.id;
    const parts = [html('h3', { class: 'panel-subhead' }, [`Comments${threads.length ? ` (${threads.length})` : ''}`])];
    for (const t of threads) parts.push(this._thread(t));
    if (this.actions.canEdit()) parts.push(this._composer(null));
    this.root.replaceChildren(...parts);
    for (const box of this.root.querySelectorAll('textarea')) {
      const area = /** @type {HTMLTextAreaElement} */ (box);
      area.value = this.drafts.get(`${target.id}:${area.dataset.thread ?? ''}`) ?? '';
      if (focused !== undefined && area.dataset.thread === focused) area.focus();
    }
  }

  /** @param {{comment: CommentElement, replies: CommentElement[]}} thread */
  _thread({ comment, replies }) {
    const box = html('div', { class: 'comment-thread', 'data-thread': comment.id });
    box.append(this._comment(comment, false));
    for (const r of replies) box.append(this._comment(r, true));
    if (this.actions.canEdit()) {
      if (this.replyTo === comment.id) box.append(this._composer(comment.id));
      else {
        const reply = html('button', { type: 'button', class: 'link comment-reply' }, ['Reply']);
        reply.addEventListener('click', () => {
          this.replyTo = comment.id;
          this._key = '';
          if (this._last) this.render(this._last.target, this._last.elements);
          /** @type {HTMLTextAreaElement|null} */ (box.ownerDocument.querySelector(`textarea[data-thread="${comment.id}"]`))?.focus();
        });
        box.append(reply);
      }
    }
    return box;
  }

  /**
   * @param {CommentElement} c
   * @param {boolean} isReply
   */
  _comment(c, isReply) {
    const me = this.actions.you();
    const head = html('div', { class: 'comment-head' }, [
      html('strong', {}, [c.author || 'Someone']), html('span', { class: 'comment-time' }, [when(c.at)]),
    ]);
    if (this.actions.canEdit() && (c.author_id === me.client || me.facilitator)) {
      const del = html('button', { type: 'button', class: 'link comment-delete', 'aria-label': `Delete ${c.author || 'this'} comment` }, ['Delete']);
      del.addEventListener('click', () => this.actions.remove(c.id));
      head.append(del);
    }
    return html('div', { class: `comment${isReply ? ' is-reply' : ''}`, 'data-comment': c.id }, [
      head, html('p', { class: 'comment-text' }, [c.text ?? '']),
    ]);
  }

  /** @param {string|null} parent */
  _composer(parent) {
    const area = html('textarea', {
      class: 'inspector-input comment-input', rows: 2, maxlength: 2000, 'data-thread': parent ?? '',
      'aria-label': parent ? 'Your reply' : 'Add a comment', placeholder: parent ? 'Reply…' : 'Add a comment…',
    });
    const send = html('button', { type: 'button', class: 'button button-primary comment-send' }, [parent ? 'Reply' : 'Comment']);
    const submit = () => {
      const text = area.value.trim();
      if (!text || !this.target) return;
      this.actions.create({ id: elementId('comment'), kind: 'comment', target: this.target, parent, text });
      area.value = '';
      this.replyTo = null;
    };
    send.addEventListener('click', submit);
    area.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
    });
    return html('div', { class: 'comment-composer' }, [area, send]);
  }
}
