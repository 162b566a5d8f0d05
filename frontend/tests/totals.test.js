// @ts-check
// The Flow panel's "what is missing" line names steps and queues as what they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lacking } from '../js/ui/totals.js';

const step = { lacks: ['wait'] };
const queue = { lacks: ['count'] };

test('steps, queues and both, counted and in agreement', () => {
  assert.equal(lacking([step]), '1 step needs data');
  assert.equal(lacking([step, step]), '2 steps need data');
  assert.equal(lacking([queue]), '1 queue needs data');
  assert.equal(lacking([step, step, queue]), '2 steps and 1 queue need data');
});
