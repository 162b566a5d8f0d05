// @ts-check
/**
 * A step's footprint is what is drawn under it, the measured lines an event log adds under
 * its figures included ("measured 3.5d, n=42"): one rule (model/boxes.js footprintOf) that
 * arrows, the ladder, placement and framing read, held to app/domain/lanes.py footprint by the
 * golden cases in tests/fixtures/lanes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { footprintOf } from '../js/model/boxes.js';
import { connectorPath, connectorRoom, rectOf } from '../js/model/geometry.js';
import { ladderTop } from '../js/model/ladder.js';
import { placeBeside, placeNew } from '../js/model/placement.js';

const FIXTURE = fileURLToPath(new URL('../../tests/fixtures/lanes/cases.json', import.meta.url));
/** @type {{cases: {name: string, elements: any[], measured?: any, calendar?: any, footprints: Record<string, number>}[]}} */
const CASES = JSON.parse(readFileSync(FIXTURE, 'utf8'));

for (const c of CASES.cases) {
  test(`footprint as app/domain/lanes.py has it: ${c.name}`, () => {
    const figures = { measured: c.measured, calendar: c.calendar };
    const got = Object.fromEntries(c.elements.map((el) => [el.id, footprintOf(el, figures).h]));
    assert.deepEqual(got, c.footprints);
  });
}

test('the golden footprints include a step whose measured lines wrap in a narrow box', () => {
  const measuredCase = CASES.cases.find((c) => c.measured);
  assert.ok(measuredCase, 'a case with an event log');
  const narrow = measuredCase.elements.find((el) => el.w === 100 && measuredCase.measured.steps[el.id]);
  assert.ok(narrow, 'a narrow measured step');
  assert.ok(measuredCase.footprints[narrow.id] > footprintOf(narrow).h + 3 * 17, 'its lines wrap: more than three');
});

const WEEK = Object.freeze({ hours_per_day: 8, days_per_week: 5 });
// An event log measured both of s1's times: "measured 3.5d, n=42" and "measured 1.5h, n=42",
// a line each under its figures in a 168 px box.
const LOG = { steps: { s1: { wait: { n: 42, median: 1680, p85: 2900 }, process: { n: 42, median: 90, p85: 200 } } } };
const FIGURES = { measured: LOG, calendar: WEEK };
const LINES = 2 * 17;
// A plain step as drawn: its box, the gap, three figure rows in their padding; then its two lines.
const PLAIN = 96 + 8 + 2 * 6 + 3 * 17;
const MEASURED = PLAIN + LINES;

/** @param {string} id @param {number} x @param {number} [y] */
const step = (id, x, y = 100) => /** @type {any} */ ({ id, kind: 'step', x, y, w: 168, h: 96 });
/** @param {any[]} els */
const mapOf = (els) => new Map(els.map((el) => [el.id, el]));

test('the measured lines make a step\'s footprint taller, and the same object is given back while nothing changed', () => {
  const s1 = step('s1', 0);
  const plain = footprintOf(s1);
  const measured = footprintOf(s1, FIGURES);
  assert.equal(plain.h, PLAIN);
  assert.equal(measured.h, MEASURED);
  assert.equal(footprintOf(s1, FIGURES), measured, 'memoised per element object and measurement');
  assert.equal(footprintOf(s1).h, plain.h, 'without the log, no lines');
  const sixHours = footprintOf(s1, { measured: LOG, calendar: { hours_per_day: 6, days_per_week: 5 } });
  assert.notEqual(sixHours, measured, 'another calendar reads the medians anew');
});

test('a rework loop leaves from under the measured lines of its source and runs under those between its ends', () => {
  const [s0, s1, s2] = [step('s0', 0), step('s1', 312), step('s2', 624)];
  const back = { id: 'r', kind: 'connector', source: 's2', target: 's0', connector: 'rework' };
  const all = mapOf([s0, s1, s2, back]);
  const lines = { y: 100, h: MEASURED }; // s1's drawing, its measured lines included
  const route = connectorRoom(back, s2, s0, all, undefined, FIGURES);
  const path = connectorPath(rectOf(s2), rectOf(s0), 'rework', route);
  assert.ok(path.mid.y > lines.y + lines.h, `the loop (${path.mid.y}) runs under s1's measured lines (${lines.y + lines.h})`);
  const self = { id: 'self', kind: 'connector', source: 's1', target: 's1', connector: 'rework' };
  const loop = connectorPath(rectOf(s1), rectOf(s1), 'rework', connectorRoom(self, s1, s1, mapOf([s1, self]), undefined, FIGURES));
  assert.ok(loop.start.y > lines.y + lines.h, `a loop onto itself starts (${loop.start.y}) under its own measured lines`);
});

test('an information arrow from a measured step straight down leaves under its measured lines', () => {
  const [s1, below] = [step('s1', 0, 100), step('u', 0, 600)];
  const info = { id: 'i', kind: 'connector', source: 's1', target: 'u', connector: 'info' };
  const route = connectorRoom(info, s1, below, mapOf([s1, below, info]), undefined, FIGURES);
  const path = connectorPath(rectOf(s1), rectOf(below), 'info', route);
  const f = { y: 100, h: MEASURED };
  assert.ok(path.start.y >= f.y + f.h, `it starts at ${path.start.y}, not over the lines ending at ${f.y + f.h}`);
});

test('the ladder runs under the measured lines', () => {
  const s1 = step('s1', 0);
  assert.equal(ladderTop(mapOf([s1])), 100 + 96 + 132, 'without them: its least distance under the step');
  assert.equal(ladderTop(mapOf([s1]), FIGURES), 100 + MEASURED + 28, 'under them by its clearance');
});

/** @param {{x: number, y: number, w: number, h: number}} a @param {{x: number, y: number, w: number, h: number}} b */
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test('a new step is not placed over the measured lines of the step above it', () => {
  const s1 = step('s1', 0, 0);
  // The flow row is further down, out of reach: the new step goes where it is wanted, if free.
  const row = [step('r1', 0, 1000), step('r2', 312, 1000)];
  const f = { x: 0, y: 0, w: 168, h: MEASURED };
  // Wanted just under the figures, where the measured lines are drawn.
  const want = { x: 84, y: PLAIN + 24 + 48 };
  const fresh = /** @type {any} */ ({ id: 'n', kind: 'step' });
  const at = placeNew(fresh, want, [s1, ...row], [], null, FIGURES);
  const placed = rectOf({ ...fresh, ...at });
  assert.ok(!overlap(placed, f), `the new step at ${JSON.stringify(at)} covers ${JSON.stringify(f)}`);
});

test("the next step goes past a measured step's lines in its way", () => {
  const s1 = step('s1', 0, 0);
  // A step below and right of s1, whose measured lines hang into the next step's spot.
  const low = { ...step('s1', 312, -195) };
  const log = { steps: { s1: LOG.steps.s1 } };
  const blocker = { x: 312, y: -195, w: 168, h: MEASURED };
  // Kept off by the placement's margin (24) without them, in the way with them.
  assert.ok(blocker.y + blocker.h > 0 && blocker.y + PLAIN + 24 <= 0, 'only its measured lines reach the row');
  const other = { ...s1, id: 'a' };
  const at = placeBeside(other, [other, low], /** @type {any} */ ({ id: 'n', kind: 'step' }), { measured: log, calendar: WEEK });
  assert.ok(!overlap(rectOf(/** @type {any} */ ({ kind: 'step', ...at })), blocker), `placed at ${JSON.stringify(at)}`);
});
