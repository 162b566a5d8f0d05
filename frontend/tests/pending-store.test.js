// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { PendingStore } from '../js/model/pending-store.js';
import { forgetBoard, recentBoards, rememberBoard } from '../js/model/recent-boards.js';
import { memoryStorage } from './support/storage.js';

const op = (/** @type {string} */ cid) => /** @type {any} */ ({ cid, op: 'delete', id: 's-1' });

test('pending ops survive a reload under flowmap.pending.<board>', () => {
  const storage = memoryStorage();
  new PendingStore(storage, 'b1').save([op('a:1'), op('a:2')]);
  assert.ok(storage.items.has('flowmap.pending.b1'));
  assert.deepEqual(new PendingStore(storage, 'b1').load().map((o) => o.cid), ['a:1', 'a:2']);
  assert.deepEqual(new PendingStore(storage, 'other').load(), []);
});

test("saving keeps another tab's ops and forgets our acknowledged ones", () => {
  const storage = memoryStorage();
  const tabA = new PendingStore(storage, 'b1');
  const tabB = new PendingStore(storage, 'b1');
  tabA.save([op('a:1')]);
  tabB.save([op('b:1')]);
  assert.deepEqual(tabB.load().map((o) => o.cid).sort(), ['a:1', 'b:1']);
  tabA.save([]); // a:1 acknowledged
  assert.deepEqual(new PendingStore(storage, 'b1').load().map((o) => o.cid), ['b:1']);
  tabB.save([]);
  assert.equal(storage.items.has('flowmap.pending.b1'), false);
});

test('a reload resumes what was left unsent, ids not ours made ours', () => {
  const storage = memoryStorage();
  new PendingStore(storage, 'b1').save([op('c-me:old.1'), op('c-gone:x.1')]);
  let n = 0;
  const resumed = new PendingStore(storage, 'b1').resume({ role: 'participant', client: 'c-me', nextCid: () => `c-me:new.${++n}` });
  assert.deepEqual(resumed.map((o) => o.cid), ['c-me:old.1', 'c-me:new.1']);
});

test("a viewer resumes nothing, and another tab's unsent edits outlive the viewer's saves", () => {
  const storage = memoryStorage();
  new PendingStore(storage, 'b1').save([op('c-tab:a.1')]);
  const viewer = new PendingStore(storage, 'b1');
  assert.deepEqual(viewer.resume({ role: 'viewer', client: 'c-me', nextCid: () => 'c-me:new.1' }), []);
  viewer.save([]);
  assert.deepEqual(new PendingStore(storage, 'b1').load().map((o) => o.cid), ['c-tab:a.1']);
});

test('broken or missing storage is harmless', () => {
  const storage = memoryStorage();
  storage.setItem('flowmap.pending.b1', '{oops');
  assert.deepEqual(new PendingStore(storage, 'b1').load(), []);
  const none = new PendingStore(null, 'b1');
  none.save([op('a:1')]);
  assert.deepEqual(none.load(), []);
});

test('recent boards keep the most capable link and list newest first', () => {
  const storage = memoryStorage();
  rememberBoard(storage, { id: 'b1', title: 'One', role: 'facilitator', url: '/b/b1?token=f' }, 1);
  rememberBoard(storage, { id: 'b2', title: 'Two', role: 'viewer', url: '/b/b2?token=v' }, 2);
  rememberBoard(storage, { id: 'b1', title: 'One', role: 'viewer', url: '/b/b1?token=v' }, 3);
  const list = recentBoards(storage);
  assert.deepEqual(list.map((b) => b.id), ['b1', 'b2']);
  assert.equal(list[0].url, '/b/b1?token=f');
  assert.equal(list[0].role, 'facilitator');
  forgetBoard(storage, 'b1');
  assert.deepEqual(recentBoards(storage).map((b) => b.id), ['b2']);
});
