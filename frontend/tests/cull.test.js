// @ts-check
// Culling: what lies far off screen is hidden, and comes back before it is on screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Culling, drawnBounds } from '../js/canvas/cull.js';

/** @param {string} id @param {number} x @param {number} [y] */
const step = (id, x, y = 0) => /** @type {any} */ ({ id, kind: 'step', x, y, w: 168, h: 96, text: id });
/** @param {any[]} list */
const board = (list) => new Map(list.map((el) => [el.id, el]));
const screen = { x: 0, y: 0, w: 1280, h: 800 };
const keepNone = () => false;

test('an element far off screen is hidden; one on screen or near it is not', () => {
  const elements = board([step('here', 100, 100), step('near', 1360, 100), step('far', 5000, 100)]);
  const cull = new Culling();
  assert.deepEqual(cull.update(elements, screen, keepNone), { hide: ['far'], show: [] });
  assert.deepEqual([...cull.hidden], ['far']);
});

test('a hidden element is shown again once the view comes within its margin', () => {
  const elements = board([step('far', 2400, 100)]);
  const cull = new Culling();
  cull.update(elements, screen, keepNone);
  assert.ok(cull.hidden.has('far'));
  // Panned right by 1000 canvas units: the step's footprint is within a tenth of a screen of the view.
  assert.deepEqual(cull.update(elements, { ...screen, x: 1000 }, keepNone), { hide: [], show: ['far'] });
});

test('between the two margins an element keeps its state, so an edge does not flicker', () => {
  const elements = board([step('edge', 1500, 100)]);
  const cull = new Culling();
  assert.deepEqual(cull.update(elements, screen, keepNone), { hide: [], show: [] });
  assert.deepEqual(cull.update(elements, { ...screen, x: -20 }, keepNone).hide, []);
});

test('what is selected, edited or dragged is never hidden', () => {
  const elements = board([step('far', 9000, 100)]);
  const cull = new Culling();
  assert.deepEqual(cull.update(elements, screen, (id) => id === 'far'), { hide: [], show: [] });
  cull.update(elements, screen, keepNone);
  assert.deepEqual(cull.update(elements, screen, (id) => id === 'far'), { hide: [], show: ['far'] });
});

test("an arrow's place follows its ends, and an arrow with an end missing draws nothing", () => {
  const a = step('a', 0, 0);
  const arrow = /** @type {any} */ ({ id: 'c', kind: 'connector', source: 'a', target: 'b' });
  const near = drawnBounds(arrow, board([a, step('b', 400, 0), arrow]));
  const far = drawnBounds(arrow, board([a, step('b', 4000, 0), arrow]));
  assert.ok(near && far && far.w > near.w + 3000);
  assert.equal(drawnBounds(arrow, board([a, arrow])), null);
  const cull = new Culling();
  const moved = board([step('a', 9000, 0), step('b', 9400, 0), arrow]);
  assert.deepEqual(cull.update(moved, screen, keepNone).hide.sort(), ['a', 'b', 'c']);
});

test('elements that left the board are forgotten', () => {
  const cull = new Culling();
  cull.update(board([step('far', 9000, 0)]), screen, keepNone);
  cull.update(board([]), screen, keepNone);
  assert.equal(cull.hidden.size, 0);
});

test('with the view unchanged, only the elements named are looked at again', () => {
  const cull = new Culling();
  const before = board([step('a', 100, 100), step('b', 200, 100)]);
  cull.update(before, screen, keepNone);
  const after = board([step('a', 9000, 100), step('b', 9000, 100)]); // both moved far
  assert.deepEqual(cull.update(after, screen, keepNone, ['a']), { hide: ['a'], show: [] });
});

test("a step's measured lines are part of its drawing: near the view by them alone, it is not hidden", () => {
  // An event log measured both of its times: two lines under its figures (model/boxes.js footprintOf).
  const log = { steps: { m: { wait: { n: 42, median: 1680, p85: 2900 }, process: { n: 42, median: 90, p85: 200 } } } };
  const figures = { measured: log, calendar: { hours_per_day: 8, days_per_week: 5 } };
  // Its figures end just beyond the wider margin above the screen; its measured lines reach into it.
  const elements = board([step('m', 100, -470)]);
  assert.deepEqual(new Culling().update(elements, screen, keepNone).hide, ['m'], 'without the log');
  assert.deepEqual(new Culling().update(elements, screen, keepNone, null, figures).hide, []);
  // Hidden, then the metrics bring it the lines: its drawing is looked at anew, and a view its
  // lines come within the nearer margin of shows it again (its figures alone are not that near).
  const cull = new Culling();
  cull.update(elements, screen, keepNone);
  const lower = { ...screen, y: -150 };
  const plain = new Culling();
  plain.update(elements, screen, keepNone);
  assert.deepEqual(plain.update(elements, lower, keepNone).show, [], 'without the log');
  assert.deepEqual(cull.update(elements, lower, keepNone, null, figures), { hide: [], show: ['m'] });
});
