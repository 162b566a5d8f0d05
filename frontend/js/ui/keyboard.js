// @ts-check
/**
 * Keyboard shortcuts on the board page, and copy and paste. Typing in a field
 * or a dialog is never a shortcut; browser shortcuts (other than undo/redo,
 * select all, copy/cut/paste and duplicate) pass.
 *
 *   N add a step · Shift+N add the next step after the selected one · I add inventory
 *   Enter rename (inventory, experiment: open it in the side panel) · E edit figures · C draw an arrow
 *   Del delete · arrows nudge · Esc cancel a drag, a selection box or an arrow, else deselect
 *   A select the selected box's next arrow (Shift+A: back to the box): Tab visits boxes only,
 *     in reading order (left to right, then top to bottom)
 *   Ctrl/Cmd+A select all · +C / +X / +V copy, cut, paste · +D duplicate · +Z undo (Shift: redo)
 *   Shift+1 zoom to fit · + / - zoom · 0 100 % · Space+drag pan
 */

import { boundsOf } from '../model/align.js';
import { boxesOf, isBox, nudgeMoves, opensField } from '../model/boxes.js';
import { PASTE_OFFSET, clipText, copyElements, readClip } from '../model/clipboard.js';
import { nextArrow, walkAnchor } from '../model/arrow-walk.js';
import { readingNeighbours } from '../model/reading-order.js';
import { drawnNode, inDrawnMap } from '../canvas/scene.js';

/**
 * @typedef {object} ShortcutTargets
 * @property {import('../editor.js').Editor} editor
 * @property {import('../canvas/select.js').SelectTool} select
 * @property {import('../canvas/connect.js').ConnectTool} connect
 * @property {import('../canvas/text-edit.js').TextEdit} textEdit
 * @property {import('../canvas/viewport.js').Viewport} viewport
 * @property {() => void} addStep  at the pointer, or the middle of the view
 * @property {() => void} addInventory  likewise
 * @property {() => void} addNextStep  after the selected step, joined by an arrow
 * @property {() => void} [farView]  presentation view on or off
 * @property {() => void} inspect  put the caret in the side panel
 * @property {(id: string) => void} reach  select an element, bring it into view and focus it
 * @property {() => void} fit
 * @property {() => void} help
 */

// One arrow-key press moves the selection this far (Shift: ten times).
const NUDGE = 8;

/** @type {Record<string, 'left'|'right'|'up'|'down'>} */
const ARROWS = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/** @param {EventTarget|null} target */
function isTyping(target) {
  const el = /** @type {HTMLElement|null} */ (target);
  return Boolean(el?.closest?.('input, textarea, select, [contenteditable=""], [contenteditable="true"], dialog'));
}

/** Whether a clipboard event is someone else's: typing, a dialog, or text selected on the page. */
function notOurs(/** @type {Event} */ e) {
  const selected = document.getSelection();
  return isTyping(e.target) || Boolean(document.querySelector('dialog[open]')) || Boolean(selected && !selected.isCollapsed);
}

/** @param {ShortcutTargets} t */
export function bindShortcuts(t) {
  const { editor, select, connect, textEdit, viewport } = t;
  const root = viewport.scene.root;
  const clipboard = bindClipboard(t);
  /** @type {string|null} the box whose arrows A walks (see model/arrow-walk.js) */
  let walked = null;

  window.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || isTyping(e.target) || document.querySelector('dialog[open]')) return;
    if (e.key === 'Tab') return void mapTab(e); // else the browser's Tab
    const onButton = Boolean(/** @type {HTMLElement} */ (e.target)?.closest?.('button, a'));
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (mod) {
      // No preventDefault: the browser's own copy, cut and paste events follow, with the system clipboard.
      if (key === 'c' || key === 'x' || key === 'v') return clipboard.expect(key);
      if (key === 'z' && editor.canEdit) e.shiftKey ? editor.redo() : editor.undo();
      else if (key === 'y' && editor.canEdit) editor.redo();
      else if (key === 'a' && editor.canEdit) editor.select([...editor.elements().values()].filter(isBox).map((el) => el.id));
      else if (key === 'd' && editor.canEdit) clipboard.duplicate();
      else return;
      e.preventDefault();
      return;
    }
    if (e.altKey) return;
    if (e.shiftKey && e.code === 'Digit1') return done(e, t.fit);
    if (key === ' ' && !onButton) {
      select.spaceHeld = true;
      root.classList.add('is-pan-ready');
      return e.preventDefault();
    }
    if (key === '=' || key === '+') return done(e, () => viewport.zoomStep(1));
    if (key === '-' || key === '_') return done(e, () => viewport.zoomStep(-1));
    if (key === '0') return done(e, () => viewport.zoomReset());
    if (key === '?') return done(e, t.help);
    if (key === 'Escape') {
      if (!select.cancel() && !connect.cancel()) editor.select([]);
      return undefined;
    }
    if (key === 'p' && t.farView) return done(e, t.farView); // a view of one's own: viewers too
    const single = editor.single();
    if (key === 'a' && single) { // reading arrows is for viewers too
      walked = walkAnchor(single, walked);
      const to = e.shiftKey ? (single.kind === 'connector' ? walked : null)
        : nextArrow(editor.elements(), walked ?? '', single.kind === 'connector' ? single.id : null)?.id;
      return to ? done(e, () => t.reach(to)) : undefined;
    }
    if (!editor.canEdit) return undefined;
    if (key === 'n' && e.shiftKey && single?.kind === 'step') return done(e, t.addNextStep);
    if (key === 'n') return done(e, t.addStep);
    if (key === 'i') return done(e, t.addInventory);
    if (key === 'e' && single) return done(e, t.inspect);
    if (key === 'Delete' || key === 'Backspace') return editor.selection.size ? done(e, () => editor.remove([...editor.selection])) : undefined;
    if (key === 'c' && single && single.kind !== 'connector') return done(e, () => connect.startKeys(single.id));
    if (key === 'Enter' && !onButton) {
      if (editor.connecting?.via === 'keys') return done(e, () => connect.confirmKeys());
      if (single && isBox(single)) return done(e, () => (opensField(single) ? t.inspect() : textEdit.start(single.id)));
      return undefined;
    }
    const direction = ARROWS[e.key];
    if (direction) {
      if (editor.connecting?.via === 'keys') return done(e, () => connect.moveTarget(direction));
      if (editor.selection.size) return done(e, () => nudge(editor, direction, e.shiftKey ? NUDGE * 10 : NUDGE));
    }
    return undefined;
  });

  /**
   * Tab and Shift+Tab on the map go through its boxes in reading order (model/reading-order.js),
   * not in the page's, which is the order they were made in (and the order they are painted in,
   * so it stays). From the canvas, Tab goes to the first box; from an arrow A reached, on from
   * the box the walk started at; past the last box, on to what follows the map.
   * @param {KeyboardEvent} e
   * @returns {boolean} whether it was the map's: false leaves it to the browser
   */
  function mapTab(e) {
    const at = /** @type {Element|null} */ (document.activeElement);
    if (!at || !inDrawnMap(viewport.scene, at)) { // a box a peer drags is drawn over the map
      // Shift+Tab from after the map lands on the last box in the page: see the focusin below.
      if (e.shiftKey && at && root.compareDocumentPosition(at) & Node.DOCUMENT_POSITION_FOLLOWING) {
        enteringBack = true;
        setTimeout(() => { enteringBack = false; }, 0); // the browser's Tab comes before this
      }
      return false;
    }
    let from = at === root ? null : at.closest('[data-id]')?.getAttribute('data-id') ?? null;
    if (from !== null && editor.elements().get(from)?.kind === 'connector') from = walked;
    if (from === null && e.shiftKey) return false; // from the canvas, back out of the map
    const { before, after } = readingNeighbours(editor.elements(), from);
    const to = e.shiftKey ? before : after;
    if (to === null) {
      if (e.shiftKey) {
        done(e, () => root.focus({ preventScroll: true })); // before the first box: the map itself
        return true;
      }
      // Past the last box: the browser's Tab from the last thing of the map's in the page.
      const last = viewport.scene.live?.root;
      if (from !== null && last instanceof SVGElement) last.focus({ preventScroll: true });
      return false;
    }
    done(e, () => focusBox(to));
    return true;
  }

  // Come back into the map with Shift+Tab, the browser focused the last box in the page's
  // order: it goes to the last in reading order instead.
  let enteringBack = false;
  root.addEventListener('focusin', (e) => {
    if (!enteringBack || e.target === root) return;
    enteringBack = false;
    const last = readingNeighbours(editor.elements(), null).before;
    if (last !== null && last !== /** @type {Element} */ (e.target).getAttribute?.('data-id')) focusBox(last);
  });

  /** @param {string} id a box: focused at once if drawn, else reached (a frame later) */
  function focusBox(id) {
    // Drawn (render.js keeps a selected box's neighbours in reading order drawn): focused at
    // once. Else (far off, culled) selected, brought into view, and focused once drawn.
    const g = drawnNode(viewport.scene, id);
    if (g instanceof SVGElement && !g.classList.contains('is-culled')) g.focus({ preventScroll: true });
    else t.reach(id);
  }

  window.addEventListener('keyup', (e) => {
    if (e.key === ' ') endSpace();
  });
  window.addEventListener('blur', endSpace);

  function endSpace() {
    select.spaceHeld = false;
    root.classList.remove('is-pan-ready');
  }
}

/** @param {KeyboardEvent} e @param {() => void} action */
function done(e, action) {
  e.preventDefault();
  action();
}

/**
 * @param {import('../editor.js').Editor} editor
 * @param {'left'|'right'|'up'|'down'} direction
 * @param {number} distance
 */
function nudge(editor, direction, distance) {
  const [dx, dy] = { left: [-distance, 0], right: [distance, 0], up: [0, -distance], down: [0, distance] }[direction];
  editor.move(nudgeMoves(editor.elements(), editor.selection, dx, dy));
}

/**
 * Copy, cut, paste and duplicate. The copy goes on the system clipboard as
 * Flowmap-tagged JSON through the browser's copy event, so another board (in
 * another tab or window) can paste it; the page keeps the text too, for a
 * browser that fires no clipboard events for a page with nothing selected.
 * @param {ShortcutTargets} t
 */
function bindClipboard({ editor, select, viewport }) {
  /** The last copy made here. @type {string|null} */
  let kept = null;
  /** Keyboard copies and pastes whose clipboard event has not come (yet). */
  const awaited = new Set();
  // Pastes without a pointer step further each time, so copies do not stack up unseen.
  let repeats = 0;

  /** @returns {string|null} the selection as clipboard text, also kept in the page */
  const copy = () => {
    const clip = copyElements(editor.model.view().elements, editor.selection);
    if (!clip) return null;
    kept = clipText(clip);
    repeats = 0;
    return kept;
  };

  /** @param {string|null} text */
  const paste = (text) => {
    const clip = readClip(text);
    if (!clip || !editor.canEdit) return;
    const at = select.pointer;
    if (!at) repeats += 1;
    const ids = editor.paste(clip, at ? { at } : { offset: PASTE_OFFSET * repeats });
    const box = boundsOf(boxesOf(editor.elements().values()).filter((b) => ids.includes(b.id)));
    if (box) viewport.reveal(box);
  };

  /** A cut takes only what it may delete: the rest stays on the board, out of the clipboard
   * (else a paste made copies of what was never taken away), and the page says why. */
  const narrowToDeletable = () => {
    const { ids, why } = editor.deletable([...editor.selection]);
    if (!why) return;
    editor.select(ids);
    editor.notify(`Not cut: ${why}.`);
  };

  /** @param {ClipboardEvent} e @param {boolean} cut */
  const onCopy = (e, cut) => {
    awaited.delete(cut ? 'x' : 'c');
    if (notOurs(e) || (cut && !editor.canEdit)) return;
    if (cut) narrowToDeletable();
    const text = copy();
    if (!text) return;
    e.clipboardData?.setData('text/plain', text);
    e.preventDefault();
    if (cut) editor.remove([...editor.selection]);
  };
  document.addEventListener('copy', (e) => onCopy(e, false));
  document.addEventListener('cut', (e) => onCopy(e, true));
  document.addEventListener('paste', (e) => {
    awaited.delete('v');
    if (notOurs(e)) return;
    const text = e.clipboardData?.getData('text/plain') ?? '';
    // Empty: the browser gave us nothing to read; another app's text is not ours to paste.
    const clip = text ? text : kept;
    if (!readClip(clip)) return;
    e.preventDefault();
    paste(clip);
  });

  return {
    /**
     * A copy, cut or paste key went down: if its clipboard event never comes, do it in the page.
     * @param {'c'|'x'|'v'} key
     */
    expect(key) {
      if (key !== 'v' && !editor.selection.size) return;
      awaited.add(key);
      setTimeout(() => {
        if (!awaited.delete(key)) return;
        if (key === 'v') paste(kept);
        else {
          if (key === 'x' && editor.canEdit) narrowToDeletable();
          const text = copy();
          if (text) navigator.clipboard?.writeText(text).catch(() => {}); // the page keeps it anyway
          if (text && key === 'x' && editor.canEdit) editor.remove([...editor.selection]);
        }
      }, 0);
    },
    /** Copies of the selection a little down and right, selected; the clipboard is left alone. */
    duplicate() {
      const clip = copyElements(editor.model.view().elements, editor.selection);
      if (clip) editor.paste(clip, { offset: PASTE_OFFSET });
    },
  };
}
