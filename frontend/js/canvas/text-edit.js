// @ts-check
/**
 * Typing a note's text in place: a textarea laid exactly over the note (at
 * any zoom), in the note's colours. Enter commits, Shift+Enter is a new line,
 * Escape cancels, leaving the field commits. Escape on a new element's name before any is
 * typed takes the element back (Editor.withdraw): it was never wanted. While the facilitator has paused
 * editing, committing keeps the field open with its words (saved by the next Enter
 * once editing resumes): the pause comes while people are mid-sentence.
 *
 *   textEdit.start('s-1');            // the field appears over s-1, focused
 *   textEdit.render(elements);        // each frame: follows the note if it moves
 */

import { rectOf } from '../model/geometry.js';
import { html } from '../util/dom.js';
import { PAUSED, changedWhileTyping, deletedWhileTyping } from '../model/unsaved.js';
import { swatch } from './colors.js';

/** @typedef {import('../protocol.js').Element} BoardElement */

// Match the label's metrics in canvas.css so text does not jump when editing starts.
const FONT_SIZE = 14;
const LINE_HEIGHT = 1.3;
const PAD_X = 12;
const PAD_Y = 10;
// The field's words are never smaller than this on screen: a workshop map fitted on half a
// laptop screen or a phone is drawn at 10-20 %, and at the step's own size a new step's
// name was typed in letters 1.4-2.3 px high. Far out the field grows about its step.
const READABLE_PX = 13;
// Kept this far inside the part of the window the panels leave free when it grows past the step.
const EDGE = 8;

export class TextEdit {
  /**
   * @param {object} deps
   * @param {HTMLElement} deps.host positioned over the canvas
   * @param {import('./viewport.js').Viewport} deps.viewport
   * @param {import('../editor.js').Editor} deps.editor
   * @param {() => {left?: number, top?: number, right?: number, bottom?: number}} [deps.room] the
   *   screen the panels cover (controllers/framing.js panelInsets): a grown field keeps off it
   * @param {() => void} [deps.moved] the field opened, moved, grew or closed (messages keep off it)
   */
  constructor({ host, viewport, editor, room = () => ({}), moved = () => {} }) {
    this.host = host;
    this.moved = moved;
    this._where = ''; // where the field stands and how big, as last said to `moved`
    this.viewport = viewport;
    this.editor = editor;
    this.room = room;
    /** @type {HTMLTextAreaElement|null} */
    this.field = null;
    /** @type {string|null} */
    this.id = null;
    /** @type {HTMLElement|null} under the field: someone else changed the text meanwhile */
    this.changed = null;
    this.original = '';
    this.kind = 'step';
    /** Whether the element being named was created for it (Add step, Shift+N, a new note). */
    this.isNew = false;
  }

  get active() {
    return this.field !== null;
  }

  /**
   * @param {string} id a step or note
   * @param {{isNew?: boolean}} [opts]
   */
  start(id, opts = {}) {
    if (!this.editor.canEdit) return;
    this.commit();
    const el = this.editor.elements().get(id);
    if (!el || el.kind === 'connector') return;
    const kind = el.kind === 'note' ? 'Note' : 'Step';
    const field = html('textarea', {
      class: 'text-editor', 'aria-label': `${kind} text`, spellcheck: 'true', 'data-editing': id,
    });
    field.value = el.text ?? '';
    field.placeholder = opts.isNew ? 'Name this step' : '';
    this.field = field;
    this.id = id;
    this.original = field.value;
    this.kind = el.kind;
    this.isNew = Boolean(opts.isNew);
    this.editor.editing = id;
    field.addEventListener('keydown', (e) => this._key(e));
    field.addEventListener('input', () => this._center());
    field.addEventListener('blur', () => this.commit());
    this.host.append(field);
    this._place(el);
    field.focus({ preventScroll: true });
    field.select();
    this.editor.requestRender();
  }

  commit() {
    const { field, id } = this;
    if (!field || !id) return;
    if (!this.editor.canEdit) {
      if (field.value !== this.original) this.editor.notify(PAUSED);
      else this.cancel();
      return;
    }
    this._close();
    if (field.value !== this.original) this.editor.setText(id, field.value);
  }

  cancel() {
    if (this._close()) this.editor.requestRender();
  }

  /** @param {Map<string, BoardElement>} elements */
  render(elements) {
    if (!this.field || !this.id) return;
    const el = elements.get(this.id);
    if (!el) return this._deleted(); // deleted by someone else while we typed
    this._sayChanged(el.text ?? '');
    this._place(el);
  }

  /** Its element is gone: the field goes, saying what was typed in it and is not saved. */
  _deleted() {
    const { field, id } = this;
    const typed = field?.value.trim() ?? '';
    this.cancel();
    if (id && typed && typed !== this.original.trim()) {
      this.editor.notify(deletedWhileTyping({ kind: this.kind, text: this.original }, `“${typed}”`));
    }
  }

  /**
   * Say under the field that someone else changed the text to `theirs` while it was typed
   * in (their Enter would otherwise replace it unknowingly), or take the word away.
   * @param {string} theirs
   */
  _sayChanged(theirs) {
    if (theirs === this.original) {
      this.changed?.remove();
      this.changed = null;
      return;
    }
    if (!this.changed) {
      this.changed = html('p', { class: 'text-editor-changed', role: 'status', 'data-changed-while-typing': 'text' });
      this.host.append(this.changed);
    }
    const words = changedWhileTyping(theirs);
    if (this.changed.textContent !== words) {
      this.changed.textContent = words;
      this._where = ''; // placed anew under the field
    }
  }

  _close() {
    this.changed?.remove();
    this.changed = null;
    const field = this.field;
    if (!field) return false;
    this.field = null;
    this.id = null;
    this.editor.editing = null;
    field.remove();
    this.viewport.scene.root.focus({ preventScroll: true });
    this._where = '';
    this.moved();
    return true;
  }

  /** @param {KeyboardEvent} e */
  _key(e) {
    e.stopPropagation(); // typing is not a shortcut
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.commit();
      this.editor.requestRender();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      const { id, isNew, field } = this;
      this.cancel();
      if (isNew && id && !this.original && !field?.value.trim()) this.editor.withdraw(id);
    }
  }

  /** @param {BoardElement} el */
  _place(el) {
    const field = this.field;
    if (!field) return;
    const r = rectOf(el);
    const k = this.scale();
    const seen = this.viewport.toScreen(r);
    const grown = (k - this.viewport.k) / 2; // canvas units the field spreads each way, per unit
    const w = r.w * k;
    const h = r.h * k;
    const free = grown > 0 ? this.room() : {};
    const p = {
      x: clamp(seen.x - r.w * grown, (free.left ?? 0) + EDGE, this.host.clientWidth - (free.right ?? 0) - w - EDGE, grown > 0),
      y: clamp(seen.y - r.h * grown, (free.top ?? 0) + EDGE, this.host.clientHeight - (free.bottom ?? 0) - h - EDGE, grown > 0),
    };
    const s = swatch(el.color, el.kind === 'note' ? 'pink' : 'yellow');
    const style = field.style;
    style.transform = `translate(${p.x}px, ${p.y}px)`;
    style.width = `${w}px`;
    style.height = `${h}px`;
    field.dataset.box = String(h); // the element's height: the field grows from it
    style.fontSize = `${FONT_SIZE * k}px`;
    style.lineHeight = String(LINE_HEIGHT);
    style.paddingLeft = style.paddingRight = `${PAD_X * k}px`;
    style.borderRadius = `${8 * k}px`;
    style.background = s.fill;
    style.borderColor = s.border;
    this._center();
  }

  /** Screen pixels per canvas unit for the field: the view's, or more when that is unreadable. */
  scale() {
    return Math.max(this.viewport.k, READABLE_PX / FONT_SIZE);
  }

  /**
   * Keep the text vertically centred, as the label draws it; and when it is more than the
   * box holds, grow the field down with it, as the note will grow once the text is in:
   * a fixed field scrolled, and the first lines of a long note went out of sight.
   */
  _center() {
    const field = this.field;
    if (!field) return;
    const k = this.scale();
    const box = parseFloat(field.dataset.box ?? field.style.height);
    field.style.paddingTop = field.style.paddingBottom = `${PAD_Y * k}px`;
    field.style.height = '0px';
    const content = field.scrollHeight - 2 * PAD_Y * k;
    const borders = field.offsetHeight - field.clientHeight;
    field.style.height = `${Math.max(box, content + 2 * PAD_Y * k + borders)}px`;
    field.style.paddingTop = `${Math.max(PAD_Y * k, (box - content) / 2)}px`;
    const where = `${field.style.transform} ${field.style.width} ${field.style.height}`;
    if (where === this._where) return;
    this._where = where;
    if (this.changed) {
      const at = field.style.transform.match(/translate\(([-\d.e]+)px, ([-\d.e]+)px\)/);
      const x = Number(at?.[1] ?? 0);
      const y = Number(at?.[2] ?? 0) + field.offsetHeight + 6;
      this.changed.style.transform = `translate(${Math.max(EDGE, x)}px, ${y}px)`;
    }
    this.moved();
  }
}

/**
 * `value` kept between `low` and `high` when `keep` (a field grown past its step stays in
 * the free part of the window, clear of the panels); at the view's own size it stays exactly
 * over its element, wherever that is.
 * @param {number} value
 * @param {number} low
 * @param {number} high
 * @param {boolean} keep
 */
function clamp(value, low, high, keep) {
  return keep ? Math.max(low, Math.min(value, high)) : value;
}
