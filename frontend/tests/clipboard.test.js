// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CLIP_TYPE, PASTE_OFFSET, clipText, copyElements, pasteEdits, readClip } from '../js/model/clipboard.js';

/** @typedef {import('../js/protocol.js').Element} BoardElement */

const board = () => new Map(/** @type {[string, BoardElement][]} */ ([
  ['s-1', { id: 's-1', kind: 'step', x: 0, y: 0, w: 168, h: 96, text: 'Build', color: 'yellow', wait_minutes: 60, waste: ['waiting'] }],
  ['s-2', { id: 's-2', kind: 'step', x: 300, y: 0, w: 168, h: 96, text: 'Test', color: 'blue' }],
  ['s-3', { id: 's-3', kind: 'step', x: 600, y: 0, w: 168, h: 96, text: 'Ship' }],
  ['c-12', { id: 'c-12', kind: 'connector', source: 's-1', target: 's-2', connector: 'rework', rework_rate: 0.2 }],
  ['c-23', { id: 'c-23', kind: 'connector', source: 's-2', target: 's-3', connector: 'flow' }],
  ['k-1', /** @type {BoardElement} */ (/** @type {unknown} */ ({ id: 'k-1', kind: 'comment', target: 's-1', text: 'hm' }))],
]));

/** Ids like the page makes them, but predictable. */
function counter() {
  let n = 0;
  return (/** @type {string} */ kind) => `${kind[0]}-new${++n}`;
}

test('a copy holds the selected boxes and the arrows between them', () => {
  const clip = copyElements(board(), ['s-1', 's-2']);
  assert.ok(clip);
  assert.equal(clip.type, CLIP_TYPE);
  assert.deepEqual(clip.elements.map((el) => el.id), ['s-1', 's-2', 'c-12']);
});

test('arrows to elements left behind, comments and server-stamped fields are not copied', () => {
  const elements = board();
  elements.set('s-2', /** @type {BoardElement} */ ({ ...elements.get('s-2'), provenance: { text: { by: 'Ada' } }, author: 'Ada' }));
  const clip = copyElements(elements, ['s-2', 'c-23', 'k-1']);
  assert.ok(clip);
  assert.deepEqual(clip.elements.map((el) => el.id), ['s-2']);
  assert.deepEqual(Object.keys(clip.elements[0]).sort(), ['color', 'h', 'id', 'kind', 'text', 'w', 'x', 'y']);
});

test('nothing copyable gives no copy', () => {
  assert.equal(copyElements(board(), ['c-12']), null);
  assert.equal(copyElements(board(), []), null);
});

test('pasting makes new ids and rewires the arrow to the copies', () => {
  const clip = /** @type {NonNullable<ReturnType<typeof copyElements>>} */ (copyElements(board(), ['s-1', 's-2']));
  const { edits, ids } = pasteEdits(clip, { newId: counter() });
  assert.deepEqual(ids, ['s-new1', 's-new2', 'c-new3']);
  assert.ok(edits.every((e) => e.op === 'create'));
  const made = edits.map((e) => (e.op === 'create' ? e.element : null));
  assert.deepEqual(made[2], { id: 'c-new3', kind: 'connector', source: 's-new1', target: 's-new2', connector: 'rework', rework_rate: 0.2 });
  // Everything else about a step comes along.
  assert.equal(made[0]?.text, 'Build');
  assert.deepEqual(made[0]?.waste, ['waiting']);
  assert.equal(made[0]?.wait_minutes, 60);
});

test('without a pointer the copies land a little down and right of the originals', () => {
  const clip = /** @type {NonNullable<ReturnType<typeof copyElements>>} */ (copyElements(board(), ['s-1', 's-2']));
  const { edits } = pasteEdits(clip, { newId: counter() });
  const at = edits.map((e) => (e.op === 'create' ? [e.element.x, e.element.y] : null)).slice(0, 2);
  assert.deepEqual(at, [[PASTE_OFFSET, PASTE_OFFSET], [300 + PASTE_OFFSET, PASTE_OFFSET]]);
});

test('at the pointer the group is centred on it, keeping its shape', () => {
  const clip = /** @type {NonNullable<ReturnType<typeof copyElements>>} */ (copyElements(board(), ['s-1', 's-2']));
  // The group spans x 0..468, y 0..96: its centre (234, 48) goes to the pointer.
  const { edits } = pasteEdits(clip, { at: { x: 1000, y: 500 }, newId: counter() });
  const at = edits.map((e) => (e.op === 'create' ? [e.element.x, e.element.y] : null)).slice(0, 2);
  assert.deepEqual(at, [[766, 452], [1066, 452]]);
});

test('the text form reads back as the same copy, and other text reads as nothing', () => {
  const clip = copyElements(board(), ['s-1', 's-2']);
  assert.ok(clip);
  assert.deepEqual(readClip(clipText(clip)), clip);
  assert.equal(readClip('Build, then Test'), null);
  assert.equal(readClip('{"type": "something/else", "version": 1, "elements": []}'), null);
  assert.equal(readClip('{not json'), null);
  assert.equal(readClip(''), null);
});

test('a tampered clip keeps only boxes and arrows whose ends it holds', () => {
  const text = JSON.stringify({ type: CLIP_TYPE, version: 1, elements: [
    { id: 's-1', kind: 'step', x: 0, y: 0 },
    { id: 'c-1', kind: 'connector', source: 's-1', target: 's-missing' },
    { id: 'x', kind: 'vote', text: 'no' },
    null,
  ] });
  assert.deepEqual(readClip(text)?.elements.map((el) => el.id), ['s-1']);
});
