// @ts-check
// The board page's small pure rules, moved out of main.js: who is told what view,
// what the panels call things, whose estimate, which identity, which badge, which box.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { inspectField } from '../js/model/boxes.js';
import { ownEstimate } from '../js/model/estimates.js';
import { viewMoved } from '../js/model/follow.js';
import { selectionRect, unionBox } from '../js/model/geometry.js';
import { storedIdentity } from '../js/model/identity.js';
import { dotTarget, namesOf } from '../js/model/names.js';
import { stateBadge } from '../js/model/state-badge.js';
import { memoryStorage } from './support/storage.js';

/** @param {any[]} list @returns {Map<string, any>} */
const byId = (list) => new Map(list.map((el) => [el.id, el]));

test('the view is told on first sight and when it moved more than half a unit, not for sub-pixel jitter', () => {
  const seen = { x: 10, y: 20, w: 800, h: 600 };
  assert.equal(viewMoved(null, seen), true);
  assert.equal(viewMoved({ x: 10.4, y: 20, w: 800, h: 600.3 }, seen), false);
  assert.equal(viewMoved({ x: 10, y: 20, w: 801, h: 600 }, seen), true);
});

test('the union of boxes spans them all; no boxes, no union', () => {
  assert.equal(unionBox([]), null);
  assert.deepEqual(unionBox([{ x: 0, y: 10, w: 5, h: 5 }, { x: -5, y: 0, w: 2, h: 30 }]), { x: -5, y: 0, w: 10, h: 30 });
});

test('a selected arrow counts as its label point; an arrow with a missing end counts for nothing', () => {
  const a = { id: 'a', kind: 'note', x: 0, y: 0, w: 100, h: 100 };
  const b = { id: 'b', kind: 'note', x: 300, y: 0, w: 100, h: 100 };
  const arrow = { id: 'c', kind: 'connector', source: 'a', target: 'b' };
  const loose = { id: 'd', kind: 'connector', source: 'a', target: 'gone' };
  const elements = byId([a, b, arrow, loose]);
  const mid = /** @type {{x: number, y: number, w: number, h: number}} */ (selectionRect([/** @type {any} */ (arrow)], elements));
  assert.equal(mid.w, 0);
  assert.ok(mid.x > 100 && mid.x < 300, 'between the two notes');
  assert.equal(selectionRect([/** @type {any} */ (loose)], elements), null);
  assert.deepEqual(selectionRect([/** @type {any} */ (a)], elements), { x: 0, y: 0, w: 100, h: 100 });
});

test('the names of one board are worked out once: every frame of a pan asks again', () => {
  const elements = byId([{ id: 's1', kind: 'step', text: 'Pick' }, { id: 'n1', kind: 'note', text: 'Why?' }]);
  const steps = namesOf(elements, ['step']);
  assert.equal(namesOf(elements, ['step']), steps, 'the same map, not a new one');
  assert.notEqual(namesOf(elements, ['step', 'note']), steps);
  assert.equal(namesOf(elements, ['step', 'note']), namesOf(elements, ['step', 'note']));
  // A changed board is a new map of elements: its names are read again.
  const renamed = new Map(elements).set('s1', { id: 's1', kind: 'step', text: 'Pack' });
  assert.deepEqual([...namesOf(/** @type {any} */ (renamed), ['step'])], [['s1', 'Pack']]);
  assert.deepEqual([...steps], [['s1', 'Pick']]);
});

test('steps are named for the totals; steps and notes for the vote; a dot lands only on those', () => {
  const elements = byId([{ id: 's1', kind: 'step', text: 'Pick' }, { id: 'n1', kind: 'note' }, { id: 'i1', kind: 'inventory' }]);
  assert.deepEqual([...namesOf(elements, ['step'])], [['s1', 'Pick']]);
  assert.deepEqual([...namesOf(elements, ['step', 'note'])], [['s1', 'Pick'], ['n1', '']]);
  assert.equal(dotTarget(elements, 'n1')?.id, 'n1');
  assert.equal(dotTarget(elements, 'i1'), null);
  assert.equal(dotTarget(elements, null), null);
});

test('a person\'s estimate is theirs for that step and figure only', () => {
  const mine = { id: 'e1', kind: 'estimate', target: 's1', field: 'wait_minutes', author_id: 'c-ada', minutes: 5 };
  const elements = byId([mine, { ...mine, id: 'e2', author_id: 'c-bob' }, { ...mine, id: 'e3', field: 'process_minutes' }]);
  assert.equal(ownEstimate(elements, 's1', 'wait_minutes', 'c-ada')?.id, 'e1');
  assert.equal(ownEstimate(elements, 's1', 'wait_minutes', 'c-cy'), undefined);
});

test('a browser keeps its identity; without one it adopts the minted one and forgets the old declared id', () => {
  const kept = memoryStorage({ 'flowmap.identity': JSON.stringify({ client: 'c-1', key: 'k1' }) });
  assert.deepEqual(storedIdentity(kept, { client: 'c-new', key: 'k-new' }), { client: 'c-1', key: 'k1' });
  const fresh = memoryStorage({ 'flowmap.identity': '{broken', 'flowmap.client': 'c-old' });
  assert.deepEqual(storedIdentity(fresh, { client: 'c-new', key: 'k-new' }), { client: 'c-new', key: 'k-new' });
  assert.equal(fresh.items.get('flowmap.identity'), '{"client":"c-new","key":"k-new"}');
  assert.equal(fresh.items.has('flowmap.client'), false);
  assert.deepEqual(storedIdentity(null, { client: 'c', key: 'k' }), { client: 'c', key: 'k' });
});

test('the state badge: hidden while mapping, "changed since" only once published', () => {
  assert.equal(stateBadge(undefined, true).hidden, true);
  assert.equal(stateBadge('mapping', true).changed, false);
  assert.equal(stateBadge('published', false).text, 'Published');
  const changed = stateBadge('validated', true);
  assert.equal(changed.text, 'Validated · changed since');
  assert.match(changed.title, /to have it validated again/);
  assert.match(stateBadge('published', true).title, /to have it checked again/);
});

test('from the keyboard a step opens at its wait, a note at its text, an arrow at its rework', () => {
  assert.equal(inspectField({ kind: 'step' }), 'wait_minutes');
  assert.equal(inspectField({ kind: 'note' }), 'text');
  assert.equal(inspectField({ kind: 'connector' }), 'rework_rate');
});

test('kept operations under another client\'s ids are adopted under new ones; our own keep theirs', async () => {
  const { adoptOps } = await import('../js/model/ids.js');
  let n = 0;
  const next = () => `c-me:new.${++n}`;
  const adopted = adoptOps([{ cid: 'c-me:a.1', op: 'x' }, { cid: 'c-old:b.1', op: 'y' }], 'c-me', next);
  assert.deepEqual(adopted, [{ cid: 'c-me:a.1', op: 'x' }, { cid: 'c-me:new.1', op: 'y' }]);
});

test('the look is read back as stored; an unreadable one leaves the defaults', async () => {
  const { readLook, writeLook } = await import('../js/model/look.js');
  const storage = memoryStorage();
  writeLook(storage, { far: true, cursors: false });
  assert.deepEqual(readLook(storage), { far: true, cursors: false });
  assert.deepEqual(readLook(memoryStorage({ 'flowmap.look': 'nope' })), {});
  assert.deepEqual(readLook(null), { far: false, cursors: true });
});

test('the board\'s socket is on the page\'s host, secure when the page is, board and token escaped', async () => {
  const { boardSocketUrl } = await import('../js/net/early.js');
  assert.equal(boardSocketUrl({ protocol: 'https:', host: 'flow.example:8443' }, 'b 1', 'a&b'),
    'wss://flow.example:8443/ws/boards/b%201?token=a%26b');
  assert.equal(boardSocketUrl({ protocol: 'http:', host: 'localhost:8000' }, 'b1', 't'), 'ws://localhost:8000/ws/boards/b1?token=t');
});

test('a page rendered for another protocol version is outdated; one that does not say is not', async () => {
  const { pageOutdated } = await import('../js/controllers/connection.js');
  const { PROTOCOL_VERSION } = await import('../js/protocol.js');
  assert.equal(pageOutdated(String(PROTOCOL_VERSION)), false);
  assert.equal(pageOutdated(undefined), false);
  assert.equal(pageOutdated(String(PROTOCOL_VERSION + 1)), true);
});

test('leaving asks first only when edits are unsent and this page may still send them', async () => {
  const { leavingLosesEdits } = await import('../js/controllers/window-events.js');
  assert.equal(leavingLosesEdits(2, true), true);
  assert.equal(leavingLosesEdits(0, true), false);
  assert.equal(leavingLosesEdits(2, false), false); // a viewer, or the board is locked
});
