// @ts-check
// The teams' rules: names, colours, and the one-batch operations Map settings and the
// step's Owner picker send (a team's removal clears its steps first, then the shorter list).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_TEAM_NAME, addAndAssignOps, addOps, changeOps, nextColor, newTeam, ownedSteps, removalOps, removalWarning,
  swimlaneOps, teamNameProblem, teamsOf,
} from '../js/ui/teams.js';
import { ownerChoices } from '../js/ui/owner-picker.js';

const dev = { id: 't-dev', name: 'Development', color: 'blue' };
const qa = { id: 't-qa', name: 'QA', color: 'green' };
/** @type {any[]} */
const elements = [
  { id: 's-build', kind: 'step', owner: 't-dev' },
  { id: 's-code', kind: 'step', owner: 't-dev' },
  { id: 's-test', kind: 'step', owner: 't-qa' },
  { id: 's-free', kind: 'step', owner: null },
  { id: 'n-1', kind: 'note', owner: 't-dev' },
];

test('a team name must be given, short enough, and unlike the others ignoring case', () => {
  assert.equal(teamNameProblem('  ', [dev]), 'Give the team a name');
  assert.equal(teamNameProblem('x'.repeat(MAX_TEAM_NAME + 1), []), `At most ${MAX_TEAM_NAME} characters`);
  assert.equal(teamNameProblem('qa', [dev, qa]), 'There is a team called QA already');
  assert.equal(teamNameProblem(' Ops ', [dev, qa]), null);
  // Renaming a team to its own name in another case is no clash.
  assert.equal(teamNameProblem('Qa', [dev, qa], 't-qa'), null);
  // As a display name (app/domain/names.py): nothing to see is no name, a look-alike a clash.
  assert.equal(teamNameProblem('\u3164', [dev]), 'Give the team a name others can see');
  assert.equal(teamNameProblem('Q\u200bA', [dev, qa]), 'There is a team called QA already');
  assert.equal(newTeam(' Op\u200bs   x ', [dev]).name, 'Ops x');
});

test('a new team gets a fresh id and the first colour nobody has', () => {
  assert.equal(nextColor([]), 'blue');
  assert.equal(nextColor([dev, qa]), 'orange');
  const team = newTeam('  Ops ', [dev, qa]);
  assert.equal(team.name, 'Ops');
  assert.equal(team.color, 'orange');
  assert.match(team.id, /^t-[0-9a-z]{8}$/);
  assert.equal(newTeam('Ops', [], 'teal').color, 'teal');
});

test('the frame\'s teams are read defensively', () => {
  assert.deepEqual(teamsOf({}), []);
  assert.deepEqual(teamsOf({ teams: [dev, { id: 3 }, null, { id: 't-x', name: 'X' }] }),
    [dev, { id: 't-x', name: 'X', color: 'grey' }]);
});

test('removing a team that owns steps: each step loses its owner first, then the shorter list', () => {
  assert.deepEqual(ownedSteps(elements, 't-dev').map((s) => s.id), ['s-build', 's-code']);
  assert.deepEqual(removalOps('t-dev', elements), [
    { op: 'update', id: 's-build', set: { owner: null } },
    { op: 'update', id: 's-code', set: { owner: null } },
    { op: 'team', id: 't-dev', remove: true },
  ]);
  // A team without steps goes alone.
  assert.deepEqual(removalOps('t-qa', elements.slice(0, 2)), [{ op: 'team', id: 't-qa', remove: true }]);
  assert.equal(removalWarning('Development', 3), 'Development owns 3 steps: they will have no owner');
  assert.equal(removalWarning('QA', 1), 'QA owns 1 step: it will have no owner');
});

test('a new team from the Owner picker: the team first, then the step', () => {
  const ops = addAndAssignOps(qa, 's-test');
  assert.deepEqual(ops, [{ op: 'team', id: 't-qa', set: { name: 'QA', color: 'green' } }, { op: 'update', id: 's-test', set: { owner: 't-qa' } }]);
  assert.deepEqual(addOps(qa), [ops[0]]);
});

test('renaming or recolouring sends that one team\'s change, not the list', () => {
  assert.deepEqual(changeOps('t-qa', { name: 'Testing' }), [{ op: 'team', id: 't-qa', set: { name: 'Testing' } }]);
  assert.deepEqual(changeOps('t-dev', { color: 'red' }), [{ op: 'team', id: 't-dev', set: { color: 'red' } }]);
});

test('swimlanes on go with the lane tidy\'s moves in one batch; off goes alone', () => {
  const plan = { ops: [{ op: 'update', id: 's-build', set: { x: 400, y: 0 } }] };
  assert.deepEqual(swimlaneOps(true, plan), [{ op: 'board', set: { swimlanes: true } }, plan.ops[0]]);
  assert.deepEqual(swimlaneOps(true, null), [{ op: 'board', set: { swimlanes: true } }]);
  assert.deepEqual(swimlaneOps(false, plan), [{ op: 'board', set: { swimlanes: false } }]);
});

test('the Owner picker offers none, the teams, and New team… only to the facilitator', () => {
  assert.deepEqual(ownerChoices([dev, qa], true), [['', '— none —'], ['t-dev', 'Development'], ['t-qa', 'QA'], ['__new__', 'New team…']]);
  assert.deepEqual(ownerChoices([dev], false), [['', '— none —'], ['t-dev', 'Development']]);
  // An owner that names no team (a removal on its way) still shows, as what it is.
  assert.deepEqual(ownerChoices([dev], false, 't-gone').at(-1), ['t-gone', 'Unknown team']);
});

test('two facilitators changing the teams at once both keep their change, in either order', async () => {
  const { applyChange } = await import('../js/model/board.js');
  // Both saw [Development, QA]: Ada adds Ops and gives it a step, Fay renames QA.
  const base = [dev, qa];
  const ops1 = addAndAssignOps({ id: 't-ops', name: 'Ops', color: 'teal' }, 's-free');
  const ops2 = changeOps('t-qa', { name: 'Testing' });
  for (const order of [[ops1, ops2], [ops2, ops1]]) {
    const frame = /** @type {Record<string, unknown>} */ ({ teams: base });
    const els = new Map(elements.map((e) => [e.id, e]));
    for (const batch of order) for (const op of batch) applyChange(els, frame, /** @type {any} */ (op));
    assert.deepEqual(frame.teams, [dev, { ...qa, name: 'Testing' }, { id: 't-ops', name: 'Ops', color: 'teal' }]);
  }
});
