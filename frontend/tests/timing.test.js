// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { throttle } from '../js/util/timing.js';
import { backoffDelay } from '../js/net/socket.js';
import { cidFactory, elementId, isOwnCid, randomId } from '../js/model/ids.js';

/** A clock the test moves by hand. */
function fakeClock() {
  let now = 0;
  /** @type {{at: number, f: () => void}[]} */
  let timers = [];
  return {
    now: () => now,
    setTimeout: (/** @type {() => void} */ f, /** @type {number} */ ms) => { const t = { at: now + ms, f }; timers.push(t); return t; },
    clearTimeout: (/** @type {any} */ t) => { timers = timers.filter((x) => x !== t); },
    advance(/** @type {number} */ ms) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers = timers.filter((x) => x !== t);
        t.f();
      }
    },
  };
}

test('throttle sends the first call at once and the last of a burst later', () => {
  const clock = fakeClock();
  const calls = /** @type {number[]} */ ([]);
  const send = throttle((/** @type {number} */ n) => calls.push(n), 50, clock);
  send(1);
  send(2);
  send(3);
  assert.deepEqual(calls, [1]);
  clock.advance(50);
  assert.deepEqual(calls, [1, 3]);
  send(4);
  send.cancel();
  clock.advance(100);
  assert.deepEqual(calls, [1, 3]);
});

test('reconnect backoff starts near 300 ms, doubles and caps at 5 s, with jitter', () => {
  assert.equal(backoffDelay(0, 0.5), 300);
  assert.equal(backoffDelay(1, 0.5), 600);
  assert.equal(backoffDelay(10, 0.5), 5000);
  assert.ok(backoffDelay(0, 0) >= 240 && backoffDelay(0, 0.999) <= 360);
});

test('ids: s- and c- plus 10 base36 characters; cids count up per client', () => {
  assert.match(elementId('step'), /^s-[0-9a-z]{10}$/);
  assert.match(elementId('connector'), /^c-[0-9a-z]{10}$/);
  assert.match(randomId(8), /^[0-9a-z]{8}$/);
  const next = cidFactory('c-k3j9');
  const [first, second] = [next(), next()];
  assert.match(first, /^c-k3j9:[0-9a-z]{6}\.1$/);
  assert.equal(second, first.replace(/1$/, '2'));
  assert.notEqual(cidFactory('c-k3j9')().split('.')[0], first.split('.')[0], 'another page, other ids');
  assert.ok(isOwnCid(first, 'c-k3j9'));
  assert.ok(!isOwnCid(first, 'c-k3j'), 'a client id that is a prefix of another is not it');
  assert.ok(!isOwnCid('k3j9x0qa:1', 'c-k3j9'));
});
