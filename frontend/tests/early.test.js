// @ts-check
/**
 * The socket opened before the page's modules have all arrived (net/early.js), and
 * the page's socket and session taking it over (net/socket.js, net/session.js).
 */
import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';

import { BoardModel } from '../js/model/board.js';
import { LivePositions } from '../js/model/live.js';
import { UNCLAIMED_MS, connectEarly, takeEarly } from '../js/net/early.js';
import { Session } from '../js/net/session.js';
import { ReconnectingSocket } from '../js/net/socket.js';
import { hello } from '../js/protocol.js';
import { FakeWebSocket, standInBrowser } from './support/fake-websocket.js';
import { memoryStorage } from './support/storage.js';

const LOCATION = { protocol: 'http:', host: 'flow.test', search: '?token=tok' };
const URL_ = 'ws://flow.test/ws/boards/b1?token=tok';
const PAGE = { boardId: 'b1', client: 'c-minted', key: 'k-minted' };

/** @param {Storage|null} storage */
const early = (storage) => connectEarly({
  page: PAGE, location: LOCATION, storage, Socket: /** @type {any} */ (FakeWebSocket), later: setTimeout,
});
const latest = () => FakeWebSocket.latest();

/** The page's socket and session, as connection.js joins them. */
function page() {
  const received = /** @type {any[]} */ ([]);
  const model = new BoardModel();
  /** @type {Session} */
  let session;
  const socket = new ReconnectingSocket({
    url: () => URL_, adopt: takeEarly, onOpen: (sent) => session.opened(sent),
    onMessage: (data, at) => { received.push(JSON.parse(data)); session.received(data, at); },
    onState: (state) => session.socketChanged(state),
  });
  session = new Session({
    model, live: new LivePositions(), store: { save: () => {} }, transport: socket,
    name: () => 'Ada', key: 'k-minted', role: 'participant',
    hooks: { changed: () => {}, status: () => {}, peers: () => {}, cursors: () => {}, welcomed: () => {}, notify: () => {} },
  });
  return { socket, session, model, received };
}

const WELCOME = {
  type: 'welcome', protocol: 1, you: { peer: 'p1', name: 'Ada', color: '#2563eb', role: 'participant' },
  seq: 3, snapshot: { board: { id: 'b1', title: 'T' }, elements: [{ id: 's-1', kind: 'step', text: 'Build' }] },
  missed: null, peers: [], metrics: null,
};

beforeEach(() => {
  standInBrowser();
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
});

afterEach(() => {
  takeEarly(URL_); // none left waiting for the next test
  mock.timers.reset();
});

test('without a name in this browser nothing opens early: the page asks for one first', () => {
  assert.equal(early(memoryStorage()), null);
  assert.equal(early(null), null);
  assert.equal(FakeWebSocket.made.length, 0);
  assert.equal(takeEarly(URL_), null);
});

test('with a name it opens the board\'s socket at once and says the hello the session would say', () => {
  const storage = memoryStorage({ 'flowmap.name': 'Ada' });
  const opened = early(storage);
  assert.equal(latest().url, URL_);
  assert.equal(opened?.hello, null, 'nothing said before the socket is open');
  latest().open();
  assert.deepEqual(latest().sent.map((s) => JSON.parse(s)), [hello('Ada', null, 'k-minted')]);
  // The minted identity is kept, as the page keeps it.
  assert.deepEqual(JSON.parse(storage.getItem('flowmap.identity') ?? ''), { client: 'c-minted', key: 'k-minted' });
});

test('the page takes it once; one asked for another address is closed and not given', () => {
  early(memoryStorage({ 'flowmap.name': 'Ada' }));
  assert.equal(takeEarly('ws://flow.test/ws/boards/b2?token=tok'), null);
  assert.equal(latest().closedWith, 1000);
  early(memoryStorage({ 'flowmap.name': 'Ada' }));
  assert.equal(takeEarly(URL_)?.ws, latest());
  assert.equal(takeEarly(URL_), null);
});

test('one the page never takes is closed after a while, so nobody stays on the board for it', () => {
  early(memoryStorage({ 'flowmap.name': 'Ada' }));
  latest().open();
  mock.timers.tick(UNCLAIMED_MS - 1);
  assert.equal(latest().closedWith, null);
  mock.timers.tick(1);
  assert.equal(latest().closedWith, 1000);
  assert.equal(takeEarly(URL_), null);
});

test('taken over open: no second socket, no second hello, and what arrived is handled in order', () => {
  early(memoryStorage({ 'flowmap.name': 'Ada' }));
  const ws = latest();
  ws.open();
  ws.receive(WELCOME);
  ws.receive({ type: 'ops', ops: [{ seq: 4, cid: null, op: 'update', id: 's-1', set: { text: 'Ship' } }] });
  const { socket, session, model, received } = page();
  socket.start();
  assert.equal(FakeWebSocket.made.length, 1);
  assert.equal(socket.state, 'open');
  assert.equal(ws.sent.length, 1, 'the early hello only');
  assert.deepEqual(received.map((m) => m.type), ['welcome', 'ops']);
  assert.equal(session.welcomed, true);
  assert.equal(model.seq, 4);
  assert.equal(model.get('s-1')?.text, 'Ship');
  ws.receive({ type: 'ops', ops: [{ seq: 5, cid: null, op: 'update', id: 's-1', set: { text: 'Done' } }] });
  assert.equal(model.get('s-1')?.text, 'Done', 'later messages reach the page directly');
  socket.stop();
});

test('taken over before it opened: the page says its own hello when it opens', () => {
  early(memoryStorage({ 'flowmap.name': 'Ada' }));
  const ws = latest();
  const { socket } = page();
  socket.start();
  assert.equal(FakeWebSocket.made.length, 1);
  ws.open();
  assert.deepEqual(ws.sent.map((s) => JSON.parse(s)), [hello('Ada', null, 'k-minted')]);
  socket.stop();
});

test('an early hello that is not the page\'s (another name by now) starts the socket over', () => {
  early(memoryStorage({ 'flowmap.name': 'Someone else' }));
  const ws = latest();
  ws.open();
  const { socket } = page();
  socket.start();
  assert.equal(ws.readyState, 3, 'the early socket is closed');
  assert.equal(FakeWebSocket.made.length, 2);
  latest().open();
  assert.deepEqual(latest().sent.map((s) => JSON.parse(s)), [hello('Ada', null, 'k-minted')]);
  socket.stop();
});

test('one that closed before it was taken is a lost connection: the page retries after the backoff', () => {
  early(memoryStorage({ 'flowmap.name': 'Ada' }));
  latest().open();
  latest().drop(1006);
  const { socket } = page();
  socket.start();
  assert.equal(socket.state, 'reconnecting');
  assert.equal(FakeWebSocket.made.length, 1);
  mock.timers.tick(400);
  assert.equal(FakeWebSocket.made.length, 2);
  socket.stop();
});

test('a welcome kept on the early socket reads the server\'s clock against when it arrived', () => {
  // Read when the page took it over (its modules took 800 ms), our estimate of the server's
  // clock fell 800 ms behind: a 5-minute countdown started at 5:01.
  early(memoryStorage({ 'flowmap.name': 'Ada' }));
  const ws = latest();
  ws.open();
  ws.receive({ ...WELCOME, now: new Date(Date.now()).toISOString() }); // the same clock as ours
  mock.timers.tick(800);
  const { socket, session } = page();
  socket.start();
  assert.equal(session.welcomed, true);
  assert.equal(session.clockSkew, 0);
  socket.stop();
});
