// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { COLUMN_SLACK, readingNeighbours, readingOrder } from '../js/model/reading-order.js';

const FIXTURE = fileURLToPath(new URL('../../tests/fixtures/reading_order/cases.json', import.meta.url));
/** @type {{slack: number, cases: Array<{name: string, boxes: Array<{id: string, x?: number, y?: number}>, order: string[]}>}} */
const CASES = JSON.parse(readFileSync(FIXTURE, 'utf8'));

/** Made right to left and bottom up: the page's order is not the map's. */
const MAP = new Map([
  ['s-d', { id: 's-d', kind: 'step', x: 900, y: 300 }],
  ['s-c', { id: 's-c', kind: 'step', x: 550, y: 300 }],
  ['n-b', { id: 'n-b', kind: 'note', x: 200, y: 500 }],
  ['s-a', { id: 's-a', kind: 'step', x: 200, y: 300 }],
  ['f-1', { id: 'f-1', kind: 'connector', source: 's-a', target: 's-c' }],
].map(([id, el]) => [/** @type {string} */ (id), /** @type {any} */ (el)]));

/** Every box, Tab after Tab from the map itself. */
function walk(back = false) {
  const seen = [];
  let at = /** @type {string|null} */ (null);
  for (;;) {
    const next = readingNeighbours(MAP, at)[back ? 'before' : 'after'];
    if (next === null || seen.includes(next)) return seen;
    seen.push(next);
    at = next;
  }
}

test('boxes read left to right, then top to bottom, then by id, as the server lists steps', () => {
  assert.deepEqual(walk(), ['s-a', 'n-b', 's-c', 's-d']);
  assert.deepEqual(walk(true), ['s-d', 's-c', 'n-b', 's-a']);
  // Arrows are not stops: Tab visits boxes only.
  assert.deepEqual(readingNeighbours(MAP, 's-a'), { before: null, after: 'n-b' });
  assert.deepEqual(readingNeighbours(MAP, 's-d'), { before: 's-c', after: null });
});

test('a box with no place reads as at 0, and two at one place go by id', () => {
  const twins = new Map([['b', { id: 'b', kind: 'step', x: 5, y: 5 }], ['a', { id: 'a', kind: 'step', x: 5, y: 5 }]]);
  assert.deepEqual(readingNeighbours(/** @type {any} */ (twins), 'a'), { before: null, after: 'b' });
  assert.deepEqual(readingNeighbours(/** @type {any} */ (twins), 'b'), { before: 'a', after: null });
});

test('the page reads the map in the server\'s order: every golden case', () => {
  assert.equal(CASES.slack, COLUMN_SLACK);
  assert.ok(CASES.cases.length >= 8);
  for (const c of CASES.cases) {
    assert.deepEqual(readingOrder(c.boxes).map((b) => b.id), c.order, c.name);
    // ...and Tab, box after box, walks it so, whatever order the boxes were made in.
    const map = new Map([...c.boxes].reverse().map((b) => [b.id, /** @type {any} */ ({ kind: 'step', ...b })]));
    const seen = [];
    for (let at = readingNeighbours(map, null).after; at !== null; at = readingNeighbours(map, at).after) seen.push(at);
    assert.deepEqual(seen, c.order, c.name);
  }
});

test('Tab goes down a column drawn by hand, not back and forth between its rows', () => {
  const column = new Map(/** @type {any} */ ([
    ['top', { id: 'top', kind: 'step', x: 100, y: 100 }],
    ['mid', { id: 'mid', kind: 'step', x: 104, y: 300 }],
    ['low', { id: 'low', kind: 'step', x: 97, y: 500 }],
  ]));
  assert.deepEqual(readingNeighbours(column, 'top'), { before: null, after: 'mid' });
  assert.deepEqual(readingNeighbours(column, 'mid'), { before: 'top', after: 'low' });
});

test('from an arrow or an id not on the map, Tab starts at the first box', () => {
  assert.deepEqual(readingNeighbours(MAP, 'f-1'), { before: 's-d', after: 's-a' });
  assert.deepEqual(readingNeighbours(MAP, 'gone'), { before: 's-d', after: 's-a' });
  assert.deepEqual(readingNeighbours(new Map(), null), { before: null, after: null });
});
