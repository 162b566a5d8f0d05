// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SNAP_PIXELS, snap } from '../js/model/snap.js';

const other = { x: 100, y: 200, w: 80, h: 40 }; // lines x 100 / 140 / 180, y 200 / 220 / 240

test('a left edge a few units off snaps onto the other left edge, with a guide through both', () => {
  const s = snap({ x: 103, y: 0, w: 50, h: 50 }, [other], 6);
  assert.equal(s.dx, -3);
  assert.equal(s.dy, 0);
  assert.deepEqual(s.guides, [{ axis: 'x', at: 100, from: 0, to: 240 }]);
});

test('centres snap to centres and edges to centres', () => {
  // Moving centre at 137 → the other's centre 140.
  assert.equal(snap({ x: 112, y: 0, w: 50, h: 50 }, [other], 6).dx, 3);
  // Moving right edge at 143 → the other's centre 140 (the nearest of all pairs).
  assert.equal(snap({ x: 93, y: 0, w: 50, h: 50 }, [other], 6).dx, -3);
});

test('nothing snaps beyond the threshold, and no guides show', () => {
  assert.deepEqual(snap({ x: 110, y: 0, w: 10, h: 10 }, [other], 6), { dx: 0, dy: 0, guides: [] });
  assert.deepEqual(snap({ x: 0, y: 0, w: 10, h: 10 }, [], 6), { dx: 0, dy: 0, guides: [] });
});

test('the nearest line wins when several are in reach', () => {
  const left = { x: 0, y: 0, w: 20, h: 10 }; // lines 0 / 10 / 20
  const right = { x: 30, y: 100, w: 10, h: 10 }; // lines 30 / 35 / 40
  const s = snap({ x: 25, y: 300, w: 2, h: 10 }, [left, right], 6); // lines 25 / 26 / 27
  // 25 → 20 is 5 away, 27 → 30 only 3: the right one wins.
  assert.equal(s.dx, 3);
  assert.deepEqual(s.guides.map((g) => g.at), [30]);
});

test('both axes snap on their own, each with its guide', () => {
  const s = snap({ x: 182, y: 236, w: 40, h: 40 }, [other], 6);
  assert.equal(s.dx, -2); // left edge onto the other's right edge
  assert.equal(s.dy, 4); // top edge onto the other's bottom edge
  assert.deepEqual(s.guides.map((g) => [g.axis, g.at]), [['x', 180], ['y', 240]]);
});

test('one guide per line, running through every box lined up on it', () => {
  const a = { x: 100, y: 0, w: 40, h: 40 };
  const b = { x: 100, y: 500, w: 60, h: 40 };
  const s = snap({ x: 102, y: 200, w: 30, h: 30 }, [a, b], 6);
  // Snapped 2 to the left: its left edge is on both others' (100), its right edge on b's centre (130).
  assert.deepEqual(s.guides, [
    { axis: 'x', at: 100, from: 0, to: 540 },
    { axis: 'x', at: 130, from: 200, to: 540 },
  ]);
});

test('a zoomed-out view reaches further in canvas units', () => {
  const moving = { x: 110, y: 0, w: 10, h: 10 };
  assert.equal(snap(moving, [other], SNAP_PIXELS / 1).dx, 0);
  assert.equal(snap(moving, [other], SNAP_PIXELS / 0.5).dx, -10);
});
