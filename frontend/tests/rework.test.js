// @ts-check
// A rework arrow drawn forward is not a loop: the step panel warns (model/rework.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { arrowOnto, loopsBack } from '../js/model/rework.js';

/** @param {string} id @param {string} source @param {string} target @param {string} [connector] */
const arrow = (id, source, target, connector = 'flow') => /** @type {any} */ ({ id, kind: 'connector', source, target, connector });
const steps = ['a', 'b', 'c', 'd'].map((id) => /** @type {any} */ ({ id, kind: 'step' }));

test('a rework arrow back to an earlier step loops back; one forward does not', () => {
  const flow = [arrow('f1', 'a', 'b'), arrow('f2', 'b', 'c'), arrow('f3', 'c', 'd')];
  const back = arrow('r', 'c', 'a', 'rework');
  const all = new Map([...steps, ...flow, back].map((el) => [el.id, el]));
  assert.equal(loopsBack(back, all), true);
  // f2 switched to rework: b -> c is no loop, and c is cut off from the flow.
  const switched = new Map(all);
  switched.set('f2', arrow('f2', 'b', 'c', 'rework'));
  assert.equal(loopsBack(/** @type {any} */ (switched.get('f2')), switched), false);
  // Drawn forward past a step, beside the flow.
  const skip = arrow('r2', 'a', 'd', 'rework');
  assert.equal(loopsBack(skip, new Map([...all, ['r2', skip]])), false);
});

test('other rework and information arrows are no flow to loop back along; a self-loop loops', () => {
  const all = new Map([...steps, arrow('i', 'a', 'b', 'info'), arrow('r0', 'a', 'b', 'rework')].map((el) => [el.id, el]));
  assert.equal(loopsBack(arrow('r', 'b', 'a', 'rework'), all), false);
  assert.equal(loopsBack(arrow('s', 'a', 'a', 'rework'), all), true);
});

test('an arrow dropped back on its own step is that step\'s rework loop, said in words', () => {
  const build = /** @type {any} */ ({ id: 's-1', kind: 'step' });
  const test2 = /** @type {any} */ ({ id: 's-2', kind: 'step' });
  assert.deepEqual(arrowOnto(build, test2), { kind: 'flow' });
  const onto = arrowOnto(build, build);
  assert.equal('kind' in onto && onto.kind, 'rework');
  assert.match('said' in onto ? onto.said ?? '' : '', /rework/);
});

test('an arrow dropped back on its own queue, note or card is refused with the reason, never silently', () => {
  for (const [kind, called] of [['inventory', 'a queue'], ['note', 'a note'], ['experiment', 'an experiment card']]) {
    const box = /** @type {any} */ ({ id: 'x', kind });
    const onto = arrowOnto(box, box);
    assert.ok('refused' in onto, kind);
    assert.match(onto.refused, new RegExp(`^No arrow drawn: .*${called} cannot send work back to itself`));
  }
});
