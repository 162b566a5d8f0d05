// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { History, inverseOps, said, standing } from '../js/commands/history.js';

const view = () => ({
  frame: { title: 'T' },
  elements: new Map(/** @type {[string, any][]} */ ([
    ['s-1', { id: 's-1', kind: 'step', x: 0, y: 0, text: 'Build', color: 'yellow' }],
    ['s-2', { id: 's-2', kind: 'step', x: 300, y: 0, text: 'Test', color: 'yellow' }],
    ['c-1', { id: 'c-1', kind: 'connector', source: 's-1', target: 's-2', connector: 'flow' }],
  ])),
});

test('the inverse of a create is a delete', () => {
  assert.deepEqual(inverseOps([{ op: 'create', element: { id: 's-9', kind: 'step' } }], view()),
    [{ op: 'delete', id: 's-9' }]);
});

test('the inverse of an update restores the previous values', () => {
  assert.deepEqual(inverseOps([{ op: 'update', id: 's-1', set: { x: 50, color: 'blue' } }], view()),
    [{ op: 'update', id: 's-1', set: { x: 0, color: 'yellow' } }]);
});

test('the inverse of deleting a step recreates it, then its arrows', () => {
  const inverse = inverseOps([{ op: 'delete', id: 's-1' }], view());
  assert.deepEqual(inverse.map((e) => e.op === 'create' && e.element.id), ['s-1', 'c-1']);
});

test('recreating a deleted step leaves the server-stamped provenance to the server', () => {
  const before = view();
  const stamped = { ...before.elements.get('s-1'), provenance: { text: { by: 'Ada', how: 'typed' } } };
  before.elements.set('s-1', /** @type {any} */ (stamped));
  const [again] = inverseOps([{ op: 'delete', id: 's-1' }], before);
  assert.ok(again.op === 'create');
  assert.deepEqual(again.element, { id: 's-1', kind: 'step', x: 0, y: 0, text: 'Build', color: 'yellow' });
});

test('inverses run in reverse order', () => {
  const inverse = inverseOps([
    { op: 'create', element: { id: 's-9', kind: 'step' } },
    { op: 'update', id: 's-9', set: { text: 'X' } },
  ], view());
  assert.deepEqual(inverse.map((e) => e.op), ['update', 'delete']);
});

test('undo then redo hands back the inverse, then the original', () => {
  const history = new History();
  const forward = [{ op: /** @type {const} */ ('delete'), id: 's-1' }];
  history.record(forward, inverseOps(forward, view()));
  assert.equal(history.undo()?.[0].op, 'create');
  assert.equal(history.undo(), null);
  assert.deepEqual(history.redo(), forward);
  assert.equal(history.canRedo, false);
});

test('undoing a team op touches only that team', () => {
  const dev = { id: 't-dev', name: 'Dev', color: 'blue' };
  const qa = { id: 't-qa', name: 'QA', color: 'green' };
  const teamed = { ...view(), frame: { title: 'T', teams: [dev, qa] } };
  assert.deepEqual(inverseOps([{ op: 'team', id: 't-ops', set: { name: 'Ops' } }], teamed),
    [{ op: 'team', id: 't-ops', remove: true }]);
  assert.deepEqual(inverseOps([{ op: 'team', id: 't-qa', set: { color: 'red' } }], teamed),
    [{ op: 'team', id: 't-qa', set: { color: 'green' } }]);
  // A removed team comes back where it stood.
  assert.deepEqual(inverseOps([{ op: 'team', id: 't-dev', remove: true }], teamed),
    [{ op: 'team', id: 't-dev', set: { name: 'Dev', color: 'blue' }, at: 0 }]);
  // Within one batch each op's inverse sees the ops before it.
  assert.deepEqual(inverseOps([{ op: 'team', id: 't-ops', set: { name: 'Ops' } }, { op: 'team', id: 't-ops', set: { name: 'Run' } }], teamed),
    [{ op: 'team', id: 't-ops', set: { name: 'Ops' } }, { op: 'team', id: 't-ops', remove: true }]);
});

test("undo puts back only what still stands as this page left it: a colleague's later change stays", () => {
  const step = /** @type {any} */ ({ id: 's1', kind: 'step', x: 0, y: 0, wait_minutes: 480, text: 'Build' });
  const before = { elements: new Map([['s1', step]]), frame: {} };
  const forward = [/** @type {any} */ ({ op: 'update', id: 's1', set: { wait_minutes: 2400, text: 'Build it' } })];
  const inverse = inverseOps(forward, before);
  // Then Sam set the wait to two weeks; the name is still ours.
  const now = { elements: new Map([['s1', { ...step, wait_minutes: 4800, text: 'Build it' }]]) };
  const { edits, kept } = standing(inverse, forward, now);
  assert.deepEqual(edits, [{ op: 'update', id: 's1', set: { text: 'Build' } }]);
  assert.equal(kept, 1);
  // Nobody changed anything: all of it goes back.
  const untouched = { elements: new Map([['s1', { ...step, wait_minutes: 2400, text: 'Build it' }]]) };
  assert.deepEqual(standing(inverse, forward, untouched), { edits: inverse, kept: 0, left: [] });
  // Deleted by someone since: nothing to put back, and it says so (not "it stays as they set it").
  const gone = standing(inverse, forward, { elements: new Map(), removed: new Map([['s1', step]]) });
  assert.deepEqual(gone, { edits: [], kept: 0, left: [{ id: 's1', why: 'gone', name: '“Build”' }] });
  assert.deepEqual(said(gone), ['“Build” has been deleted since: there is nothing of it to undo.']);
  // A create of what is not there goes as it is.
  const create = [/** @type {any} */ ({ op: 'create', element: step })];
  assert.deepEqual(standing(create, [], { elements: new Map() }).edits, create);
});

test('undoing a frame field that had no value clears it again (null), not to an empty text the server refuses', () => {
  const frame = { title: 'T', demand_per_day: null, figures_from: 'estimates' };
  const inverse = inverseOps([{ op: 'board', set: { demand_per_day: 4, title: 'U' } }], { frame, elements: new Map() });
  assert.deepEqual(inverse, [{ op: 'board', set: { demand_per_day: null, title: 'T' } }]);
});

test("undoing a frame change leaves a field a colleague has set since as they set it", () => {
  const forward = [/** @type {any} */ ({ op: 'board', set: { title: 'Mine', scope: 'Door to door' } })];
  const inverse = inverseOps(forward, { frame: { title: 'Old', scope: '' }, elements: new Map() });
  // A colleague renamed the map after this page did; the scope still stands as this page left it.
  const now = { frame: { title: 'Theirs', scope: 'Door to door' }, elements: new Map() };
  const { edits, kept } = standing(inverse, forward, now);
  assert.deepEqual(edits, [{ op: 'board', set: { scope: '' } }]);
  assert.equal(kept, 1);
});

test("undoing a step's delete brings back my comments and estimates on it as mine, and leaves others' out", () => {
  const stamp = (who) => ({ author: who, author_id: `c-${who}`, at: '2026-11-23T09:00:00Z' });
  const board = view();
  board.elements.set('k-1', /** @type {any} */ ({ id: 'k-1', kind: 'comment', target: 's-1', parent: null, text: 'Why?', ...stamp('ada') }));
  board.elements.set('k-2', /** @type {any} */ ({ id: 'k-2', kind: 'comment', target: 's-1', parent: 'k-1', text: 'Because', ...stamp('bob') }));
  board.elements.set('e-1', /** @type {any} */ ({ id: 'e-1', kind: 'estimate', target: 's-1', field: 'wait_minutes', minutes: 60, ...stamp('ada') }));
  const inverse = inverseOps([{ op: 'delete', id: 's-1' }], board, 'c-ada');
  const made = inverse.map((e) => e.op === 'create' && e.element);
  assert.deepEqual(made.map((el) => el && el.id), ['s-1', 'c-1', 'k-1', 'e-1']);
  // The server stamps who wrote them, and refuses a create that says so itself.
  assert.deepEqual(made[2], { id: 'k-1', kind: 'comment', target: 's-1', parent: null, text: 'Why?' });
  assert.deepEqual(made[3], { id: 'e-1', kind: 'estimate', target: 's-1', field: 'wait_minutes', minutes: 60 });
});

test("undoing a step's delete puts it back in its team's lane, with its figures as typed", () => {
  const board = view();
  board.elements.set('s-3', /** @type {any} */ ({ id: 's-3', kind: 'step', x: 0, y: 200, text: 'Ship', color: 'yellow',
    owner: 't-ops', wait_minutes: 2400, wait_text: '1w', process_minutes: 60, process_text: '1h', provenance: {} }));
  const [create] = inverseOps([{ op: 'delete', id: 's-3' }], board);
  assert.equal(create.op, 'create');
  const element = /** @type {any} */ (create.op === 'create' && create.element);
  assert.equal(element.owner, 't-ops');
  assert.equal(element.wait_text, '1w');
  assert.equal(element.process_text, '1h');
  assert.equal(element.provenance, undefined);
});

test("undoing a delete puts the element back as it was when it went: a colleague's edit that got in first stays", () => {
  const forward = [/** @type {any} */ ({ op: 'delete', id: 's-1' })];
  const inverse = inverseOps(forward, view());
  // Bob renamed Build while this page, offline, deleted it: the server applied his rename first.
  const renamed = { ...view().elements.get('s-1'), text: 'Build it' };
  const now = { elements: new Map([...view().elements].filter(([id]) => id !== 's-1' && id !== 'c-1')),
    removed: new Map([['s-1', renamed]]) };
  const { edits } = standing(inverse, forward, now);
  assert.deepEqual(edits.map((e) => e.op === 'create' && e.element.text), ['Build it', undefined]);
});

test('undoing a create of something already gone (refused, or deleted by a colleague) sends nothing the server must refuse', () => {
  const forward = [/** @type {any} */ ({ op: 'create', element: { id: 'c-9', kind: 'connector', source: 's-1', target: 's-2' } })];
  const inverse = inverseOps(forward, view());
  // Refused when it was made (and said then): nothing more to say.
  assert.deepEqual(standing(inverse, forward, view()), { edits: [], kept: 0, left: [] });
  // Deleted by a colleague since: said.
  const deleted = standing(inverse, forward, { ...view(), removed: new Map([['c-9', forward[0].element]]) });
  assert.deepEqual(said(deleted), ['The arrow has been deleted since: there is nothing of it to undo.']);
  const drawn = view();
  drawn.elements.set('c-9', /** @type {any} */ ({ id: 'c-9', kind: 'connector', source: 's-1', target: 's-2' }));
  assert.deepEqual(standing(inverse, forward, drawn), { edits: inverse, kept: 0, left: [] });
});

test("undoing a team's rename leaves a colleague's later rename of it as they set it", () => {
  const qa = { id: 't-qa', name: 'QA', color: 'green' };
  const forward = [/** @type {any} */ ({ op: 'team', id: 't-qa', set: { name: 'Quality', color: 'teal' } })];
  const inverse = inverseOps(forward, { elements: new Map(), frame: { teams: [qa] } });
  const now = { elements: new Map(), frame: { teams: [{ id: 't-qa', name: 'Testing', color: 'teal' }] } };
  const { edits, kept } = standing(inverse, forward, now);
  assert.deepEqual(edits, [{ op: 'team', id: 't-qa', set: { color: 'green' } }]);
  assert.equal(kept, 1);
});

test("undoing a step's delete after its team went or the calendar changed puts it back as the server will take it", () => {
  const ship = { id: 's-3', kind: 'step', x: 0, y: 200, text: 'Ship', owner: 't-ops',
    wait_minutes: 480, wait_text: '1d', process_minutes: 60, process_text: '1h' };
  const board = { frame: { teams: [{ id: 't-ops', name: 'Ops', color: 'blue' }], hours_per_day: 8, days_per_week: 5 },
    elements: new Map([['s-3', /** @type {any} */ (ship)]]) };
  const forward = [/** @type {any} */ ({ op: 'delete', id: 's-3' })];
  const inverse = inverseOps(forward, board);
  // Since: the facilitator removed Ops and made the working day 7.5 hours, where "1d" is 450
  // minutes, not the 480 kept: a create saying either was refused, and the step lost for good.
  const now = { frame: { teams: [], hours_per_day: 7.5, days_per_week: 5 }, elements: new Map(),
    removed: new Map([['s-3', /** @type {any} */ (ship)]]) };
  for (const view of [now, { ...now, removed: new Map() }]) {
    const [create] = standing(inverse, forward, view).edits;
    const element = /** @type {any} */ (create.op === 'create' && create.element);
    assert.equal(element.owner, undefined);
    assert.equal(element.wait_text, undefined);
    assert.equal(element.wait_minutes, 480);
    assert.equal(element.process_text, '1h');
  }
});

test("undoing a step's delete leaves out my reply to someone else's comment, which cannot come back", () => {
  const stamp = (who) => ({ author: who, author_id: `c-${who}`, at: '2026-11-23T09:00:00Z' });
  const board = view();
  board.elements.set('k-1', /** @type {any} */ ({ id: 'k-1', kind: 'comment', target: 's-1', parent: null, text: 'Why?', ...stamp('bob') }));
  board.elements.set('k-2', /** @type {any} */ ({ id: 'k-2', kind: 'comment', target: 's-1', parent: 'k-1', text: 'Because', ...stamp('fay') }));
  // Fay (facilitator) deleted Build with Bob's question and her answer: Bob's stays gone, and her
  // answer alone was refused ('a reply must answer a comment on the same element').
  const inverse = inverseOps([{ op: 'delete', id: 's-1' }], board, 'c-fay');
  assert.deepEqual(inverse.map((e) => e.op === 'create' && e.element.id), ['s-1', 'c-1']);
  // Her answer deleted on its own comes back to Bob's question, still there.
  assert.deepEqual(inverseOps([{ op: 'delete', id: 'k-2' }], board, 'c-fay').map((e) => e.op === 'create' && e.element.id), ['k-2']);
});

const created = () => {
  const board = view();
  board.elements.set('s-9', /** @type {any} */ ({ id: 's-9', kind: 'step', x: 600, y: 0, text: 'Ship' }));
  return board;
};

test("undoing a create leaves the element where a colleague has built on it since, and says so", () => {
  const forward = [/** @type {any} */ ({ op: 'create', element: { id: 's-9', kind: 'step', x: 600, y: 0, text: 'Ship' } })];
  const inverse = inverseOps(forward, view(), 'c-ada');
  // Bob drew an arrow to Ship: deleting Ship would take his arrow with it.
  const arrow = created();
  arrow.elements.set('c-9', /** @type {any} */ ({ id: 'c-9', kind: 'connector', source: 's-2', target: 's-9', connector: 'flow' }));
  const drawn = standing(inverse, forward, { ...arrow, others: new Set(['c-9']), client: 'c-ada' });
  assert.deepEqual(drawn.edits, []);
  assert.deepEqual(said(drawn), ['“Ship” stays: others have added to it or changed it since. Delete it if it should go.']);
  // Bob's comment on it: the same (an authored element is someone else's by its author).
  const commented = created();
  commented.elements.set('k-9', /** @type {any} */ ({ id: 'k-9', kind: 'comment', target: 's-9', text: 'Why?', author_id: 'c-bob' }));
  assert.deepEqual(standing(inverse, forward, { ...commented, client: 'c-ada' }).edits, []);
  // Bob typed its wait: his figure would go with it.
  assert.deepEqual(standing(inverse, forward, { ...created(), others: new Set(['s-9']), client: 'c-ada' }).edits, []);
  // My own arrow on it, and nobody else's work: it goes, arrow and all.
  const mine = created();
  mine.elements.set('c-9', /** @type {any} */ ({ id: 'c-9', kind: 'connector', source: 's-2', target: 's-9', connector: 'flow' }));
  assert.deepEqual(standing(inverse, forward, { ...mine, others: new Set(), client: 'c-ada' }).edits, inverse);
});

test("undoing a create of a step or note while a dot vote is open leaves it: others' sealed dots may be on it", () => {
  const forward = [/** @type {any} */ ({ op: 'create', element: { id: 's-9', kind: 'step', x: 600, y: 0, text: 'Ship' } })];
  const inverse = inverseOps(forward, view(), 'c-fay');
  const voting = created();
  voting.elements.set('v-1', /** @type {any} */ ({ id: 'v-1', kind: 'vote', open: true, dots: 3 }));
  voting.elements.set('d-1', /** @type {any} */ ({ id: 'd-1', kind: 'dot', vote: 'v-1', target: null, author_id: 'c-bob' }));
  const result = standing(inverse, forward, { ...voting, client: 'c-fay' });
  assert.deepEqual(result.edits, []);
  assert.deepEqual(said(result), ["“Ship” stays: a dot vote is open, and others' dots may be on it."]);
});

test("a redo of a delete leaves the element a colleague has built on since the undo", () => {
  const forward = [/** @type {any} */ ({ op: 'delete', id: 's-1' })];
  const inverse = inverseOps(forward, view(), 'c-ada');
  const commented = view();
  commented.elements.set('k-9', /** @type {any} */ ({ id: 'k-9', kind: 'comment', target: 's-1', text: 'Why?', author_id: 'c-bob' }));
  assert.deepEqual(standing(forward, inverse, { ...commented, client: 'c-ada' }).edits, []);
});

test('a redo of a create that an undo left on the board sends nothing the server must refuse', () => {
  const forward = [/** @type {any} */ ({ op: 'create', element: { id: 's-9', kind: 'step', x: 600, y: 0, text: 'Ship' } })];
  const result = standing(forward, inverseOps(forward, view()), created());
  assert.deepEqual(result.edits, []);
  assert.deepEqual(said(result), []);
});

test('undoing a delete the page caught up on by a snapshot leaves it out, and says why: how it was then is not known', () => {
  const forward = [/** @type {any} */ ({ op: 'delete', id: 's-1' })];
  const inverse = inverseOps(forward, view());
  // The delete went through while the page was away; Bob's rename may have got in first.
  const now = { elements: new Map([['s-2', view().elements.get('s-2')]]), removed: new Map(), unseen: new Set(['s-1', 'c-1']) };
  const result = standing(inverse, forward, /** @type {any} */ (now));
  assert.deepEqual(result.edits, []); // its arrow neither: it has nothing to join
  assert.deepEqual(said(result),
    ['“Build” cannot come back: it was deleted while this page was reconnecting, and how it was then is not known here.']);
  // Seen deleted after the catch-up: it comes back as it was then.
  const seen = { ...now, removed: new Map([['s-1', { ...view().elements.get('s-1'), text: 'Build it' }]]) };
  assert.equal(/** @type {any} */ (standing(inverse, forward, /** @type {any} */ (seen)).edits[0]).element.text, 'Build it');
});

test("undoing a step's delete brings the step back without my dots of a vote closed since, and says so truly", () => {
  const board = view();
  board.elements.set('v-1', /** @type {any} */ ({ id: 'v-1', kind: 'vote', open: false, dots: 3 }));
  board.elements.set('d-1', /** @type {any} */ ({ id: 'd-1', kind: 'dot', vote: 'v-1', target: 's-1', author_id: 'c-ada' }));
  board.elements.set('d-2', /** @type {any} */ ({ id: 'd-2', kind: 'dot', vote: 'v-1', target: 's-1', author_id: 'c-ada' }));
  const forward = [/** @type {any} */ ({ op: 'delete', id: 's-1' })];
  const inverse = inverseOps(forward, board, 'c-ada');
  const now = new Map(board.elements);
  for (const id of ['s-1', 'c-1', 'd-1', 'd-2']) now.delete(id);
  const result = standing(inverse, forward, { elements: now, client: 'c-ada' });
  assert.deepEqual(result.edits.map((e) => e.op === 'create' && e.element.id), ['s-1', 'c-1']);
  assert.deepEqual(said(result), ['“Build” is back without your 2 dots: their vote is closed.']);
});

test("undoing an arrow's delete after a colleague deleted a step it joined says so, not 'Not saved'", () => {
  const forward = [/** @type {any} */ ({ op: 'delete', id: 'c-1' })];
  const inverse = inverseOps(forward, view());
  const now = { elements: new Map([['s-1', view().elements.get('s-1')]]) };
  const result = standing(inverse, forward, /** @type {any} */ (now));
  assert.deepEqual(result.edits, []);
  assert.deepEqual(said(result), ['The arrow cannot come back: what it was attached to has been deleted since.']);
});

test('withdrawing the last command leaves nothing to redo, and only that command', () => {
  const history = new History();
  const create = { op: 'create', element: { id: 's-2', kind: 'step', text: '' } };
  history.record([{ op: 'update', id: 's-1', set: { text: 'Plan' } }], [{ op: 'update', id: 's-1', set: { text: '' } }]);
  history.record([create], [{ op: 'delete', id: 's-2' }]);
  const mine = (/** @type {any} */ c) => c.forward.some((e) => e.op === 'create' && e.element.id === 's-2');
  const taken = history.withdraw(mine);
  assert.deepEqual(taken?.inverse, [{ op: 'delete', id: 's-2' }]);
  assert.equal(history.canRedo, false);
  assert.equal(history.canUndo, true);
  // The step's creation is no longer the last command: nothing else is withdrawn.
  assert.equal(history.withdraw(mine), null);
  assert.equal(history.done.length, 1);
});
