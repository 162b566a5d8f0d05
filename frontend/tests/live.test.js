// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { LivePositions } from '../js/model/live.js';

const elements = () => new Map([['s-1', { id: 's-1', kind: /** @type {const} */ ('step'), x: 0, y: 0 }]]);

test("a peer's drag moves the element until their stored update arrives", () => {
  const live = new LivePositions();
  live.peerMoves('p2', [{ id: 's-1', x: 90, y: 40 }], 1000);
  assert.equal(live.apply(elements()).get('s-1')?.x, 90);
  live.settled('s-1', 1100);
  assert.equal(live.apply(elements()).get('s-1')?.x, 0);
});

test('a drag frame arriving just after the stored update is ignored', () => {
  const live = new LivePositions({ settle: 300 });
  live.settled('s-1', 1000);
  live.peerMoves('p2', [{ id: 's-1', x: 90, y: 40 }], 1100);
  assert.equal(live.apply(elements()).get('s-1')?.x, 0);
  live.peerMoves('p2', [{ id: 's-1', x: 90, y: 40 }], 1400);
  assert.equal(live.apply(elements()).get('s-1')?.x, 90);
});

test("a peer's drag that goes quiet for 3 s reverts", () => {
  const live = new LivePositions({ ttl: 3000 });
  live.peerMoves('p2', [{ id: 's-1', x: 90, y: 40 }], 1000);
  assert.equal(live.expire(3999), false);
  assert.equal(live.expire(4000), true);
  assert.equal(live.apply(elements()).get('s-1')?.x, 0);
});

test('our own drag wins over a peer and clears on drop', () => {
  const live = new LivePositions();
  live.peerMoves('p2', [{ id: 's-1', x: 90, y: 40 }], 1000);
  live.setLocal([{ id: 's-1', x: 10, y: 10 }]);
  assert.equal(live.apply(elements()).get('s-1')?.x, 10);
  live.clearLocal();
  assert.equal(live.apply(elements()).get('s-1')?.x, 90);
});

test('a peer who leaves stops dragging', () => {
  const live = new LivePositions();
  live.peerMoves('p2', [{ id: 's-1', x: 90, y: 40 }], 1000);
  live.forgetPeer('p2');
  assert.equal(live.active, false);
  const map = elements();
  assert.equal(live.apply(map), map, 'no overlay: the same map comes back');
});

test('without peers, only our own drag is applied: the ladder waits for a peer\'s drop', () => {
  const live = new LivePositions();
  const two = new Map([['s-1', /** @type {any} */ ({ id: 's-1', kind: 'step', x: 0, y: 0 })],
    ['s-2', /** @type {any} */ ({ id: 's-2', kind: 'step', x: 0, y: 0 })]]);
  live.peerMoves('p3', [{ id: 's-1', x: 90, y: 40 }], 0);
  assert.equal(live.apply(two, { peers: false }), two); // nothing of ours: the very same map
  assert.equal(live.apply(two).get('s-1')?.x, 90);
  live.setLocal([{ id: 's-2', x: 5, y: 6 }]);
  const ours = live.apply(two, { peers: false });
  assert.equal(ours.get('s-1')?.x, 0);
  assert.equal(ours.get('s-2')?.x, 5);
});
