// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  LANE_GAP, borderPoint, bounds, connectorPath, connectorRoom, contains, fitView, handlePoint, hitTest,
  laneOffsets, nearestInDirection, rectOf, sideAnchor,
} from '../js/model/geometry.js';
import { footprintOf } from '../js/model/boxes.js';

const box = { x: 0, y: 0, w: 100, h: 50 };

test('rectOf fills the default size of each kind', () => {
  assert.deepEqual(rectOf({ id: 's', kind: 'step', x: 1, y: 2 }), { x: 1, y: 2, w: 168, h: 96 });
  assert.deepEqual(rectOf({ id: 'i', kind: 'inventory' }), { x: 0, y: 0, w: 72, h: 64 });
});

test('the border point towards the right is on the right edge', () => {
  assert.deepEqual(borderPoint(box, { x: 500, y: 25 }), { x: 100, y: 25, side: 'right' });
  assert.deepEqual(borderPoint(box, { x: -500, y: 25 }), { x: 0, y: 25, side: 'left' });
});

test('the border point towards something below is on the bottom edge', () => {
  const p = borderPoint(box, { x: 60, y: 500 });
  assert.equal(p.side, 'bottom');
  assert.equal(p.y, 50);
  assert.ok(p.x > 50 && p.x < 52);
});

test('the border point on a diagonal lies on the border', () => {
  const p = borderPoint(box, { x: 150, y: 125 });
  assert.ok(p.x === 100 || p.y === 50, `(${p.x}, ${p.y}) is on the border`);
});

test('a point on the centre falls back to the right edge', () => {
  assert.equal(borderPoint(box, { x: 50, y: 25 }).side, 'right');
});

test('side anchors sit mid-side, inset for triangles', () => {
  assert.deepEqual(sideAnchor(box, { x: 500, y: 40 }), { x: 100, y: 25, side: 'right' });
  assert.deepEqual(sideAnchor(box, { x: 50, y: -300 }), { x: 50, y: 0, side: 'top' });
  assert.deepEqual(sideAnchor(box, { x: -500, y: 25 }, 10), { x: 10, y: 25, side: 'left' });
});

test('a flow arrow runs from the right edge of the source to the left edge of the target', () => {
  const path = connectorPath(box, { x: 300, y: 0, w: 100, h: 50 });
  assert.deepEqual([path.start.x, path.start.y, path.start.side], [100, 25, 'right']);
  assert.deepEqual([path.end.x, path.end.y, path.end.side], [300, 25, 'left']);
  assert.match(path.d, /^M 100 25 C .* 300 25$/);
  assert.deepEqual(path.mid, { x: 200, y: 25 });
});

test('an arrow backwards runs from the left edge to the right edge', () => {
  const path = connectorPath({ x: 300, y: 0, w: 100, h: 50 }, box);
  assert.equal(path.start.side, 'left');
  assert.equal(path.end.side, 'right');
});

test('a rework arrow loops below both steps', () => {
  const path = connectorPath({ x: 300, y: 0, w: 100, h: 50 }, box, 'rework');
  assert.equal(path.start.side, 'bottom');
  assert.equal(path.end.side, 'bottom');
  assert.ok(path.mid.y > 50, 'the loop swings under the steps');
});

test('a step that redoes its own work has a loop that can be seen', () => {
  const step = { id: 's0', kind: /** @type {const} */ ('step'), x: 0, y: 100 };
  const loop = { id: 'r', kind: /** @type {const} */ ('connector'), source: 's0', target: 's0', connector: 'rework' };
  const all = new Map([step, loop].map((el) => [el.id, /** @type {any} */ (el)]));
  const path = connectorPath(rectOf(step), rectOf(step), 'rework', connectorRoom(loop, step, step, all));
  // The server's export draws the same (tests/unit/test_export_routes.py).
  assert.equal(path.d, 'M 126 270 V 278 Q 126 292 112 292 H 56 Q 42 292 42 278 V 270');
});

test('a rework loop runs under the data boxes of its ends and of every step between them', () => {
  const steps = [0, 1, 2].map((i) => ({ id: `s${i}`, kind: /** @type {const} */ ('step'), x: i * 312, y: 100,
    waste: i === 1 ? ['defects', 'overproduction', 'waiting', 'motion'] : [] }));
  const loop = { id: 'r', kind: /** @type {const} */ ('connector'), source: 's2', target: 's0', connector: 'rework' };
  const all = new Map([...steps, loop].map((el) => [el.id, /** @type {any} */ (el)]));
  const route = connectorRoom(loop, steps[2], steps[0], all);
  const path = connectorPath(rectOf(steps[2]), rectOf(steps[0]), 'rework', route);
  const lowest = Math.max(...steps.map((el) => { const f = footprintOf(el); return f.y + f.h; }));
  assert.ok(footprintOf(steps[1]).h > footprintOf(steps[0]).h, 'the middle step has waste chips');
  assert.ok(path.mid.y > lowest, `the loop (${path.mid.y}) passes under the lowest data box (${lowest})`);
  // It leaves and enters below its ends' data boxes, so its arrowhead is not hidden under one.
  assert.ok(path.start.y > footprintOf(steps[2]).y + footprintOf(steps[2]).h);
  assert.ok(path.end.y > footprintOf(steps[0]).y + footprintOf(steps[0]).h);
  assert.match(path.d, new RegExp(`H ${path.end.x + 14} `), 'it runs along under them, level');
});

test('an arrow to a step in another lane meets its side, never its data box (test_export_routes.py)', () => {
  const step = (/** @type {string} */ id, /** @type {number} */ x, /** @type {number} */ y) => /** @type {any} */ ({ id, kind: 'step', x, y });
  const [build, review, deploy] = [step('b', 0, 100), step('r', 312, 400), step('d', 624, 100)];
  const all = new Map([build, review, deploy].map((el) => [el.id, el]));
  const path = (/** @type {any} */ s, /** @type {any} */ t) => connectorPath(rectOf(s), rectOf(t), 'flow',
    connectorRoom({ id: s.id + t.id, kind: 'connector', source: s.id, target: t.id, connector: 'flow' }, s, t, all));
  assert.equal(path(build, review).d, 'M 168 148 C 288 148, 192 448, 312 448');
  assert.equal(path(review, deploy).d, 'M 480 448 C 600 448, 504 148, 624 148');
  // Right below: out under the data box, not through it.
  const below = step('u', 0, 500);
  const down = connectorPath(rectOf(build), rectOf(below), 'flow',
    connectorRoom({ id: 'c', kind: 'connector', source: 'b', target: 'u', connector: 'flow' }, build, below, new Map([['b', build], ['u', below]])));
  assert.deepEqual([down.start.x, down.start.y, down.end.x, down.end.y], [84, 267, 84, 500]);
});

test('a back arrow beside a forward one gets the other lane; a lone arrow none', () => {
  const a = { id: 'a', kind: /** @type {const} */ ('step'), x: 0, y: 0 };
  const b = { id: 'b', kind: /** @type {const} */ ('step'), x: 400, y: 0 };
  const c = { id: 'c', kind: /** @type {const} */ ('step'), x: 800, y: 0 };
  const arrows = [
    { id: 'ab', kind: /** @type {const} */ ('connector'), source: 'a', target: 'b' },
    { id: 'ba', kind: /** @type {const} */ ('connector'), source: 'b', target: 'a' },
    { id: 'bc', kind: /** @type {const} */ ('connector'), source: 'b', target: 'c' },
    { id: 'cb', kind: /** @type {const} */ ('connector'), source: 'c', target: 'b', connector: 'rework' },
  ];
  const lanes = laneOffsets(/** @type {any[]} */ ([a, b, c, ...arrows]));
  assert.equal(lanes.has('bc'), false);
  assert.equal(lanes.has('cb'), false); // a rework loop has its own route
  const forward = connectorPath(rectOf(a), rectOf(b), 'flow', { lane: lanes.get('ab') });
  const back = connectorPath(rectOf(b), rectOf(a), 'flow', { lane: lanes.get('ba') });
  assert.equal(Math.abs(forward.mid.y - back.mid.y), LANE_GAP);
  assert.equal(Math.abs(forward.start.y - back.end.y), LANE_GAP);
});

test('the connection handle sits on the middle of the right edge', () => {
  assert.deepEqual(handlePoint({ x: 10, y: 20, w: 168, h: 96 }), { x: 178, y: 68 });
});

test('hit tests find the topmost element and skip connectors', () => {
  const elements = [
    { id: 'a', kind: /** @type {const} */ ('step'), x: 0, y: 0 },
    { id: 'b', kind: /** @type {const} */ ('step'), x: 100, y: 0 },
    { id: 'c', kind: /** @type {const} */ ('connector'), source: 'a', target: 'b' },
  ];
  assert.equal(hitTest(elements, { x: 120, y: 10 })?.id, 'b');
  assert.equal(hitTest(elements, { x: 50, y: 10 })?.id, 'a');
  assert.equal(hitTest(elements, { x: 120, y: 10 }, { except: 'b' })?.id, 'a');
  assert.equal(hitTest(elements, { x: 900, y: 10 }), null);
  assert.ok(contains(box, { x: 105, y: 25 }, 6));
  assert.ok(!contains(box, { x: 105, y: 25 }));
});

test('bounds cover every element that has a box', () => {
  assert.equal(bounds([]), null);
  assert.deepEqual(bounds([
    { id: 'a', kind: 'step', x: -10, y: 0, w: 100, h: 50 },
    { id: 'b', kind: 'note', x: 200, y: 100, w: 50, h: 50 },
    { id: 'c', kind: 'connector', source: 'a', target: 'b' },
  ]), { x: -10, y: 0, w: 260, h: 150 });
});

test('fitting centres the box and never zooms in past 100 %', () => {
  const view = fitView({ x: 0, y: 0, w: 100, h: 100 }, 1000, 800);
  assert.equal(view.k, 1);
  assert.deepEqual([view.x, view.y], [450, 350]);
  const wide = fitView({ x: 0, y: 0, w: 4000, h: 100 }, 1000, 800, { padding: 0 });
  assert.equal(wide.k, 0.25);
});

test('a map too wide to fit at the least zoom shows its start, not its middle', () => {
  // 14,000 units at 10 % is 1,400 px on a 1,000 px screen: the flow is read from the left,
  // so its trigger and first steps show, padded, rather than a slice of the middle.
  const view = fitView({ x: 200, y: 0, w: 14000, h: 400 }, 1000, 800, { padding: 48, minZoom: 0.1 });
  assert.equal(view.k, 0.1);
  assert.equal(view.x, 48 - 200 * 0.1);
  assert.equal(view.y, 400 - 200 * 0.1); // still centred the other way, where it fits
  const tall = fitView({ x: 0, y: 100, w: 400, h: 20000 }, 1000, 800, { padding: 48, minZoom: 0.1 });
  assert.equal(tall.y, 48 - 100 * 0.1);
});

test('arrow-key targeting picks the nearest element that way', () => {
  const from = { id: 'a', kind: /** @type {const} */ ('step'), x: 0, y: 0 };
  const elements = [
    from,
    { id: 'far', kind: /** @type {const} */ ('step'), x: 800, y: 0 },
    { id: 'near', kind: /** @type {const} */ ('step'), x: 300, y: 40 },
    { id: 'below', kind: /** @type {const} */ ('step'), x: 0, y: 400 },
  ];
  assert.equal(nearestInDirection(elements, from, 'right')?.id, 'near');
  assert.equal(nearestInDirection(elements, from, 'down')?.id, 'below');
  assert.equal(nearestInDirection(elements, from, 'left'), null);
});
