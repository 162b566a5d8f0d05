// @ts-check
/**
 * What each tool-bar button, each context-bar button and each shortcut does,
 * by name: the bars (ui/toolbar.js, ui/context-bar.js) and the keyboard
 * (ui/keyboard.js) know only the names, the parts built in main.js do the
 * work. A button adds at the middle of the view; a key adds at the pointer
 * when there is one.
 *
 *   new Controls(document.body, toolbarActions(parts), () => overflow.fit());
 *   new ContextBar(overlay, contextActions(parts));
 *   bindShortcuts(shortcutTargets(parts));
 */

/**
 * @typedef {object} ActionParts
 * @property {import('../editor.js').Editor} editor
 * @property {import('../canvas/viewport.js').Viewport} viewport
 * @property {import('../canvas/select.js').SelectTool} select
 * @property {import('../canvas/connect.js').ConnectTool} connect
 * @property {import('../canvas/text-edit.js').TextEdit} textEdit
 * @property {import('./placement.js').Placement} placement
 * @property {import('./running.js').Running} running
 * @property {import('./look.js').LookControl} look
 * @property {import('../ui/validation-panel.js').ValidationPanel} validationPanel
 * @property {import('../ui/tidy-preview.js').TidyPreview} tidyPreview
 * @property {import('../ui/map-panel.js').MapPanel} mapPanel
 * @property {import('../ui/legend.js').Legend} legend
 * @property {{open: () => void}} exportMenu
 * @property {() => void} fit
 * @property {(id: string) => HTMLDialogElement} dialog the page's dialog by id
 */

/**
 * @param {ActionParts} p
 * @returns {Record<string, () => void>} by the buttons' data-action
 */
export function toolbarActions(p) {
  const { editor, viewport, placement, running, look } = p;
  return {
    'add-step': () => placement.addStep(viewport.center()),
    'add-inventory': () => placement.addElement('inventory', viewport.center()),
    'add-note': () => placement.addElement('note', viewport.center()),
    'add-experiment': () => placement.addExperiment(viewport.center()),
    vote: () => p.dialog('vote-dialog').showModal(),
    share: () => p.dialog('share-dialog').showModal(),
    validation: () => p.validationPanel.open(),
    tidy: () => p.tidyPreview.open(),
    lock: () => running.toggleLock(),
    timer: () => p.dialog('timer-dialog').showModal(),
    present: () => running.togglePresenting(),
    'map-settings': () => {
      editor.select([]);
      p.mapPanel.toggle();
    },
    connect: () => {
      const one = editor.single();
      if (one && one.kind !== 'connector') p.connect.startKeys(one.id);
    },
    undo: () => editor.undo(),
    redo: () => editor.redo(),
    help: () => p.dialog('help-dialog').showModal(),
    legend: () => p.legend.open(),
    export: () => p.exportMenu.open(),
    'zoom-in': () => viewport.zoomStep(1),
    'zoom-out': () => viewport.zoomStep(-1),
    'zoom-reset': () => viewport.zoomReset(),
    'zoom-fit': p.fit,
    'far-view': () => look.change({ far: !look.far }),
    cursors: () => look.change({ cursors: !look.cursors }),
  };
}

/**
 * The context bar's buttons act on the selection.
 * @param {ActionParts} p
 */
export function contextActions({ editor, placement }) {
  return {
    color: (/** @type {string} */ c) => editor.setColor(editor.selection, c),
    kind: (/** @type {'flow'|'rework'|'info'} */ k) => {
      if (editor.selection.size === 1) editor.setConnectorKind([...editor.selection][0], k);
    },
    remove: () => editor.remove([...editor.selection]),
    arrange: (/** @type {import('../model/align.js').Arrangement} */ how) => editor.arrange(how),
    next: () => placement.addNextStep(),
  };
}

/**
 * @param {ActionParts} p
 * @returns {import('../ui/keyboard.js').ShortcutTargets}
 */
export function shortcutTargets(p) {
  const { editor, select, connect, textEdit, viewport, placement, look, fit } = p;
  return { editor, select, connect, textEdit, viewport, fit,
    addStep: () => placement.addStep(select.pointer ?? viewport.center()),
    addNextStep: () => placement.addNextStep(),
    addInventory: () => placement.addElement('inventory', select.pointer ?? viewport.center()),
    farView: () => look.change({ far: !look.far }),
    inspect: () => placement.inspectSelected(),
    reach: (id) => placement.reach(id),
    help: () => p.dialog('help-dialog').showModal() };
}
