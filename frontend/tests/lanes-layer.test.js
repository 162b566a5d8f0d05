// @ts-check
// What the canvas draws for swimlanes and owners, without a DOM: the lane shapes from
// the bands (a stand-in for model/lanes.js laneBands), the lane name's size per zoom,
// the owner tags over the steps and the handoff chips on the arrows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL_WIDTH, labelSize, laneShapes } from '../js/canvas/lanes-layer.js';
import { CHIP_HEIGHT, TAG_HEIGHT, fitName, handoffChips, ownerTags } from '../js/canvas/owner-marks.js';
import { connectorPath, rectOf } from '../js/model/geometry.js';
import { dataBoxHeight } from '../js/model/data-layout.js';

const bands = [
  { id: 't-dev', name: 'Development', color: 'blue', x: -56, y: -24, w: 928, h: 215 },
  { id: '', name: 'Unassigned', color: 'grey', x: -56, y: 276, w: 928, h: 215 },
];

test('the lane name reads at 12 px or more on screen from 100 % down to 50 %', () => {
  assert.equal(labelSize(1), 15);
  assert.equal(labelSize(2), 15);
  for (const k of [1, 0.8, 0.66, 0.5]) assert.ok(labelSize(k) * k >= 12, `at ${k}`);
  assert.equal(labelSize(0.1), 30); // a thumbnail: capped, not a wall of letters
});

test('each band becomes a tinted lane with its name in the label column', () => {
  const [dev, rest] = laneShapes(bands, 1);
  assert.equal(dev.fill, '#d3e3fb'); // the blue sticky's fill
  assert.equal(dev.edge, '#5f8fd6');
  assert.equal(dev.column, -56 + LABEL_WIDTH);
  assert.deepEqual(dev.label, { x: -46, y: -24, w: LABEL_WIDTH - 20, h: 215, size: 15 });
  assert.equal(rest.name, 'Unassigned');
  assert.equal(laneShapes(bands, 0.5)[0].label.size, 24);
  assert.deepEqual(laneShapes([], 1), []);
});

/** @type {any[]} */
const steps = [
  { id: 's-a', kind: 'step', x: 0, y: 100, w: 168, h: 96, owner: 't-dev' },
  { id: 's-b', kind: 'step', x: 300, y: 100, w: 168, h: 96, owner: 't-qa' },
  { id: 's-c', kind: 'step', x: 600, y: 100, w: 168, h: 96, owner: null },
];
const teams = [{ id: 't-dev', name: 'Development', color: 'blue' }, { id: 't-qa', name: 'Quality assurance and release', color: 'green' }];

test('an owner tag sits above its step: clear of the name inside and the data box under it', () => {
  const tags = ownerTags(steps, teams);
  assert.deepEqual(tags.map((t) => t.id), ['s-a', 's-b']);
  for (const tag of tags) {
    const r = rectOf(steps.find((s) => s.id === tag.id));
    assert.ok(tag.y + TAG_HEIGHT <= r.y, 'above the step box');
    assert.ok(tag.y >= r.y - 18, 'under the constraint badge, which ends 18 above the step');
    assert.ok(tag.x >= r.x && tag.x + tag.w <= r.x + r.w - 30, 'left of the comment bubble');
    const dataTop = r.y + r.h + 8;
    assert.ok(tag.y + TAG_HEIGHT < dataTop + dataBoxHeight(steps[0], r.w));
  }
  assert.equal(tags[0].text, 'Development');
  assert.ok(tags[1].text.endsWith('…') && tags[1].full === 'Quality assurance and release', 'a long name is cut, the tip says it whole');
  assert.equal(fitName('QA', 100), 'QA');
});

test('a handoff chip sits at the middle of the arrow between the two teams', () => {
  const arrow = { id: 'c-1', kind: 'connector', source: 's-a', target: 's-b', connector: 'flow' };
  const elements = new Map([...steps, arrow].map((e) => [e.id, e]));
  const [chip] = handoffChips([['s-a', 's-b']], elements);
  const { mid } = connectorPath(rectOf(steps[0]), rectOf(steps[1]), 'flow', { sourceInset: 0, targetInset: 0 });
  assert.equal(chip.id, 'c-1');
  assert.ok(Math.abs(chip.x + chip.w / 2 - mid.x) < 1);
  assert.ok(chip.y <= mid.y && chip.y + CHIP_HEIGHT >= mid.y, 'on the line');
  // A labelled arrow keeps its label readable: the chip goes under the middle.
  const labelled = new Map(elements).set('c-1', { ...arrow, text: 'tickets' });
  assert.ok(handoffChips([['s-a', 's-b']], labelled)[0].y > mid.y);
});

test('with a queue between the teams, the chip marks the arrow into the receiving step', () => {
  /** @type {any[]} */
  const parts = [steps[0], steps[1], { id: 'i-1', kind: 'inventory', x: 200, y: 120, w: 72, h: 64 },
    { id: 'c-1', kind: 'connector', source: 's-a', target: 'i-1', connector: 'flow' },
    { id: 'c-2', kind: 'connector', source: 'i-1', target: 's-b', connector: 'flow' },
    { id: 'c-3', kind: 'connector', source: 's-b', target: 's-a', connector: 'info' }];
  const elements = new Map(parts.map((e) => [e.id, e]));
  assert.deepEqual(handoffChips([['s-a', 's-b']], elements).map((c) => c.id), ['c-2']);
  // An edge with no arrow drawn (yet) marks nothing.
  assert.deepEqual(handoffChips([['s-b', 's-a']], elements), []);
});
