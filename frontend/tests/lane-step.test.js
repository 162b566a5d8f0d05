// @ts-check
// With swimlanes on, a step added in a lane joins that lane's team: owned by nobody, it
// drew an "Unassigned" band over the lane, the two lanes' names on top of each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Editor } from '../js/editor.js';
import { laneAt, laneBands } from '../js/model/lanes.js';

const teams = [{ id: 't-dev', name: 'Development', color: 'blue' }, { id: 't-ops', name: 'Operations', color: 'green' }];
/** @param {string} id @param {number} x @param {number} y @param {string} owner */
const step = (id, x, y, owner) => ({ id, kind: 'step', x, y, w: 168, h: 96, text: id, owner });
const elements = new Map([step('a', 0, 0, 't-dev'), step('b', 300, 0, 't-dev'), step('c', 0, 400, 't-ops')].map((s) => [s.id, s]));

test('laneAt names the team whose band a point is in, and nobody between or beyond the lanes', () => {
  const [dev, ops] = laneBands(elements, teams);
  assert.equal(laneAt(elements, teams, { x: 900, y: dev.y + 10 }), 't-dev');
  assert.equal(laneAt(elements, teams, { x: -200, y: ops.y + ops.h - 1 }), 't-ops');
  assert.equal(laneAt(elements, teams, { x: 0, y: ops.y + ops.h + 50 }), null);
  assert.equal(laneAt(new Map(), teams, { x: 0, y: 0 }), null);
});

/** @param {boolean} swimlanes */
function editor(swimlanes) {
  globalThis.requestAnimationFrame = /** @type {any} */ (() => 0);
  /** @type {any[]} */
  const sent = [];
  const model = /** @type {any} */ ({ view: () => ({ elements, frame: { swimlanes, teams } }), metrics: null });
  const session = /** @type {any} */ ({ canEdit: true, role: 'facilitator', submit: (/** @type {any[]} */ ops) => sent.push(...ops) });
  return { e: new Editor({ model, live: /** @type {any} */ ({}), session, nextCid: () => `c${sent.length}` }), sent };
}

test('a step added in a lane joins its team; without swimlanes it is nobody\'s', () => {
  const { e, sent } = editor(true);
  e.addStep({ x: 700, y: 450 }); // in Operations' lane, right of its step
  assert.equal(sent[0].element.owner, 't-ops');
  const plain = editor(false);
  plain.e.addStep({ x: 700, y: 450 });
  assert.equal(plain.sent[0].element.owner, undefined);
});

test('a step pasted into a lane joins its team; pasted elsewhere it is nobody\'s', () => {
  const { e, sent } = editor(true);
  const clip = { elements: [{ id: 'x', kind: 'step', x: 0, y: 0, w: 168, h: 96, text: 'Copied' }] };
  e.paste(/** @type {any} */ (clip), { at: { x: 700, y: 450 } }); // in Operations' lane
  assert.equal(sent[0].element.owner, 't-ops');
  e.paste(/** @type {any} */ (clip), { at: { x: 700, y: 2000 } }); // below every lane
  assert.equal(sent[1].element.owner, undefined);
});
