// @ts-check
/**
 * The reconnecting socket against a fake WebSocket and mocked timers: backoff
 * after a loss, the heartbeat that catches a dead socket, waking up at once.
 */
import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';

import { BOARD_DELETED, ReconnectingSocket } from '../js/net/socket.js';
import { FakeWebSocket, standInBrowser } from './support/fake-websocket.js';

/** @param {Partial<import('../js/net/socket.js').SocketOptions>} [over] */
function makeSocket(over = {}) {
  const states = /** @type {string[]} */ ([]);
  let opens = 0;
  const socket = new ReconnectingSocket({
    url: () => 'ws://test/ws/boards/b1?token=t',
    onOpen: () => { opens++; },
    onMessage: () => {},
    onState: (s) => states.push(s),
    ...over,
  });
  return { socket, states, opens: () => opens };
}

const latest = () => FakeWebSocket.latest();

beforeEach(() => {
  standInBrowser();
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
});

afterEach(() => {
  mock.timers.reset();
});

test('after a lost connection it retries after about 300 ms, then backs off', () => {
  const { socket, states } = makeSocket();
  socket.start();
  latest().open();
  latest().drop();
  assert.equal(states.at(-1), 'reconnecting');
  assert.equal(FakeWebSocket.made.length, 1);
  mock.timers.tick(239);
  assert.equal(FakeWebSocket.made.length, 1, 'not before ~240 ms (300 ms less jitter)');
  mock.timers.tick(121);
  assert.equal(FakeWebSocket.made.length, 2);
  latest().drop(); // failed again, before opening: the next wait is longer
  mock.timers.tick(360);
  assert.equal(FakeWebSocket.made.length, 2);
  mock.timers.tick(400);
  assert.equal(FakeWebSocket.made.length, 3);
  socket.stop();
});

test('a ping every 10 s; no answer within 6 s means a dead socket and a reconnect', () => {
  const { socket, states } = makeSocket();
  socket.start();
  const first = latest();
  first.open();
  mock.timers.tick(10_000);
  assert.match(first.sent.at(-1) ?? '', /"type":"ping"/);
  first.receive({ type: 'pong', t: 0 });
  mock.timers.tick(6000);
  assert.equal(first.closed, false, 'answered: still alive');
  mock.timers.tick(4000); // the next ping, which goes unanswered
  mock.timers.tick(6000);
  assert.equal(first.closed, true);
  assert.equal(states.at(-1), 'reconnecting');
  mock.timers.tick(400);
  assert.equal(FakeWebSocket.made.length, 2);
  socket.stop();
});

test('coming back online retries at once instead of waiting out the backoff', () => {
  const { socket } = makeSocket();
  socket.start();
  latest().open();
  latest().drop();
  window.dispatchEvent(new Event('online'));
  assert.equal(FakeWebSocket.made.length, 2);
  socket.stop();
});

test('a refused handshake asks whether to give up; yes stops retrying', async () => {
  let asked = 0;
  const { socket, states } = makeSocket({ onRefused: async () => { asked++; return true; } });
  socket.start();
  latest().drop();
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(asked, 1);
  assert.equal(states.at(-1), 'stopped');
  mock.timers.tick(10_000);
  assert.equal(FakeWebSocket.made.length, 1);
});

test('send only works while open', () => {
  const { socket, opens } = makeSocket();
  socket.start();
  assert.equal(socket.send({ type: 'ping', t: 1 }), false);
  latest().open();
  assert.equal(opens(), 1);
  assert.equal(socket.send({ type: 'ping', t: 1 }), true);
  socket.stop();
});

test('a board deleted by its facilitator stops the socket for good and says why', async () => {
  /** @type {string[]} */
  const told = [];
  let asked = 0;
  const { socket, states } = makeSocket({
    onGone: (reason) => told.push(reason),
    onRefused: async () => { asked++; return false; },
  });
  socket.start();
  latest().open();
  latest().onclose?.({ code: BOARD_DELETED, reason: 'The facilitator deleted this board' });
  assert.deepEqual(told, ['The facilitator deleted this board']);
  assert.equal(states.at(-1), 'stopped');
  mock.timers.tick(60_000);
  await Promise.resolve();
  assert.equal(FakeWebSocket.made.length, 1, 'no reconnection to a board that is gone');
  assert.equal(asked, 0, 'no request with a dead link (it would count as a guess)');
});
