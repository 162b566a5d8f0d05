// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { whomToFollow } from '../js/model/follow.js';
import { clock } from '../js/ui/session-bar.js';

/** @param {string} peer @param {string} client @returns {import('../js/protocol.js').Peer} */
const p = (peer, client) => ({ peer, client, name: peer, color: '#000', role: 'participant' });
const you = p('me', 'c-me');
const peers = [you, p('p1', 'c-fay'), p('p2', 'c-bob')];

test('a chosen peer wins over the presenter, while they are here', () => {
  assert.equal(whomToFollow({ chosen: 'p2', presenter: 'c-fay', leftPresenter: '', peers, you }), 'p2');
  assert.equal(whomToFollow({ chosen: 'gone', presenter: 'c-fay', leftPresenter: '', peers, you }), 'p1');
});

test('everyone follows the presenter, except the presenter and whoever left', () => {
  assert.equal(whomToFollow({ chosen: null, presenter: 'c-fay', leftPresenter: '', peers, you }), 'p1');
  assert.equal(whomToFollow({ chosen: null, presenter: 'c-fay', leftPresenter: 'c-fay', peers, you }), null);
  assert.equal(whomToFollow({ chosen: null, presenter: 'c-me', leftPresenter: '', peers, you }), null);
  assert.equal(whomToFollow({ chosen: null, presenter: '', leftPresenter: '', peers, you }), null);
});

test('a reconnected presenter is followed on their newest connection', () => {
  const again = [...peers, p('p9', 'c-fay')];
  assert.equal(whomToFollow({ chosen: null, presenter: 'c-fay', leftPresenter: '', peers: again, you }), 'p9');
});

test('the countdown reads minutes and seconds, rounded up', () => {
  assert.equal(clock(65_000), '1:05');
  assert.equal(clock(64_400), '1:05');
  assert.equal(clock(400), '0:01');
  assert.equal(clock(-5), '0:00');
  assert.equal(clock(600_000), '10:00');
});

test('a countdown just started reads its whole length, with the clocks a little apart', () => {
  // Our idea of the server's clock lags by the network's delay: 10 minutes and 200 ms left
  // read 10:00 (not 10:01), and so does 10:00 exactly.
  assert.equal(clock(600_200), '10:00');
  assert.equal(clock(240 * 60_000 + 180), '240:00');
  assert.equal(clock(100), '0:00', 'the last moments before "Time is up"');
});
