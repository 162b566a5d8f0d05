// @ts-check
// Dot votes: a tie reads as one rank; progress counts who has placed all their dots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankVotes, voteProgress } from '../js/ui/votes.js';

test('equal totals share a rank and are marked tied; the next rank skips', () => {
  const ranked = rankVotes([['Pack', 3], ['Pick', 5], ['Ship', 5], ['Bill', 1]]);
  assert.deepEqual(ranked.map((r) => [r.text, r.rank, r.tied]),
    [['Pick', 1, true], ['Ship', 1, true], ['Pack', 3, false], ['Bill', 4, false]]);
});

test('no tie, ranks 1, 2, 3; the list stops after the fifth rank unless it ties', () => {
  const ranked = rankVotes([['a', 9], ['b', 8], ['c', 7], ['d', 6], ['e', 5], ['f', 4]]);
  assert.deepEqual(ranked.map((r) => r.rank), [1, 2, 3, 4, 5]);
  assert.ok(ranked.every((r) => !r.tied));
  const tiedFifth = rankVotes([['a', 9], ['b', 8], ['c', 7], ['d', 6], ['e', 5], ['f', 5]]);
  assert.equal(tiedFifth.length, 6);
});

test('progress: who placed all their dots, who is part-way, of the people here', () => {
  const voters = new Map([['c-a', 3], ['c-b', 1], ['c-c', 3]]);
  assert.deepEqual(voteProgress(voters, 3, 12), { done: 2, partly: 1, people: 12 });
  // People who voted and left still count among the people.
  assert.deepEqual(voteProgress(voters, 3, 2), { done: 2, partly: 1, people: 3 });
  assert.deepEqual(voteProgress(new Map(), 3, 5), { done: 0, partly: 0, people: 5 });
});

test("an open vote's own dot on nothing, or on something made since under its target's id, is offered back", async () => {
  const { badgeModel } = await import('../js/canvas/badges.js');
  const all = (/** @type {any[]} */ els) => new Map(els.map((e) => [e.id, e]));
  const vote = { id: 'v1', kind: 'vote', dots: 3, open: true };
  const dot = (id, target, author = 'c-ada') => ({ id, kind: 'dot', vote: 'v1', target, author_id: author });
  const ship = { id: 'ship', kind: 'step' };
  // Plan was deleted; Bob made a note under its id afterwards: it gathers none of them.
  const board = all([vote, ship, dot('d1', 'ship'), dot('d2', 'plan'), dot('d3', 'ship2'),
    dot('d4', null, 'c-bob'), { id: 'plan', kind: 'note' }]);
  const model = badgeModel(board, 'c-ada');
  assert.deepEqual(model.stranded, ['d2', 'd3']);
  assert.deepEqual([...model.marks.keys()], ['ship']);
  assert.equal(model.voters.get('c-ada'), 3, 'every dot still counts');
  assert.deepEqual(badgeModel(all([vote, ship, dot('d2', 'plan')]), 'c-bob').stranded, [], "not Bob's");
  const closed = all([{ ...vote, open: false }, ship, dot('d1', 'ship')]);
  assert.deepEqual(badgeModel(closed, 'c-ada').stranded, []);
});
