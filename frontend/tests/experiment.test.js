// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { hypothesis, metricValue } from '../js/model/experiment.js';

const cal = { hours_per_day: 8, days_per_week: 5 };

test('an experiment card reads as the hypothesis the team would say', () => {
  assert.equal(
    hypothesis({ text: 'reserving a test environment per team', metric: 'lead_time', baseline: 11940, target: 7200, review: '2027-03-01' }, cal),
    'We believe that by reserving a test environment per team we will reduce lead time from 24.9d to 15d by 2027-03-01.',
  );
  assert.equal(hypothesis({ text: 'pairing', metric: 'activity_ratio', baseline: 0.236, target: 0.4 }, cal),
    'We believe that by pairing we will raise activity ratio from 23.6% to 40%.');
  assert.equal(hypothesis({}, cal), 'We believe that by … we will reduce lead time.');
});

test('figures read in the metric\'s unit', () => {
  assert.equal(metricValue('rolled_pca', 40.698, cal), '40.7%');
  assert.equal(metricValue('process_time', 2820, cal), '5.9d');
});
