// @ts-check
/**
 * Keyboard shortcuts on the board page. Typing in a field or a dialog is
 * never a shortcut; browser shortcuts (other than undo/redo/select all) pass.
 *
 *   N add a step · I add inventory · Enter rename · E edit figures · C draw an arrow
 *   Del delete · arrows nudge
 *   Shift+1 zoom to fit · + / - zoom · 0 100 % · Space+drag pan · Ctrl/Cmd+Z undo
 */

/**
 * @typedef {object} ShortcutTargets
 * @property {import('../editor.js').Editor} editor
 * @property {import('../canvas/select.js').SelectTool} select
 * @property {import('../canvas/connect.js').ConnectTool} connect
 * @property {import('../canvas/text-edit.js').TextEdit} textEdit
 * @property {import('../canvas/viewport.js').Viewport} viewport
 * @property {() => void} addStep  at the pointer, or the middle of the view
 * @property {() => void} addInventory  likewise
 * @property {() => void} inspect  put the caret in the side panel
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

/** @param {ShortcutTargets} t */
export function bindShortcuts(t) {
  const { editor, select, connect, textEdit, viewport } = t;
  const root = viewport.scene.root;

  window.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || isTyping(e.target) || document.querySelector('dialog[open]')) return;
    const onButton = Boolean(/** @type {HTMLElement} */ (e.target)?.closest?.('button, a'));
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (mod) {
      if (key === 'z' && editor.canEdit) e.shiftKey ? editor.redo() : editor.undo();
      else if (key === 'y' && editor.canEdit) editor.redo();
      else if (key === 'a' && editor.canEdit) editor.select([...editor.elements().values()].filter((el) => el.kind !== 'connector').map((el) => el.id));
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
      if (select.drag) select.cancelDrag();
      else if (!connect.cancel()) editor.select([]);
      return undefined;
    }
    if (!editor.canEdit) return undefined;
    const single = editor.single();
    if (key === 'n') return done(e, t.addStep);
    if (key === 'i') return done(e, t.addInventory);
    if (key === 'e' && single) return done(e, t.inspect);
    if (key === 'Delete' || key === 'Backspace') return editor.selection.size ? done(e, () => editor.remove([...editor.selection])) : undefined;
    if (key === 'c' && single && single.kind !== 'connector') return done(e, () => connect.startKeys(single.id));
    if (key === 'Enter' && !onButton) {
      if (editor.connecting?.via === 'keys') return done(e, () => connect.confirmKeys());
      if (single && (single.kind === 'step' || single.kind === 'note')) return done(e, () => textEdit.start(single.id));
      return undefined;
    }
    const direction = ARROWS[e.key];
    if (direction) {
      if (editor.connecting?.via === 'keys') return done(e, () => connect.moveTarget(direction));
      if (editor.selection.size) return done(e, () => nudge(editor, direction, e.shiftKey ? NUDGE * 10 : NUDGE));
    }
    return undefined;
  });

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
  const elements = editor.elements();
  const moves = [...editor.selection]
    .map((id) => elements.get(id))
    .filter((el) => el && el.kind !== 'connector')
    .map((el) => ({ id: el?.id ?? '', x: (el?.x ?? 0) + dx, y: (el?.y ?? 0) + dy }));
  editor.move(moves);
}
