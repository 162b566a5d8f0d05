// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { LINKS_KEY, dropLink, keepLinks, keptLinks } from '../js/model/board-links.js';
import { memoryStorage } from './support/storage.js';

const link = (/** @type {string} */ board, /** @type {string} */ token) => `http://127.0.0.1:8000/b/${board}?token=${token}`;

test('the links made for a board are kept per board, a new one over the old', () => {
  const storage = memoryStorage();
  keepLinks(storage, 'b1', { facilitator: link('b1', 'f'), participant: link('b1', 'p'), viewer: link('b1', 'v') });
  keepLinks(storage, 'b2', { participant: link('b2', 'p') });
  keepLinks(storage, 'b1', { viewer: link('b1', 'v2') });
  assert.deepEqual(keptLinks(storage, 'b1'), { facilitator: link('b1', 'f'), participant: link('b1', 'p'), viewer: link('b1', 'v2') });
  assert.deepEqual(keptLinks(storage, 'b2'), { participant: link('b2', 'p') });
  assert.deepEqual(keptLinks(storage, 'b3'), {});
});

test('a dropped link is no longer kept; the others stay', () => {
  const storage = memoryStorage();
  keepLinks(storage, 'b1', { participant: link('b1', 'p'), viewer: link('b1', 'v') });
  dropLink(storage, 'b1', 'participant');
  assert.deepEqual(keptLinks(storage, 'b1'), { viewer: link('b1', 'v') });
});

test('thirty boards are kept, the one used longest ago goes first', () => {
  const storage = memoryStorage();
  for (let i = 0; i < 31; i += 1) keepLinks(storage, `b${i}`, { viewer: link(`b${i}`, 'v') });
  keepLinks(storage, 'b1', { participant: link('b1', 'p') }); // used again: the newest
  keepLinks(storage, 'b31', { viewer: link('b31', 'v') });
  assert.deepEqual(keptLinks(storage, 'b0'), {});
  assert.deepEqual(keptLinks(storage, 'b2'), {});
  assert.equal(keptLinks(storage, 'b1').participant, link('b1', 'p'));
  assert.equal(Object.keys(JSON.parse(storage.getItem(LINKS_KEY) ?? '{}')).length, 30);
});

test('unreadable storage, or none, keeps nothing and throws nothing', () => {
  const storage = memoryStorage();
  storage.setItem(LINKS_KEY, '{not json');
  assert.deepEqual(keptLinks(storage, 'b1'), {});
  storage.setItem(LINKS_KEY, JSON.stringify({ b1: { participant: 7, viewer: link('b1', 'v'), owner: 'x' } }));
  assert.deepEqual(keptLinks(storage, 'b1'), { viewer: link('b1', 'v') });
  keepLinks(null, 'b1', { viewer: 'x' });
  dropLink(null, 'b1', 'viewer');
  assert.deepEqual(keptLinks(null, 'b1'), {});
});
