// @ts-check
// The Flow panel's handoff line, per-team rows and the future state's handoff delta,
// from the metrics' shapes in the issue-21 contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deltaWords, handoffDelta, handoffLine, hasTeams, teamRows } from '../js/ui/handoffs.js';

const calendar = { hours_per_day: 8, days_per_week: 5 };
const metrics = {
  handoffs: { count: 2, wait_minutes: 4800, share: 0.41, edges: [['s-build', 's-review'], ['s-review', 's-deploy']],
    display: { wait: '10d', share: '41%' } },
  teams: [
    { id: 't-dev', name: 'Development', color: 'blue', steps: ['s-build', 's-code'], process_minutes: 960, wait_minutes: 1440, rolled_pca: 72 },
    { id: 't-qa', name: 'QA', color: 'green', steps: ['s-review'], process_minutes: 0, wait_minutes: 4800, rolled_pca: null },
  ],
};

test('the headline says the handoffs on the path and the wait at them', () => {
  assert.equal(handoffLine(metrics), 'Handoffs: 2 on the path · 10d of waiting at handoffs (41% of lead time)');
});

test('without a lead time the share is left out; without a wait, the wait', () => {
  const noShare = { ...metrics, handoffs: { ...metrics.handoffs, share: null, display: { wait: '10d', share: null } } };
  assert.equal(handoffLine(noShare), 'Handoffs: 2 on the path · 10d of waiting at handoffs');
  const noWait = { ...metrics, handoffs: { ...metrics.handoffs, wait_minutes: 0 } };
  assert.equal(handoffLine(noWait), 'Handoffs: 2 on the path');
});

test('teams but no handoff on the path: said so; no teams at all: nothing', () => {
  const none = { handoffs: { count: 0, wait_minutes: 0, share: null, edges: [], display: {} }, teams: [metrics.teams[0]] };
  assert.equal(handoffLine(none), 'Handoffs: none on the path');
  const noTeams = { handoffs: { count: 0, wait_minutes: 0, share: null, edges: [], display: {} }, teams: [] };
  assert.equal(hasTeams(noTeams), false);
  assert.equal(handoffLine(noTeams), '');
  assert.equal(handoffLine({}), ''); // an older server sends neither
});

test('per team: steps, process time and wait in the board\'s calendar, %C/A rounded', () => {
  assert.deepEqual(teamRows(metrics, calendar), [
    { id: 't-dev', name: 'Development', color: 'blue', steps: '2', process: '2d', wait: '3d', pca: '72%' },
    { id: 't-qa', name: 'QA', color: 'green', steps: '1', process: '0m', wait: '10d', pca: '–' },
  ]);
});

test('a team\'s zero duration reads "0m", as the PDF\'s team table prints it (format_duration)', () => {
  const idle = { teams: [{ id: 't', name: 'T', color: 'blue', steps: ['s'], process_minutes: 0, wait_minutes: 0, rolled_pca: 100 }] };
  const [row] = teamRows(idle, calendar);
  assert.deepEqual([row.process, row.wait], ['0m', '0m']);
});

test('a future-state map says how many handoffs it removes', () => {
  assert.equal(handoffDelta({ handoffs: { current: 4, future: 2, delta: -2 } }), '4 → 2 (2 handoffs fewer)');
  assert.equal(handoffDelta({ handoffs: { current: 1, future: 2, delta: 1, display: '1 handoff more' } }), '1 → 2 (1 handoff more)');
  assert.equal(handoffDelta({ handoffs: { before: 3, after: 3 } }), '3 → 3 (as many handoffs)');
  assert.equal(handoffDelta(null), '');
  assert.equal(deltaWords(-1), '1 handoff fewer');
});
