// @ts-check
/**
 * Swimlane bands in the browser, against the golden cases
 * tests/fixtures/lanes/generate.py writes from app/domain/lanes.py
 * (tests/unit/test_lanes.py keeps them true for the Python): the same bands,
 * in the same order, to the last bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { LANE_LABEL_W, laneBands, lanesApart } from '../js/model/lanes.js';

/**
 * @typedef {import('../js/model/lanes.js').Band} Band
 * @typedef {import('../js/model/lanes.js').Team} Team
 * @typedef {{name: string, teams: Team[], elements: any[], bands: Band[], measured?: any,
 *   calendar?: {hours_per_day: number, days_per_week: number}}} LaneCase
 */

const FIXTURE = fileURLToPath(new URL('../../tests/fixtures/lanes/cases.json', import.meta.url));
/** @type {{cases: LaneCase[]}} */
const CASES = JSON.parse(readFileSync(FIXTURE, 'utf8'));
// At least this many, so an emptied fixture cannot pass.
const MIN_CASES = 10;

test('the fixture has its cases', () => {
  assert.ok(CASES.cases.length >= MIN_CASES);
  assert.ok(CASES.cases.some((c) => c.bands.some((b) => b.id === '')), 'an Unassigned band');
});

for (const c of CASES.cases) {
  test(`lanes: ${c.name}`, () => {
    assert.deepEqual(laneBands(c.elements, c.teams, { measured: c.measured, calendar: c.calendar }), c.bands);
  });
}

test('the fixture has a case whose event log lengthens a data box', () => {
  assert.ok(CASES.cases.some((c) => c.measured && c.calendar), 'a case with a measurement and its calendar');
});

// An event log measured both of a's times: a line each under its figures in a 168 px box.
const LOG = { steps: { a: { wait: { n: 42, median: 1680, p85: 2900 }, process: { n: 42, median: 90, p85: 200 } } } };
const TEAMS = [{ id: 't-dev', name: 'Development', color: 'blue' }, { id: 't-qa', name: 'QA', color: 'green' }];
/** @param {string} id @param {number} x @param {string|null} owner @param {number} [y] */
const laneStep = (id, x, owner, y = 0) => ({ id, kind: 'step', x, y, w: 168, h: 96, owner });

test('a band holds the measured lines under its steps\' figures: two lines are more than its padding', () => {
  const row = [laneStep('a', 0, 't-dev'), laneStep('b', 312, 't-dev')];
  const [plain] = laneBands(row, TEAMS);
  const [band] = laneBands(row, TEAMS, { measured: LOG, calendar: { hours_per_day: 8, days_per_week: 5 } });
  const drawn = 96 + 8 + 2 * 6 + (3 + 2) * 17; // the box, the gap, the figures and two measured lines
  assert.equal(band.y + band.h, drawn + 24);
  assert.equal(band.h, plain.h + 34);
});

test('lanes stacked apart keep clear of the measured lines too', () => {
  const row = [laneStep('a', 0, 't-dev'), laneStep('b', 312, 't-qa')];
  const plain = new Map(lanesApart(row, TEAMS).map((m) => [m.id, m.y]));
  const measured = new Map(lanesApart(row, TEAMS, { measured: LOG }).map((m) => [m.id, m.y]));
  assert.equal(/** @type {number} */ (measured.get('b')) - /** @type {number} */ (plain.get('b')), 34);
});

test('a Map of elements, as the board view holds them, gives the same bands', () => {
  const c = CASES.cases.find((k) => k.name === 'three teams in lanes');
  assert.ok(c);
  const map = new Map(c.elements.map((e) => [e.id, e]));
  map.set('n', { id: 'n', kind: 'note', x: -5000, y: -5000, w: 168, h: 120 });
  assert.deepEqual(laneBands(map, c.teams), c.bands);
});

test('each band leaves the label column left of its leftmost step', () => {
  const c = CASES.cases.find((k) => k.name === 'three teams in lanes');
  assert.ok(c);
  const bands = laneBands(c.elements, c.teams);
  assert.deepEqual(bands.map((b) => b.name), ['Development', 'QA', 'Operations']);
  for (const b of bands) assert.ok(b.x + LANE_LABEL_W < Math.min(...c.elements.map((e) => e.x)));
});

test('no teams at all gives no bands', () => {
  assert.deepEqual(laneBands([{ id: 'a', kind: 'step', x: 0, y: 0, w: 168, h: 96, owner: 't' }], undefined), []);
});

test('lanes on one row are stacked in their order, each with its queues; lanes already apart stay put', () => {
  const teams = [{ id: 't-dev', name: 'Development', color: 'blue' }, { id: 't-qa', name: 'QA', color: 'green' }];
  const step = (id, x, owner = null, y = 0) => ({ id, kind: 'step', x, y, w: 168, h: 96, owner });
  const row = [step('a', 0), step('b', 300, 't-qa'), step('c', 600, 't-dev'),
    { id: 'q', kind: 'inventory', x: 220, y: 20, w: 72, h: 64 }];
  const moves = new Map(lanesApart(row, teams).map((m) => [m.id, m.y]));
  const after = row.map((e) => ({ ...e, y: moves.get(e.id) ?? e.y }));
  const bands = laneBands(after, teams);
  assert.deepEqual(bands.map((b) => b.id), ['t-dev', 't-qa', '']);
  for (let i = 1; i < bands.length; i++) assert.ok(bands[i - 1].y + bands[i - 1].h < bands[i].y, JSON.stringify(bands));
  assert.equal(moves.has('c'), false, 'the top lane stays');
  assert.equal(moves.get('q'), 20 + /** @type {number} */ (moves.get('b')), 'the queue goes with the step it stands before');
  assert.deepEqual(lanesApart(after, teams), [], 'once apart, nothing more moves');
  // Lanes people stacked apart, even out of order, are left as they are.
  assert.deepEqual(lanesApart([step('x', 0, 't-qa'), step('y', 300, 't-dev', 600)], teams), []);
});
