// @ts-check
// What the tool bar's buttons and the shortcuts do: every button on the board
// page has an action, every action a button, and adding goes where it should.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { shortcutTargets, toolbarActions } from '../js/controllers/actions.js';

const PAGE = readFileSync(new URL('../../app/templates/board.html', import.meta.url), 'utf8');

/** The data-action of every button outside the dialogs (theirs are the dialogs' own). */
function toolbarButtons() {
  const outside = PAGE.replace(/<dialog[\s\S]*?<\/dialog>/g, '');
  return new Set([...outside.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1]));
}

/** Parts that record what was asked of them. */
function fakeParts({ selected = /** @type {any} */ (null), pointer = /** @type {any} */ (null) } = {}) {
  /** @type {string[]} */
  const did = [];
  const record = (/** @type {string} */ name) => (/** @type {any[]} */ ...args) => { did.push(`${name} ${JSON.stringify(args)}`); };
  const parts = /** @type {any} */ ({
    editor: { single: () => selected, select: record('select'), undo: record('undo'), redo: record('redo') },
    viewport: { center: () => ({ x: 1, y: 2 }), zoomStep: record('zoomStep'), zoomReset: record('zoomReset') },
    select: { pointer }, connect: { startKeys: record('startKeys') }, textEdit: {},
    placement: { addStep: record('addStep'), addElement: record('addElement'), addExperiment: record('addExperiment'),
      addNextStep: record('addNextStep'), inspectSelected: record('inspect') },
    running: { toggleLock: record('lock'), togglePresenting: record('present') },
    look: { far: false, cursors: true, change: record('look') },
    validationPanel: { open: record('validation') }, tidyPreview: { open: record('tidy') },
    mapPanel: { toggle: record('mapPanel') }, legend: { open: record('legend') }, exportMenu: { open: record('export') },
    fit: record('fit'), dialog: (/** @type {string} */ id) => ({ showModal: () => did.push(`open ${id}`) }),
  });
  return { did, parts };
}

test('every button of the tool bar has an action, and every action a button', () => {
  const actions = Object.keys(toolbarActions(fakeParts().parts));
  assert.deepEqual([...toolbarButtons()].sort(), actions.sort());
});

test('a button adds at the middle of the view; a key at the pointer when there is one', () => {
  const { did, parts } = fakeParts({ pointer: { x: 9, y: 9 } });
  toolbarActions(parts)['add-step']();
  shortcutTargets(parts).addStep();
  shortcutTargets(fakeParts().parts).addStep();
  assert.deepEqual(did, ['addStep [{"x":1,"y":2}]', 'addStep [{"x":9,"y":9}]']);
});

test('an arrow starts from the one selected element, never from an arrow', () => {
  const step = fakeParts({ selected: { id: 's-1', kind: 'step' } });
  toolbarActions(step.parts).connect();
  assert.deepEqual(step.did, ['startKeys ["s-1"]']);
  const arrow = fakeParts({ selected: { id: 'c-1', kind: 'connector' } });
  toolbarActions(arrow.parts).connect();
  assert.deepEqual(arrow.did, []);
});

test('map settings clear the selection first: one panel on the right at a time', () => {
  const { did, parts } = fakeParts();
  toolbarActions(parts)['map-settings']();
  assert.deepEqual(did, ['select [[]]', 'mapPanel []']);
});

test('the toggles flip what they say', () => {
  const { did, parts } = fakeParts();
  const actions = toolbarActions(parts);
  actions['far-view']();
  actions.cursors();
  assert.deepEqual(did, ['look [{"far":true}]', 'look [{"cursors":false}]']);
});
