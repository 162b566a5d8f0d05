// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Editor } from '../js/editor.js';
import { refusal } from '../js/model/may-delete.js';

/** @param {object[]} list */
const board = (list) => new Map(list.map((el) => [/** @type {any} */ (el).id, /** @type {any} */ (el)]));
/** @param {string} source @param {string} target */
const arrow = (source, target) => ({ id: `${source}-${target}`, kind: 'connector', source, target, connector: 'flow' });

const ada = { client: 'c-ada', facilitator: false };
const boss = { client: 'c-boss', facilitator: true };

/** a -> q -> b -> c, with a vote open (or closed) and Bo's comment on c. @param {boolean} open */
const workshop = (open) => board([
  { id: 'a', kind: 'step' }, { id: 'q', kind: 'inventory' }, { id: 'b', kind: 'step' }, { id: 'c', kind: 'step' },
  arrow('a', 'q'), arrow('q', 'b'), arrow('b', 'c'),
  { id: 'v', kind: 'vote', open },
  { id: 'k', kind: 'comment', target: 'c', author_id: 'c-bo', author: 'Bo', text: 'really?' },
  { id: 'd1', kind: 'dot', vote: 'v', target: 'a', author_id: 'c-ada' },
]);

test('while a vote is open a participant may not delete steps or notes, the facilitator may', () => {
  const elements = workshop(true);
  assert.match(String(refusal(elements, 'b', ada)), /a dot vote is open/);
  assert.equal(refusal(elements, 'q', ada), null); // a queue is not voted on
  assert.equal(refusal(elements, 'b', boss), null);
  assert.equal(refusal(workshop(false), 'b', ada), null);
});

test('others comments, estimates and dots are theirs: on a kept element, and in a cascade', () => {
  const elements = workshop(false);
  assert.match(String(refusal(elements, 'k', ada)), /only Bo can delete this comment/);
  assert.match(String(refusal(elements, 'c', ada)), /someone else's comments/);
  assert.equal(refusal(elements, 'c', boss), null);
  assert.equal(refusal(elements, 'c', { client: 'c-bo', facilitator: false }), null);
});

test('dots: only their author takes them back, and only while the vote is open; votes are the facilitators', () => {
  assert.equal(refusal(workshop(true), 'd1', ada), null);
  assert.match(String(refusal(workshop(true), 'd1', boss)), /only its author can take back/);
  assert.match(String(refusal(workshop(false), 'd1', ada)), /the vote is closed/);
  assert.match(String(refusal(workshop(true), 'v', ada)), /only the facilitator/);
  assert.equal(refusal(workshop(true), 'v', boss), null);
});

test('deleting a queue and a step during a vote deletes the queue, joins the flow to the step and keeps it', () => {
  globalThis.requestAnimationFrame = /** @type {any} */ (() => 0);
  const elements = workshop(true);
  /** @type {any[]} */
  const sent = [];
  /** @type {string[]} */
  const said = [];
  const model = /** @type {any} */ ({ view: () => ({ elements, frame: {} }) });
  const session = /** @type {any} */ ({ canEdit: true, role: 'participant', you: { client: 'c-ada' }, submit: (/** @type {any[]} */ ops) => sent.push(...ops) });
  const editor = new Editor({ model, live: /** @type {any} */ ({}), session, nextCid: () => `c${sent.length}`, notify: (m) => said.push(m) });
  editor.remove(['q', 'b']);
  assert.deepEqual(sent.filter((op) => op.op === 'delete').map((op) => op.id), ['q']);
  const bridge = sent.find((op) => op.op === 'create');
  assert.deepEqual([bridge.element.source, bridge.element.target, bridge.replaces], ['a', 'b', ['q']]);
  assert.match(said.join(), /Not deleted: a dot vote is open/);
  assert.deepEqual([...editor.selection], ['b']);
});
