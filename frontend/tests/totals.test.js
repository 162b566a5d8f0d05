// @ts-check
// The Flow panel's "what is missing" line names steps and queues as what they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deltaText, lacking, tone } from '../js/ui/totals.js';

const step = { lacks: ['wait'] };
const queue = { lacks: ['count'] };

test('steps, queues and both, counted and in agreement', () => {
  assert.equal(lacking([step]), '1 step needs data');
  assert.equal(lacking([step, step]), '2 steps need data');
  assert.equal(lacking([queue]), '1 queue needs data');
  assert.equal(lacking([step, step, queue]), '2 steps and 1 queue need data');
});

// On a future-state map the Flow panel read "Activity ratio 5.5% → 6.5% +0.9 pts": the
// change of the unrounded ratios beside two rounded figures that differ by 1.
test('a percentage moves by the difference of the two figures shown beside it', () => {
  const comparison = { display: { current: { activity_ratio: '5.5%', rolled_pca: '40.7%' } } };
  assert.equal(deltaText('activity_ratio', 0.0091, comparison, '6.5%'), ' +1 pts');
  assert.equal(deltaText('rolled_pca', -0.04, comparison, '40.7%'), ' ±0');
  assert.equal(deltaText('activity_ratio', null, comparison, '6.5%'), '');
});

test('a change that reads as no change is not coloured better or worse', () => {
  assert.equal(tone('rolled_pca', -0.04, ' ±0'), '');
  assert.equal(tone('rolled_pca', 0.5, ' +0.5 pts'), 'is-better');
  assert.equal(tone('lead_time', 120, ' +2h'), 'is-worse');
  assert.equal(tone('lead_time', 0, ' ±0'), '');
});
