// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { DEFAULTS, KINDS } from '../js/protocol.js';
import { SHAPE_KINDS } from '../js/model/board.js';
import {
  BOX_KINDS, MAX_BOX, MIN_BOX, boxOf, boxesOf, canResize, clampSize, footprintOf, isBox, nudgeMoves, opensField,
  roomsBelow, storedRect,
} from '../js/model/boxes.js';
import { arrange, touching } from '../js/model/align.js';
import { copyElements, pasteEdits } from '../js/model/clipboard.js';
import { hitTest } from '../js/model/geometry.js';
import { snap } from '../js/model/snap.js';
import { lineCount, NOTE_TEXT, textHeight } from '../js/model/text-fit.js';

/** @typedef {import('../js/protocol.js').Element} Element */

// Every kind the canvas draws as a shape, one of each, side by side.
const shapes = KINDS.filter((kind) => SHAPE_KINDS.has(kind) && kind !== 'connector')
  .map((kind, i) => /** @type {Element} */ ({ id: `${kind}-1`, kind: /** @type {any} */ (kind), x: i * 400, y: 0 }));

test('every shape kind of the protocol but the arrow is a box, and every box kind is a shape', () => {
  assert.ok(shapes.length >= 4);
  assert.deepEqual([...BOX_KINDS].sort(), shapes.map((el) => el.kind).sort());
  assert.equal(isBox({ kind: 'connector' }), false);
  for (const kind of ['comment', 'estimate', 'vote', 'dot']) assert.equal(isBox({ kind }), false, kind);
});

test('every box kind nudges with the arrow keys', () => {
  const elements = new Map(shapes.map((el) => [el.id, el]));
  const moves = nudgeMoves(elements, elements.keys(), 8, -80);
  assert.deepEqual(moves, shapes.map((el) => ({ id: el.id, x: (el.x ?? 0) + 8, y: -80 })));
});

test('every box kind is caught by a selection box, lines up, and copies', () => {
  const boxes = boxesOf(shapes);
  assert.deepEqual(touching(boxes, { x: -10, y: -10, w: 4000, h: 20 }).sort(), shapes.map((el) => el.id).sort());
  const lined = arrange(boxes.map((b, i) => ({ ...b, y: i * 10 })), 'top');
  assert.equal(lined.length, shapes.length - 1); // all but the top one move up
  const clip = copyElements(new Map(shapes.map((el) => [el.id, el])), shapes.map((el) => el.id));
  assert.equal(clip?.elements.length, shapes.length);
  let n = 0;
  const pasted = pasteEdits(/** @type {any} */ (clip), { newId: (kind) => `${kind}-copy-${n++}` });
  assert.equal(pasted.ids.length, shapes.length);
});

test('an experiment card is hit, and snapped to, by its box', () => {
  const card = shapes.find((el) => el.kind === 'experiment');
  assert.ok(card);
  const r = boxOf(card);
  assert.equal(hitTest(shapes, { x: r.x + 10, y: r.y + r.h - 2 })?.id, card.id);
  const s = snap({ x: r.x + 3, y: 500, w: 50, h: 50 }, [r], 6);
  assert.equal(s.dx, -3);
});

test('notes, hypotheses, kaizen bursts and experiment cards resize; steps and inventory do not', () => {
  assert.deepEqual(BOX_KINDS.filter((kind) => canResize({ kind })).sort(), ['experiment', 'note']);
  assert.deepEqual(clampSize(10, 5000), { w: MIN_BOX.w, h: MAX_BOX.h });
  assert.deepEqual(clampSize(200.4, 150.6), { w: 200, h: 151 });
});

test('a note with a few words keeps its stored size', () => {
  const note = /** @type {Element} */ ({ id: 'n', kind: 'note', x: 10, y: 20, text: 'Who signs this off?' });
  assert.deepEqual(boxOf(note), { x: 10, y: 20, w: DEFAULTS.note.w, h: DEFAULTS.note.h });
});

test('a long note grows downwards to fit its text; a wider one grows less', () => {
  const text = 'Release approvals wait for the weekly change board, so a fix that is ready on Monday ships the '
    + 'following Thursday; ask whether low-risk changes could be pre-approved instead';
  const note = /** @type {Element} */ ({ id: 'n', kind: 'note', x: 0, y: 0, text });
  const tall = boxOf(note);
  assert.equal(tall.w, 168);
  assert.ok(tall.h > 200, `${tall.h}`);
  const wide = boxOf({ ...note, w: 400 });
  assert.ok(wide.h < tall.h && wide.h >= DEFAULTS.note.h);
  // The stored size stays the minimum: a big note with little text keeps its size.
  assert.deepEqual(boxOf({ ...note, text: 'x', w: 300, h: 400 }), { x: 0, y: 0, w: 300, h: 400 });
  assert.deepEqual(storedRect(note), { x: 0, y: 0, w: 168, h: 120 });
});

test('a kaizen burst and an experiment card grow to fit too', () => {
  const words = 'word '.repeat(60).trim();
  for (const el of [{ kind: 'note', variant: 'kaizen', text: words }, { kind: 'experiment', text: words }]) {
    const box = boxOf(/** @type {Element} */ ({ id: 'x', x: 0, y: 0, ...el }));
    assert.ok(box.h > 200, `${el.kind}: ${box.h}`);
  }
});

test('a step takes the room of its data box under it', () => {
  const step = /** @type {Element} */ ({ id: 's', kind: 'step', x: 0, y: 0 });
  const bare = footprintOf(step);
  assert.equal(bare.h, 96 + 8 + 63);
  const tagged = footprintOf({ ...step, waste: ['defects', 'waiting', 'overproduction', 'motion'] });
  assert.ok(tagged.h > bare.h);
});

test('text wraps at spaces, breaks long words, and keeps line breaks', () => {
  assert.equal(lineCount('', 168, NOTE_TEXT), 0);
  assert.equal(lineCount('short', 168, NOTE_TEXT), 1);
  assert.equal(lineCount('one\ntwo\nthree', 168, NOTE_TEXT), 3);
  assert.ok(lineCount('x'.repeat(100), 168, NOTE_TEXT) >= 5);
  assert.equal(textHeight('short', 168, NOTE_TEXT), Math.ceil(NOTE_TEXT.lineHeight + 2 * NOTE_TEXT.padY));
});

test('a double-click edits a label in place, or opens the figure each kind is about', () => {
  assert.deepEqual(Object.fromEntries(BOX_KINDS.map((kind) => [kind, opensField({ kind })])),
    { step: null, inventory: 'count', note: null, experiment: 'text' });
  assert.equal(opensField({ kind: 'connector' }), 'rework_rate');
});

test('a long note grows into the free room below it only, and never over a step or note under it', () => {
  const long = 'word '.repeat(80).trim();
  const note = /** @type {Element} */ ({ id: 'n', kind: 'note', x: 0, y: 0, w: 168, h: 120, text: long });
  const step = /** @type {Element} */ ({ id: 's', kind: 'step', x: 40, y: 300, text: 'Staging test' });
  const under = /** @type {Element} */ ({ id: 'u', kind: 'note', x: 100, y: 200, w: 168, h: 120, text: 'x' });
  const aside = /** @type {Element} */ ({ id: 'a', kind: 'step', x: 400, y: 200, text: 'Elsewhere' });
  assert.ok(boxOf(note).h > 300, 'the text wants more than the room');
  // Over a step: it stops a note's gap and the constraint badge's room short of it.
  assert.equal(roomsBelow([note, step, aside]).get('n'), 300 - 16 - 44);
  // Over a note closer than the gap: it keeps what room there is, and never shrinks below its own size.
  assert.equal(roomsBelow([note, step, under]).get('n'), 200 - 16);
  assert.equal(roomsBelow([note, { ...under, y: 125 }]).get('n'), 120);
  // Nothing under it, or what lay over it already (stacked on purpose): it grows to show every word.
  assert.equal(roomsBelow([note, aside]).size, 0);
  assert.equal(roomsBelow([note, { ...step, y: 60 }]).size, 0);
  // A short note wants no more than its box: nothing to work out.
  assert.equal(roomsBelow([{ ...note, text: 'Short' }, step]).size, 0);
});
