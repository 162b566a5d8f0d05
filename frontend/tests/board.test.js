// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { BoardModel, cascade, teamsAfter, withDefaults } from '../js/model/board.js';

/** @param {number} seq @param {object} rest @param {string|null} [cid] */
const entry = (seq, rest, cid = null) => /** @type {any} */ ({ seq, cid, by: 'p1', name: 'Ada', ...rest });

function boardWithBuild() {
  const board = new BoardModel();
  board.loadSnapshot({
    board: { id: 'b1', title: 'Delivery' },
    elements: [{ id: 's-build', kind: 'step', x: 0, y: 0, text: 'Build' }],
  }, 10);
  return board;
}

test('a snapshot replaces the confirmed board and fills defaults', () => {
  const board = boardWithBuild();
  board.loadSnapshot({ board: { id: 'b1', title: 'Other' }, elements: [{ id: 'n-1', kind: 'note' }] }, 20);
  assert.equal(board.seq, 20);
  assert.deepEqual([...board.view().elements.keys()], ['n-1']);
  assert.equal(board.get('n-1')?.color, 'pink');
  assert.equal(board.get('n-1')?.h, 120);
  assert.equal(board.view().frame.title, 'Other');
});

test('pending ops draw on top of the confirmed board at once', () => {
  const board = boardWithBuild();
  board.addPending({ cid: 'a:1', op: 'update', id: 's-build', set: { x: 200 } });
  assert.equal(board.get('s-build')?.x, 200);
  assert.equal(board.confirmed.get('s-build')?.x, 0, 'the confirmed layer is untouched');
});

test('a pending create shows with the defaults the server will fill in', () => {
  const board = boardWithBuild();
  board.addPending({ cid: 'a:1', op: 'create', element: { id: 's-new', kind: 'step', x: 5, y: 6 } });
  const el = board.get('s-new');
  assert.equal(el?.w, 168);
  assert.equal(el?.color, 'yellow');
  assert.equal(el?.text, '');
});

test('our own op coming back by cid is its ack: pending clears, the value stays', () => {
  const board = boardWithBuild();
  board.addPending({ cid: 'a:1', op: 'update', id: 's-build', set: { text: 'Build & test' } });
  board.applyEntry(entry(11, { op: 'update', id: 's-build', set: { text: 'Build & test' } }, 'a:1'));
  assert.equal(board.pending.length, 0);
  assert.equal(board.get('s-build')?.text, 'Build & test');
  assert.equal(board.seq, 11);
});

test('entries at or below the last seq are ignored', () => {
  const board = boardWithBuild();
  assert.equal(board.applyEntry(entry(10, { op: 'update', id: 's-build', set: { text: 'old' } })), false);
  assert.equal(board.applyEntry(entry(3, { op: 'delete', id: 's-build', removed: ['s-build'] })), false);
  assert.equal(board.get('s-build')?.text, 'Build');
  assert.equal(board.seq, 10);
});

test('an old entry still acknowledges its cid', () => {
  const board = boardWithBuild();
  board.addPending({ cid: 'a:1', op: 'update', id: 's-build', set: { x: 1 } });
  board.applyEntry(entry(9, { op: 'update', id: 's-build', set: { x: 1 } }, 'a:1'));
  assert.equal(board.pending.length, 0);
});

test('a rejected op is dropped and the view reverts to the confirmed board', () => {
  const board = boardWithBuild();
  board.addPending({ cid: 'a:1', op: 'update', id: 's-build', set: { text: 'Nope' } });
  assert.equal(board.get('s-build')?.text, 'Nope');
  assert.equal(board.drop('a:1')?.cid, 'a:1');
  assert.equal(board.get('s-build')?.text, 'Build');
  assert.equal(board.drop('a:1'), undefined);
});

test("others' edits land under our pending ones (ours win until acknowledged)", () => {
  const board = boardWithBuild();
  board.addPending({ cid: 'a:1', op: 'update', id: 's-build', set: { x: 50 } });
  board.applyEntry(entry(11, { op: 'update', id: 's-build', set: { x: 900, text: 'Built' } }));
  const el = board.get('s-build');
  assert.equal(el?.x, 50);
  assert.equal(el?.text, 'Built');
});

test('a delete entry removes everything listed in removed', () => {
  const board = boardWithBuild();
  board.applyEntries([
    entry(11, { op: 'create', element: withDefaults({ id: 's-test', kind: 'step', text: 'Test' }) }),
    entry(12, { op: 'create', element: withDefaults({ id: 'c-1', kind: 'connector', source: 's-build', target: 's-test' }) }),
    entry(13, { op: 'delete', id: 's-build', removed: ['s-build', 'c-1'] }),
  ]);
  assert.deepEqual([...board.view().elements.keys()], ['s-test']);
  assert.equal(board.seq, 13);
});

test('a pending delete of a step hides its connectors too', () => {
  const board = boardWithBuild();
  board.applyEntries([
    entry(11, { op: 'create', element: { id: 's-test', kind: 'step' } }),
    entry(12, { op: 'create', element: { id: 'c-1', kind: 'connector', source: 's-test', target: 's-build' } }),
  ]);
  board.addPending({ cid: 'a:1', op: 'delete', id: 's-test' });
  assert.deepEqual([...board.view().elements.keys()], ['s-build']);
  assert.deepEqual(cascade(board.confirmed, 's-test'), ['s-test', 'c-1']);
  assert.deepEqual(cascade(board.confirmed, 'c-1'), ['c-1'], 'deleting a connector removes only it');
});

test('a pending update of an element someone deleted changes nothing', () => {
  const board = boardWithBuild();
  board.addPending({ cid: 'a:1', op: 'update', id: 's-build', set: { x: 5 } });
  board.applyEntry(entry(11, { op: 'delete', id: 's-build', removed: ['s-build'] }));
  assert.equal(board.view().elements.size, 0);
  assert.equal(board.pending.length, 1, 'still pending until the server rejects it');
});

test('board entries and pending board ops change the frame', () => {
  const board = boardWithBuild();
  board.applyEntry(entry(11, { op: 'board', set: { title: 'Feature delivery' } }));
  assert.equal(board.view().frame.title, 'Feature delivery');
  board.addPending({ cid: 'a:1', op: 'board', set: { title: 'Mine' } });
  assert.equal(board.view().frame.title, 'Mine');
  assert.equal(board.frame.title, 'Feature delivery');
});

test('a calendar change re-expresses the ranges its entry names, as the server did', () => {
  const board = boardWithBuild();
  board.applyEntry(entry(11, { op: 'update', id: 's-build', set: { wait_minutes: 1200, wait_text: '2d-3d' } }));
  board.applyEntry(entry(12, { op: 'board', set: { hours_per_day: 7.5 }, retyped: { 's-build': { wait_text: '16h-24h' }, gone: { wait_text: '1h-2h' } } }));
  assert.equal(board.view().frame.hours_per_day, 7.5);
  assert.equal(board.get('s-build')?.wait_text, '16h-24h');
  assert.equal(board.get('s-build')?.wait_minutes, 1200);
  assert.equal(board.view().elements.has('gone'), false);
});

test('untouched elements keep their identity across views (cheap redraws)', () => {
  const board = boardWithBuild();
  const before = board.get('s-build');
  board.applyEntry(entry(11, { op: 'create', element: { id: 's-2', kind: 'step' } }));
  assert.equal(board.get('s-build'), before);
  board.applyEntry(entry(12, { op: 'update', id: 's-build', set: { x: 3 } }));
  assert.notEqual(board.get('s-build'), before);
});

test('pending ops apply in the order they were made', () => {
  const board = boardWithBuild();
  board.addPending({ cid: 'a:1', op: 'create', element: { id: 's-2', kind: 'step', text: 'A' } });
  board.addPending({ cid: 'a:2', op: 'update', id: 's-2', set: { text: 'B' } });
  assert.equal(board.get('s-2')?.text, 'B');
  board.applyEntry(entry(11, { op: 'create', element: withDefaults({ id: 's-2', kind: 'step', text: 'A' }) }, 'a:1'));
  assert.equal(board.get('s-2')?.text, 'B');
  assert.deepEqual(board.pending.map((op) => op.cid), ['a:2']);
});

test('cascade takes what hangs off an element with it, as the server does', () => {
  const els = new Map([
    ['s', { id: 's', kind: 'step' }], ['t', { id: 't', kind: 'step' }],
    ['a', { id: 'a', kind: 'connector', source: 's', target: 't' }],
    ['c1', { id: 'c1', kind: 'comment', target: 's' }], ['c2', { id: 'c2', kind: 'comment', target: 's', parent: 'c1' }],
    ['e', { id: 'e', kind: 'estimate', target: 's' }], ['v', { id: 'v', kind: 'vote' }],
    ['d1', { id: 'd1', kind: 'dot', vote: 'v', target: 's' }], ['d2', { id: 'd2', kind: 'dot', vote: 'v', target: 't' }],
  ].map(([id, el]) => [id, /** @type {any} */ (el)]));
  // The vote is open: its dots stay (sealed, the server holds them until it closes).
  assert.deepEqual(cascade(els, 's').sort(), ['a', 'c1', 'c2', 'e', 's']);
  assert.deepEqual(cascade(els, 'c1').sort(), ['c1', 'c2']);
  assert.deepEqual(cascade(els, 'v').sort(), ['d1', 'd2', 'v']);
  els.set('v', /** @type {any} */ ({ id: 'v', kind: 'vote', open: false }));
  assert.deepEqual(cascade(els, 's').sort(), ['a', 'c1', 'c2', 'd1', 'e', 's']);
});

test("a vote's close drops the dots it says a delete left on nothing", () => {
  const board = boardWithBuild();
  const dot = (id, target) => withDefaults({ id, kind: 'dot', vote: 'v1', target, author_id: 'c-ada' });
  board.applyEntries([
    entry(11, { op: 'create', element: withDefaults({ id: 'v1', kind: 'vote', text: 'Which?', dots: 2 }) }),
    entry(12, { op: 'create', element: dot('d-1', 's-build') }),
    entry(13, { op: 'delete', id: 's-build', removed: ['s-build'] }),
  ]);
  assert.equal(board.get('d-1')?.target, 's-build', 'held, counted, until the close');
  board.applyEntry(entry(14, { op: 'update', id: 'v1', set: { open: false }, removed: ['d-1'] }));
  assert.deepEqual([...board.view().elements.keys()], ['v1']);
});

test('a team op changes the teams as the server does (shared golden cases)', () => {
  const file = fileURLToPath(new URL('../../tests/fixtures/teams/team_ops.json', import.meta.url));
  const { cases } = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(cases.length >= 8, 'the fixture has its cases');
  for (const c of cases) {
    const after = teamsAfter(c.before, { op: 'team', ...c.op });
    assert.deepEqual(after, c.after ?? c.before, c.name);
  }
});

test('a pending team op shows at once and leaves the other teams alone', () => {
  const board = new BoardModel();
  board.loadSnapshot({ board: { teams: [{ id: 't-dev', name: 'Dev', color: 'blue' }] }, elements: [] }, 1);
  board.addPending({ cid: 'a:1', op: 'team', id: 't-qa', set: { name: 'QA', color: 'green' } });
  assert.deepEqual(board.view().frame.teams?.map((/** @type {any} */ t) => t.name), ['Dev', 'QA']);
  // Another facilitator's rename lands first: ours still shows on top of it.
  board.applyEntry({ seq: 2, cid: 'b:1', by: 'p2', name: 'Fay', op: 'board',
    set: { teams: [{ id: 't-dev', name: 'Engineering', color: 'blue' }] } });
  assert.deepEqual(board.view().frame.teams?.map((/** @type {any} */ t) => t.name), ['Engineering', 'QA']);
});

test('a delete entry keeps what it removed as the server had it then (what an undo puts back)', () => {
  const board = boardWithBuild();
  board.addPending({ cid: 'a:1', op: 'delete', id: 's-build' });
  board.applyEntries([
    entry(11, { op: 'update', id: 's-build', set: { text: 'Build it' } }),
    entry(12, { op: 'delete', id: 's-build', removed: ['s-build'] }, 'a:1'),
  ]);
  assert.equal(board.removed.get('s-build')?.text, 'Build it');
  board.applyEntry(entry(13, { op: 'create', element: withDefaults({ id: 's-build', kind: 'step', text: 'Build it' }) }));
  assert.equal(board.removed.has('s-build'), false);
});

test('a page remembers only its latest 2,000 deleted elements, the newest kept', () => {
  const board = new BoardModel();
  const many = Array.from({ length: 2100 }, (_, i) => withDefaults({ id: `s${i}`, kind: 'step', text: `${i}` }));
  board.loadSnapshot({ board: {}, elements: many }, 1);
  board.applyEntries(many.map((el, i) => entry(2 + i, { op: 'delete', id: el.id, removed: [el.id] })));
  assert.equal(board.removed.size, 2000);
  assert.equal(board.removed.has('s99'), false);
  assert.equal(board.removed.get('s2099')?.text, '2099');
});

test("a page knows what others made or changed beyond a move since it loaded: its own ops coming back are not", () => {
  const board = boardWithBuild();
  board.addPending({ cid: 'me:1', op: 'create', element: { id: 's-mine', kind: 'step' } });
  board.applyEntry(entry(11, { op: 'create', element: { id: 's-mine', kind: 'step' } }, 'me:1'));
  board.applyEntry(entry(12, { op: 'create', element: { id: 'c-bob', kind: 'connector', source: 's-build', target: 's-mine' } }, 'bob:1'));
  board.applyEntry(entry(13, { op: 'update', id: 's-build', set: { x: 90, y: 40 } }, 'bob:2'));
  assert.deepEqual([...board.others], ['c-bob']);
  board.applyEntry(entry(14, { op: 'update', id: 's-mine', set: { wait_minutes: 60 } }, 'bob:3'));
  assert.deepEqual([...board.others], ['c-bob', 's-mine']);
});

test('a catch-up snapshot tells what went unseen, and what others made or changed meanwhile', () => {
  const board = boardWithBuild();
  const test = /** @type {const} */ ({ op: 'create', element: { id: 's-test', kind: 'step', text: 'Test' } });
  board.addPending({ cid: 'me:0', ...test });
  board.applyEntry(entry(11, test, 'me:0'));
  board.addPending({ cid: 'me:1', op: 'delete', id: 's-build' });
  board.addPending({ cid: 'me:2', op: 'update', id: 's-test', set: { text: 'Test it' } });
  board.addPending({ cid: 'me:3', op: 'create', element: { id: 's-new', kind: 'step' } });
  // Away for long: Build went (this page's delete, its echo lost), Test was renamed by this page
  // and moved by Bob, Bob drew a note; this page's new step is not there yet.
  board.loadSnapshot({ board: { id: 'b1' }, elements: [
    { id: 's-test', kind: 'step', text: 'Test it', x: 300 }, { id: 'n-bob', kind: 'note', text: 'Why?' },
  ] }, 40);
  assert.deepEqual([...board.unseen].sort(), ['s-build', 's-new']);
  assert.deepEqual([...board.others], ['n-bob']);
  // Its create coming back after all: it is known again.
  board.applyEntry(entry(41, { op: 'create', element: { id: 's-new', kind: 'step' } }, 'me:3'));
  assert.deepEqual([...board.unseen], ['s-build']);
  // Renamed by someone else meanwhile: theirs.
  board.loadSnapshot({ board: { id: 'b1' }, elements: [
    { id: 's-test', kind: 'step', text: 'Testing', x: 300 }, { id: 'n-bob', kind: 'note', text: 'Why?' },
    { id: 's-new', kind: 'step' },
  ] }, 50);
  assert.ok(board.others.has('s-test'));
});

test('the first snapshot of a page tells nothing went unseen', () => {
  const board = boardWithBuild();
  assert.equal(board.unseen.size, 0);
  assert.equal(board.others.size, 0);
});

test("a vote's reveal drops its dots still held sealed that are no more", () => {
  const board = boardWithBuild();
  const dot = (id, target) => withDefaults({ id, kind: 'dot', vote: 'v1', target, author_id: 'c-ada' });
  board.applyEntries([
    entry(11, { op: 'create', element: withDefaults({ id: 'v1', kind: 'vote', text: 'Which?', dots: 2 }) }),
    entry(12, { op: 'create', element: dot('d-1', null) }),
    entry(13, { op: 'create', element: dot('d-2', null) }),
    entry(14, { op: 'delete', id: 's-build', removed: ['s-build'] }), // d-1 is held...
  ]);
  board.reveal([dot('d-2', 'n-1')], ['v1']); // ...until the close drops it
  assert.deepEqual([...board.view().elements.keys()], ['v1', 'd-2']);
  assert.equal(board.get('d-2')?.target, 'n-1');
});

test('a board read before joining is shown, and the welcome replaces it as the first board', () => {
  const board = new BoardModel();
  const step = { id: 's1', kind: 'step', text: 'Build', x: 0, y: 0 };
  board.preview(/** @type {any} */ ({ board: { title: 'Map' }, elements: [step] }));
  assert.equal(board.view().elements.get('s1')?.text, 'Build');
  assert.equal(board.seq, null); // the hello asks for the whole board
  const later = { ...step, text: 'Build and test' };
  board.loadSnapshot(/** @type {any} */ ({ board: { title: 'Map' }, elements: [later] }), 4);
  assert.equal(board.view().elements.get('s1')?.text, 'Build and test');
  assert.deepEqual([...board.others], []); // nothing "changed by others" in the first board
  // Once joined, a late HTTP answer does not take the live board back.
  board.preview(/** @type {any} */ ({ board: { title: 'Old' }, elements: [] }));
  assert.equal(board.view().elements.size, 1);
  assert.equal(board.seq, 4);
});
