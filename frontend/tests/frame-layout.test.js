// @ts-check
/** The frame's place on the canvas: header above, trigger left, delivered value right. */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { BADGE_ABOVE, EDGE_GAP, EDGE_SIZE, HEADER_MAX_W, TITLE_TEXT, frameLayout } from '../js/model/frame-layout.js';
import { lineCount } from '../js/model/text-fit.js';

/** @param {string} id @param {number} x @param {number} [y] */
const step = (id, x, y = 100) => ({ id, kind: /** @type {const} */ ('step'), x, y, w: 100, h: 50 });
/** @param {any[]} list */
const board = (list) => new Map(list.map((el) => [el.id, el]));

test('an empty board without a frame draws nothing', () => {
  assert.equal(frameLayout({ title: ' ', trigger: '' }, null, board([])), null);
});

test('a frame on a board without steps stands around an empty lane (the pre-work)', () => {
  const frame = frameLayout({ title: 'Order to cash', trigger: 'Order', delivery: 'Paid' }, null, board([]));
  assert.ok(frame?.lane && frame.header && frame.trigger && frame.delivery);
  assert.ok(frame.trigger.x + frame.trigger.w < frame.lane.x, 'the trigger left of the lane');
  assert.ok(frame.delivery.x > frame.lane.x + frame.lane.w, 'the delivery right of it');
  assert.ok(frame.header.y + frame.header.h <= frame.lane.y, 'the header above it');
  assert.equal(frame.arrows.length, 2);
  // Once a step is there, the lane is gone and the frame follows the steps.
  const withStep = frameLayout({ title: 'Order to cash' }, null, board([step('a', 500)]));
  assert.equal(withStep?.lane, null);
});

test('the trigger sits left of the first step on the path and the delivery right of the last', () => {
  const elements = board([step('b', 0), step('a', 400), step('c', 800, 300)]);
  const frame = frameLayout({ trigger: 'Order', delivery: 'Paid' }, { path: ['a', 'c'] }, elements);
  assert.ok(frame);
  assert.deepEqual(frame.trigger, { x: 400 - EDGE_GAP - EDGE_SIZE.w, y: 125 - EDGE_SIZE.h / 2, ...EDGE_SIZE, text: 'Order' });
  assert.equal(frame.delivery?.x, 900 + EDGE_GAP);
  assert.equal(frame.delivery?.y, 325 - EDGE_SIZE.h / 2);
  assert.equal(frame.arrows.length, 2);
  assert.equal(frame.header, null);
});

test('without metrics the leftmost and rightmost steps are the ends; blank fields draw nothing', () => {
  const frame = frameLayout({ trigger: '  ', title: 'Delivery', customer: 'PM' }, null, board([step('a', 300), step('b', 0)]));
  assert.ok(frame);
  assert.equal(frame.trigger, null);
  assert.equal(frame.header?.x, 0);
  assert.equal(frame.header?.title, 'Delivery');
  assert.equal(frame.header?.people, 'Customer: PM');
  assert.ok((frame.header?.y ?? 0) + (frame.header?.h ?? 0) < 100, 'the header is above the map');
  assert.equal(frame.bounds.y, frame.header?.y);
});

test('the header is as wide as its longest line needs, however narrow the map', () => {
  const title = 'Order to cash: the whole flow, from a signed order';
  const frame = frameLayout({ title, scope: 's' }, null, board([step('a', 0)]));
  assert.ok(frame?.header && frame.header.w >= title.length * 15, String(frame?.header?.w));
  assert.ok(frame.bounds.w >= frame.header.w, 'fitting the view takes the whole header in');
});

test("the header keeps clear of the constraint's badge over the top step", () => {
  // A one-step map: the step is the constraint, and its badge sat on the header's last line.
  const only = step('s1', 0, 100);
  const layout = frameLayout({ title: 'Order to cash', customer: 'Finance' }, { path: ['s1'], constraint: { id: 's1' } }, board([only]));
  const header = /** @type {NonNullable<typeof layout>} */ (layout).header;
  assert.ok(header && header.y + header.h <= 100 - BADGE_ABOVE - 8, JSON.stringify(header));
  // Without a constraint the header keeps its usual place, nearer the steps.
  const plain = frameLayout({ title: 'Order to cash' }, { path: ['s1'] }, board([only]))?.header;
  assert.ok(plain && plain.y > header.y);
});

test('a long title, scope or people line wraps in a header no wider than the map or HEADER_MAX_W, which grows upwards to show it whole', () => {
  const title = 'Quarterly release train from the signed customer order through build, test, staging, approval, deployment and the first invoice sent out to the customer, then paid '.repeat(2).slice(0, 200);
  const scope = 'From the signed order to the first invoice, all teams involved. '.repeat(7).trim();
  const frame = frameLayout({ title, scope, customer: 'Finance', owner: 'Head of delivery' }, null, board([step('a', 0), step('b', 300)]));
  const header = frame?.header;
  assert.ok(header, 'a header');
  assert.ok(header.w <= HEADER_MAX_W, `the header keeps to the map's scale, not the title's length: ${header.w}`);
  const titleLines = lineCount(title, header.w, TITLE_TEXT);
  assert.ok(titleLines >= 3, `the title wraps: ${titleLines} lines`);
  assert.ok(header.h >= titleLines * TITLE_TEXT.lineHeight + 2 * 21.6, `room for every line: ${header.h}`);
  assert.ok(header.y + header.h < 100, 'still above the map');
  assert.equal(frame.bounds.y, header.y, 'fitting the view takes the whole header in');
  // A map wider than the header's limit: the header is as wide as the map.
  const wide = frameLayout({ title }, null, board([step('a', 0), step('b', 3000)]))?.header;
  assert.equal(wide?.w, 3100);
  assert.ok(wide && wide.h < header.h, 'fewer lines on a wider map');
});

test('a long trigger or delivered value gets a taller edge, still joined to the flow, growing upwards clear of what is below', () => {
  const long = 'A customer calls the service desk, or writes in, or fills in the web form, and the request waits in the triage queue until someone reads it';
  const frame = frameLayout({ trigger: long, delivery: 'Paid' }, null, board([step('a', 400)]));
  const trigger = frame?.trigger;
  assert.ok(trigger && frame.delivery);
  assert.equal(trigger.w, EDGE_SIZE.w);
  assert.ok(trigger.h >= 8 * 16.25, `as tall as its eight or so lines: ${trigger.h}`);
  assert.equal(trigger.x + trigger.w, 400 - EDGE_GAP, 'the same gap to the first step');
  assert.equal(trigger.y + trigger.h, 125 + EDGE_SIZE.h / 2, 'its foot where a short one has it: it grows upwards');
  assert.ok(frame.header === null || frame.header.y + frame.header.h <= trigger.y, 'under the header');
  assert.deepEqual({ w: frame.delivery.w, h: frame.delivery.h }, EDGE_SIZE, 'a short one keeps the usual size');
});
