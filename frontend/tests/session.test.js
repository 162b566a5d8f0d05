// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { BoardModel } from '../js/model/board.js';
import { LivePositions } from '../js/model/live.js';
import { Session, chunkOps } from '../js/net/session.js';

/**
 * A session on a fake socket that records what it was sent, with a clock and timers
 * that move only when the test says (`advance`).
 */
function setup(role = /** @type {import('../js/protocol.js').Role} */ ('participant')) {
  const sent = /** @type {any[]} */ ([]);
  const saved = /** @type {any[][]} */ ([]);
  const notes = /** @type {string[]} */ ([]);
  const statuses = /** @type {string[]} */ ([]);
  let open = true;
  let clock = 1_000_000;
  const timers = /** @type {{at: number, fn: () => void}[]} */ ([]);
  const model = new BoardModel();
  const session = new Session({
    model, live: new LivePositions(),
    store: { save: (pending) => saved.push([...pending]) },
    transport: { send: (m) => (open ? (sent.push(m), true) : false) },
    name: () => 'Ada', role,
    hooks: {
      changed: () => {}, status: (s) => statuses.push(s), peers: () => {}, cursors: () => {},
      welcomed: () => {}, notify: (m) => notes.push(m),
    },
    now: () => clock,
    schedule: (fn, ms) => {
      const timer = { at: clock + ms, fn };
      timers.push(timer);
      return () => { if (timers.includes(timer)) timers.splice(timers.indexOf(timer), 1); };
    },
  });
  /** Let `ms` pass, running each timer due meanwhile at its time. @param {number} ms */
  const advance = (ms) => {
    const end = clock + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      if (!timers.length || timers[0].at > end) break;
      const timer = /** @type {{at: number, fn: () => void}} */ (timers.shift());
      clock = Math.max(clock, timer.at);
      timer.fn();
    }
    clock = end;
  };
  return {
    session, model, sent, saved, notes, statuses, advance,
    setOpen: (/** @type {boolean} */ v) => { open = v; },
  };
}

/** The cids of every op sent so far, in the order they went. @param {any[]} sent */
const sentCids = (sent) => sent.filter((m) => m.type === 'ops').flatMap((m) => m.ops.map((/** @type {any} */ o) => o.cid));

/** @param {object} [over] */
const welcome = (over = {}) => JSON.stringify({
  type: 'welcome', protocol: 1, you: { peer: 'p1', name: 'Ada', color: '#2563eb', role: 'participant' },
  seq: 5, snapshot: { board: { id: 'b', title: 'T' }, elements: [{ id: 's-1', kind: 'step', text: 'Build' }] },
  missed: null, peers: [], metrics: null, ...over,
});

test('hello carries the name and, after a first welcome, the last applied seq', () => {
  const { session, sent } = setup();
  session.opened();
  assert.deepEqual(sent[0], { type: 'hello', protocol: 1, name: 'Ada', since: null, features: ['metrics-patch'] });
  session.received(welcome());
  session.opened();
  assert.equal(sent.at(-1).since, 5);
});

test('hello names the cid of the entry it last applied, so a server with another history sends a snapshot', () => {
  // A server back from a backup had other entries at the seq the page said: given the seq
  // alone it sent what followed, and the page kept showing edits the server no longer had.
  const { session, sent } = setup();
  session.opened();
  session.received(welcome({ last_cid: 'b:7' }));
  session.opened();
  assert.equal(sent.at(-1).since_cid, 'b:7');
  session.received(welcome({ snapshot: null, missed: [], seq: 5 }));
  session.received(JSON.stringify({ type: 'ops', ops: [{ seq: 6, cid: 'c:1', by: 'p2', name: 'Cy', op: 'update', id: 's-1', set: { x: 9 } }] }));
  session.opened();
  assert.deepEqual([sent.at(-1).since, sent.at(-1).since_cid], [6, 'c:1']);
  session.received(JSON.stringify({ type: 'ops', ops: [{ seq: 7, cid: null, by: 'server', name: 'Flowmap', op: 'update', id: 's-1', set: { x: 1 } }] }));
  session.opened();
  assert.equal('since_cid' in sent.at(-1), false); // an entry without a cid names none
});

test('ops made before the welcome are sent after it, in order, with their cids', () => {
  const { session, sent, model } = setup();
  session.submit([{ cid: 'a:1', op: 'update', id: 's-1', set: { text: 'One' } }]);
  session.submit([{ cid: 'a:2', op: 'update', id: 's-1', set: { x: 2 } }]);
  assert.equal(sent.length, 0);
  session.opened();
  session.received(welcome());
  const ops = sent.filter((m) => m.type === 'ops').flatMap((m) => m.ops.map((/** @type {any} */ o) => o.cid));
  assert.deepEqual(ops, ['a:1', 'a:2']);
  assert.equal(model.get('s-1')?.x, 2);
  assert.equal(session.status, 'saving');
});

test('a reconnect applies the missed ops and re-sends what is still pending', () => {
  const { session, sent, model } = setup();
  session.opened();
  session.received(welcome());
  session.submit([{ cid: 'a:1', op: 'update', id: 's-1', set: { text: 'A' } },
    { cid: 'a:2', op: 'update', id: 's-1', set: { x: 9 } }]);
  session.socketChanged('reconnecting');
  assert.equal(session.status, 'reconnecting');
  sent.length = 0;
  session.socketChanged('open');
  session.opened();
  session.received(welcome({ seq: 6, snapshot: null, missed: [
    { seq: 6, cid: 'a:1', by: 'p1', name: 'Ada', op: 'update', id: 's-1', set: { text: 'A' } }] }));
  assert.equal(model.seq, 6);
  assert.deepEqual(model.pending.map((o) => o.cid), ['a:2']);
  assert.deepEqual(sent.filter((m) => m.type === 'ops').flatMap((m) => m.ops.map((/** @type {any} */ o) => o.cid)), ['a:2']);
});

test('a rejected op is dropped with its reason shown; a duplicate ack drops silently', () => {
  const { session, model, notes } = setup();
  session.opened();
  session.received(welcome());
  session.submit([{ cid: 'a:1', op: 'update', id: 's-1', set: { pca: 120 } },
    { cid: 'a:2', op: 'update', id: 's-1', set: { x: 3 } }]);
  session.received(JSON.stringify({ type: 'error', code: 'rejected', reason: 'pca must be between 0 and 100', cid: 'a:1' }));
  assert.deepEqual(model.pending.map((o) => o.cid), ['a:2']);
  assert.match(notes[0], /pca must be between 0 and 100/);
  session.received(JSON.stringify({ type: 'ack', cid: 'a:2', seq: 4, duplicate: true }));
  assert.equal(model.pending.length, 0);
  assert.equal(session.status, 'connected');
});

test('own ops coming back by cid clear pending and the store', () => {
  const { session, model, saved } = setup();
  session.opened();
  session.received(welcome());
  session.submit([{ cid: 'a:1', op: 'create', element: { id: 's-2', kind: 'step' } }]);
  session.received(JSON.stringify({ type: 'ops', ops: [
    { seq: 6, cid: 'a:1', by: 'p1', name: 'Ada', op: 'create', element: { id: 's-2', kind: 'step', x: 0, y: 0 } }] }));
  assert.equal(model.pending.length, 0);
  assert.deepEqual(saved.at(-1), []);
});

test('a viewer never sends operations', () => {
  const { session, sent, model } = setup('viewer');
  session.opened();
  session.received(welcome({ you: { peer: 'p1', name: 'Ada', color: '#000000', role: 'viewer' } }));
  session.submit([{ cid: 'a:1', op: 'delete', id: 's-1' }]);
  session.drag([{ id: 's-1', x: 1, y: 1 }]);
  assert.equal(model.pending.length, 0);
  assert.deepEqual(sent.map((m) => m.type), ['hello']);
});

test('an edit refused because someone deleted its step meanwhile names the step and the lost words', () => {
  const { session, notes, model } = setup();
  session.opened();
  session.received(welcome());
  session.submit([{ cid: 'a:1', op: 'update', id: 's-1', set: { text: 'Build offline', wait_minutes: 300, wait_text: '5h' } }]);
  session.received(JSON.stringify({ type: 'ops', ops: [{ seq: 6, cid: 'b:1', by: 'p2', name: 'Bo', op: 'delete', id: 's-1' }] }));
  session.received(JSON.stringify({
    type: 'error', code: 'rejected', reason: "no element with id 's-1' (it may have been deleted)", cid: 'a:1',
  }));
  assert.equal(model.pending.length, 0);
  assert.deepEqual(notes, [
    'Build was deleted by someone else before your change reached the server: “Build offline”, “5h” was not saved.',
  ]);
});

test('a drag left with nothing in it (deleted by someone meanwhile) sends no frame', () => {
  const { session, sent } = setup();
  session.opened();
  session.received(welcome());
  session.drag([]);
  assert.deepEqual(sent.map((m) => m.type), ['hello']);
});

test("peers' drags move elements; our own echo is ignored", () => {
  const { session, model } = setup();
  session.opened();
  session.received(welcome());
  session.received(JSON.stringify({ type: 'transient', cursors: [], drags: [
    { peer: 'p1', moves: [{ id: 's-1', x: 500, y: 0 }] },
    { peer: 'p2', moves: [{ id: 's-1', x: 70, y: 80 }] }] }));
  assert.equal(session.live.apply(model.view().elements).get('s-1')?.x, 70);
});

test('unknown or broken frames are ignored', () => {
  const { session } = setup();
  session.received('not json');
  session.received(JSON.stringify({ type: 'surprise' }));
  assert.equal(session.status, 'connecting');
});

test('big batches split under the count and size limits', () => {
  const many = Array.from({ length: 450 }, (_, i) => ({ cid: `a:${i}`, op: 'delete', id: `s-${i}` }));
  assert.deepEqual(chunkOps(/** @type {any} */ (many)).map((c) => c.length), [200, 200, 50]);
  const long = Array.from({ length: 60 }, (_, i) => ({ cid: `a:${i}`, op: 'update', id: 's', set: { text: 'x'.repeat(2000) } }));
  for (const chunk of chunkOps(/** @type {any} */ (long))) assert.ok(JSON.stringify(chunk).length < 90_000);
});

test("a viewer drops another tab's stored ops instead of holding them pending forever", () => {
  const { session, model, sent, saved } = setup('viewer');
  model.addPending({ cid: 'other:1', op: 'delete', id: 's-1' });
  session.opened();
  session.received(welcome({ you: { peer: 'p1', name: 'Ada', color: '#000000', role: 'viewer' } }));
  assert.equal(model.pending.length, 0);
  assert.equal(session.status, 'connected');
  assert.deepEqual(saved, [], 'the stored ops are left for the tab that made them');
  assert.deepEqual(sent.map((m) => m.type), ['hello']);
});

test('a metrics patch changes the metrics we hold into new ones; whole metrics replace them', () => {
  const { session, model } = setup();
  session.opened();
  session.received(welcome({ metrics: { lead_time_minutes: 60, steps: [{ id: 's-1', text: 'Build' }] } }));
  const held = model.metrics;
  session.received(JSON.stringify({ type: 'metrics', seq: 6, patch: [['steps', 0, 'text', 'Test']] }));
  assert.deepEqual(model.metrics, { lead_time_minutes: 60, steps: [{ id: 's-1', text: 'Test' }] });
  assert.notEqual(model.metrics, held, 'a new object, so what compares by identity redraws');
  session.received(JSON.stringify({ type: 'metrics', seq: 7, metrics: { lead_time_minutes: 5 } }));
  assert.deepEqual(model.metrics, { lead_time_minutes: 5 });
});

test('a patch that does not fit what we hold keeps our metrics and reconnects for whole ones', () => {
  const { session, model } = setup();
  let restarts = 0;
  session.transport.restart = () => { restarts += 1; };
  session.opened();
  session.received(welcome({ metrics: { lead_time_minutes: 60 } }));
  session.received(JSON.stringify({ type: 'metrics', seq: 6, patch: [['steps', 0, 'text', 'Test']] }));
  assert.deepEqual(model.metrics, { lead_time_minutes: 60 });
  assert.equal(restarts, 1);
});

test('the forecast arrives in a welcome and in its own messages, and leaves the metrics alone', () => {
  const { session, model } = setup();
  session.opened();
  session.received(welcome({ metrics: { lead_time_minutes: 60 }, forecast: { p85_minutes: 90 } }));
  assert.deepEqual(model.forecast, { p85_minutes: 90 });
  session.received(JSON.stringify({ type: 'forecast', seq: 6, forecast: { p85_minutes: 120 } }));
  assert.deepEqual(model.forecast, { p85_minutes: 120 });
  assert.deepEqual(model.metrics, { lead_time_minutes: 60 });
  session.received(JSON.stringify({ type: 'forecast', seq: 7, forecast: null }));
  assert.equal(model.forecast, null);
});

test('a view with no size (a page not laid out yet, or shrunk to nothing) is never sent', () => {
  const { session, sent } = setup();
  session.opened();
  session.received(welcome());
  sent.length = 0;
  for (const empty of [{ x: 0, y: 0, w: 0, h: 600 }, { x: 0, y: 0, w: 800, h: 0 },
    { x: 0, y: 0, w: -5, h: 10 }, { x: 0, y: 0, w: NaN, h: 10 }, { x: NaN, y: 0, w: 10, h: 10 }]) {
    session.view(empty);
  }
  session.view({ x: 10, y: 20, w: 800, h: 600 });
  const views = sent.filter((m) => m.type === 'view');
  assert.equal(views.length, 1);
  assert.deepEqual([views[0].x, views[0].y, views[0].w, views[0].h], [10, 20, 800, 600]);
});

// ---- flaky networks and a server that refuses for now ------------------------

/** @param {string} cid @param {string} [code] */
const refusal = (cid, code = 'rate_limited') => JSON.stringify({
  type: 'error', code, reason: 'too many edits: at most 50 operations a second (bursts of 600); this one was not saved', cid,
});

/** The server's answer to ops it applied: each comes back as an entry, by cid. @param {any[]} ops @param {number} seq */
const entries = (ops, seq) => JSON.stringify({
  type: 'ops', ops: ops.map((op, i) => ({ ...op, seq: seq + i, by: 'p1', name: 'Ada', ...(op.op === 'create' ? { element: { x: 0, y: 0, ...op.element } } : {}) })),
});

test('a queue bigger than the server takes at once goes out paced to its budget, each op once', () => {
  const { session, sent, advance } = setup();
  const creates = Array.from({ length: 720 }, (_, i) => ({ cid: `a:${i}`, op: /** @type {const} */ ('create'), element: { id: `n-${i}`, kind: 'note' } }));
  session.submit(creates);
  session.opened();
  session.received(welcome());
  assert.ok(sentCids(sent).length <= 600, `${sentCids(sent).length} sent at once; the server's burst is 600`);
  assert.ok(sentCids(sent).length >= 400, 'most of it goes at once');
  advance(20_000);
  assert.deepEqual(sentCids(sent), creates.map((op) => op.cid), 'all of them, in order, none twice');
});

test('an op refused for the rate limit stays pending, is not called unsaved, and goes again later', () => {
  const { session, model, sent, notes, advance } = setup();
  session.opened();
  session.received(welcome());
  const ops = [{ cid: 'a:1', op: /** @type {const} */ ('update'), id: 's-1', set: { x: 16 } },
    { cid: 'a:2', op: /** @type {const} */ ('update'), id: 's-1', set: { text: 'Build it' } }];
  session.submit(ops);
  sent.length = 0;
  session.received(refusal('a:1'));
  session.received(refusal('a:2'));
  assert.deepEqual(model.pending.map((o) => o.cid), ['a:1', 'a:2']);
  assert.equal(model.get('s-1')?.x, 16, 'the page still shows the edit');
  assert.equal(session.status, 'saving');
  assert.deepEqual(notes, [], 'nothing says "Not saved" about an edit that will be saved');
  assert.deepEqual(sentCids(sent), [], 'not sent again at once: the server just said it is over budget');
  advance(30_000);
  assert.deepEqual(sentCids(sent), ['a:1', 'a:2'], 'sent again, with the same cids, in order');
  session.received(entries(ops, 6));
  assert.equal(model.pending.length, 0);
  assert.equal(session.status, 'connected');
});

test('edits made after a refusal wait behind the refused ones, so the server applies them in order', () => {
  const { session, sent, advance } = setup();
  session.opened();
  session.received(welcome());
  session.submit([{ cid: 'a:1', op: 'update', id: 's-1', set: { text: 'One' } }]);
  session.received(refusal('a:1'));
  session.submit([{ cid: 'a:2', op: 'update', id: 's-1', set: { color: 'blue' } }]);
  advance(30_000);
  assert.deepEqual(sentCids(sent), ['a:1', 'a:1', 'a:2']);
});

test("an offline queue of nudges goes as each element's last position, with that op's cid", () => {
  const { session, model, sent } = setup();
  const ids = Array.from({ length: 60 }, (_, i) => `s-${i}`);
  let n = 0;
  for (let press = 1; press <= 12; press++) {
    session.submit(ids.map((id) => ({ cid: `a:${++n}`, op: /** @type {const} */ ('update'), id, set: { x: 16 * press, y: 40 } })));
  }
  assert.equal(model.pending.length, 720);
  session.opened();
  session.received(welcome({ snapshot: { board: { id: 'b', title: 'T' }, elements: ids.map((id) => ({ id, kind: 'step', x: 0, y: 40 })) } }));
  const ops = sent.filter((m) => m.type === 'ops').flatMap((m) => m.ops);
  assert.equal(ops.length, 60);
  assert.deepEqual(ops.map((/** @type {any} */ o) => o.cid), Array.from({ length: 60 }, (_, i) => `a:${660 + i + 1}`));
  assert.ok(ops.every((/** @type {any} */ o) => o.set.x === 192 && o.set.y === 40));
  assert.ok(ids.every((id) => model.get(id)?.x === 192), 'the page shows the same board');
  assert.equal(model.pending.length, 60);
});

test('an update is merged only into a later update of the same element field, never past a create or delete', () => {
  const { session, sent } = setup();
  session.submit([
    { cid: 'a:1', op: 'update', id: 's-1', set: { x: 1, text: 'A' } },
    { cid: 'a:2', op: 'update', id: 's-1', set: { x: 2 } },
    { cid: 'a:3', op: 'delete', id: 'c-1' },
    { cid: 'a:4', op: 'update', id: 's-1', set: { text: 'B' } },
  ]);
  session.opened();
  session.received(welcome());
  const ops = sent.filter((m) => m.type === 'ops').flatMap((m) => m.ops);
  assert.deepEqual(ops, [
    { cid: 'a:1', op: 'update', id: 's-1', set: { text: 'A' } },
    { cid: 'a:2', op: 'update', id: 's-1', set: { x: 2 } },
    { cid: 'a:3', op: 'delete', id: 'c-1' },
    { cid: 'a:4', op: 'update', id: 's-1', set: { text: 'B' } },
  ]);
});

test('an op the server cannot read (an error without a cid) is tried alone a few times, then dropped and named', () => {
  const { session, model, sent, notes, saved, advance } = setup();
  session.opened();
  session.received(welcome());
  const good = { cid: 'a:1', op: /** @type {const} */ ('update'), id: 's-1', set: { x: 5 } };
  const bad = { cid: 'a:2', op: /** @type {const} */ ('update'), id: 's-1', set: { text: 'Broken \ud83d paste' } };
  session.submit([good, bad]);
  const unreadable = JSON.stringify({ type: 'error', code: 'malformed', reason: 'message: Invalid JSON', cid: null });
  let resends = 0;
  for (let round = 0; round < 10 && model.pending.length; round++) {
    session.received(unreadable);
    if (round === 1) session.received(entries([good], 6)); // alone, the good one goes through
    advance(10_000);
    resends = sentCids(sent).filter((cid) => cid === 'a:2').length;
  }
  assert.deepEqual(model.pending, [], 'not "Saving…" for ever');
  assert.ok(resends <= 4, `sent ${resends} times`);
  assert.equal(session.status, 'connected');
  assert.ok(notes.some((m) => /^Not saved/.test(m)), `told the user: ${JSON.stringify(notes)}`);
  assert.deepEqual(saved.at(-1), [], 'and forgotten by the store, so a reload does not send it again');
  const alone = sent.filter((m) => m.type === 'ops' && m.ops.some((/** @type {any} */ o) => o.cid === 'a:2')).slice(1);
  assert.ok(alone.every((m) => m.ops.length === 1), 'tried alone, so it cannot take other edits down with it');
});

test('a refused op is still dropped and named: only the rate limit means "later"', () => {
  const { session, model, notes, advance, sent } = setup();
  session.opened();
  session.received(welcome());
  session.submit([{ cid: 'a:1', op: 'update', id: 's-1', set: { pca: 120 } }]);
  session.received(refusal('a:1', 'rejected'));
  advance(30_000);
  assert.equal(model.pending.length, 0);
  assert.equal(notes.length, 1);
  assert.deepEqual(sentCids(sent), ['a:1']);
});

test('the server\'s clock is read against when the welcome arrived, not when it was handled', () => {
  // Loading a big map's snapshot comes first: read after it, our estimate of the server's
  // clock fell that far behind, and a 5-minute countdown read 5:01 at its start.
  const { session } = setup();
  session.opened();
  const arrived = Date.now() - 900;
  session.received(welcome({ now: new Date(arrived + 5_000).toISOString() }), arrived);
  assert.equal(session.clockSkew, 5_000);
});

test('while the page waits for a name the status says it has not joined, not that it is connecting', () => {
  const { session } = setup();
  session.awaitingName = true;
  assert.equal(session.status, 'unjoined');
  session.awaitingName = false;
  assert.equal(session.status, 'connecting');
  session.opened();
  session.received(welcome());
  assert.equal(session.status, 'connected');
});
