// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ARRANGEMENTS, arrange, boundsOf, canArrange, touching } from '../js/model/align.js';

/** @typedef {import('../js/model/align.js').Box} Box */

/** @type {Box[]} */
const three = [
  { id: 'a', x: 10, y: 0, w: 100, h: 50 },
  { id: 'b', x: 40, y: 90, w: 60, h: 30 },
  { id: 'c', x: 200, y: 40, w: 80, h: 80 },
];

/**
 * The boxes after the moves.
 * @param {Box[]} boxes
 * @param {import('../js/protocol.js').Move[]} moves
 */
function after(boxes, moves) {
  return boxes.map((b) => ({ ...b, ...moves.find((m) => m.id === b.id) }));
}

test('align left lines every left edge up with the leftmost', () => {
  const moved = after(three, arrange(three, 'left'));
  assert.deepEqual(moved.map((b) => b.x), [10, 10, 10]);
  assert.deepEqual(moved.map((b) => b.y), [0, 90, 40]); // the other axis is left alone
});

test('align right and bottom line up the far edges', () => {
  assert.deepEqual(after(three, arrange(three, 'right')).map((b) => b.x + b.w), [280, 280, 280]);
  assert.deepEqual(after(three, arrange(three, 'bottom')).map((b) => b.y + b.h), [120, 120, 120]);
});

test('align centre and middle put every centre on the middle of the selection', () => {
  // Bounds: x 10..280 (middle 145), y 0..120 (middle 60).
  assert.deepEqual(after(three, arrange(three, 'center')).map((b) => b.x + b.w / 2), [145, 145, 145]);
  assert.deepEqual(after(three, arrange(three, 'middle')).map((b) => b.y + b.h / 2), [60, 60, 60]);
});

test('align top moves only the boxes that are not already there', () => {
  assert.deepEqual(arrange(three, 'top'), [{ id: 'b', x: 40, y: 0 }, { id: 'c', x: 200, y: 0 }]);
});

test('results are whole canvas units', () => {
  const odd = [{ id: 'p', x: 0, y: 0, w: 11, h: 11 }, { id: 'q', x: 100, y: 0, w: 20, h: 20 }];
  for (const how of ARRANGEMENTS) {
    for (const m of arrange(odd, how)) assert.ok(Number.isInteger(m.x) && Number.isInteger(m.y), `${how}: ${JSON.stringify(m)}`);
  }
});

test('distribute horizontally leaves equal gaps, the outer two stay put', () => {
  /** @type {Box[]} */
  const row = [
    { id: 'a', x: 0, y: 0, w: 100, h: 40 },
    { id: 'c', x: 500, y: 0, w: 100, h: 40 },
    { id: 'b', x: 120, y: 10, w: 50, h: 40 },
    { id: 'd', x: 130, y: 30, w: 50, h: 40 },
  ];
  const moved = after(row, arrange(row, 'horizontal')).sort((p, q) => p.x - q.x);
  assert.deepEqual(moved.map((b) => b.id), ['a', 'b', 'd', 'c']);
  const gaps = moved.slice(1).map((b, i) => b.x - (moved[i].x + moved[i].w));
  assert.deepEqual(gaps, [100, 100, 100]); // (600 - 300) / 3
  assert.equal(moved[0].x, 0);
  assert.equal(moved[3].x, 500);
  assert.deepEqual(moved.map((b) => b.y), [0, 10, 30, 0]);
});

test('distribute vertically spaces the boxes down the page', () => {
  /** @type {Box[]} */
  const column = [
    { id: 'a', x: 0, y: 0, w: 10, h: 20 },
    { id: 'b', x: 0, y: 30, w: 10, h: 20 },
    { id: 'c', x: 0, y: 200, w: 10, h: 20 },
  ];
  assert.deepEqual(arrange(column, 'vertical'), [{ id: 'b', x: 0, y: 100 }]);
});

test('distributing boxes wider than their room spreads their centres evenly', () => {
  /** @type {Box[]} */
  const crowded = [
    { id: 'a', x: 0, y: 0, w: 100, h: 10 },
    { id: 'b', x: 10, y: 0, w: 100, h: 10 },
    { id: 'c', x: 100, y: 0, w: 100, h: 10 },
  ];
  const moved = after(crowded, arrange(crowded, 'horizontal'));
  assert.deepEqual(moved.map((b) => b.x + b.w / 2), [50, 100, 150]);
});

test('arranging needs two boxes, distributing three', () => {
  assert.equal(canArrange('left', 1), false);
  assert.equal(canArrange('left', 2), true);
  assert.equal(canArrange('horizontal', 2), false);
  assert.equal(canArrange('vertical', 3), true);
  assert.deepEqual(arrange(three.slice(0, 1), 'left'), []);
  assert.deepEqual(arrange(three.slice(0, 2), 'horizontal'), []);
});

test('a marquee selects the boxes it overlaps, edges included', () => {
  assert.deepEqual(touching(three, { x: 0, y: 60, w: 45, h: 40 }), ['b']);
  assert.deepEqual(touching(three, { x: 110, y: 0, w: 90, h: 10 }), ['a']); // touches a's right edge only
  assert.deepEqual(touching(three, { x: 0, y: 0, w: 300, h: 200 }), ['a', 'b', 'c']);
  assert.deepEqual(touching(three, { x: 150, y: 0, w: 20, h: 20 }), []);
});

test('bounds wrap every box; none for no boxes', () => {
  assert.deepEqual(boundsOf(three), { x: 10, y: 0, w: 270, h: 120 });
  assert.equal(boundsOf([]), null);
});
