import { test } from 'node:test';
import assert from 'node:assert/strict';

import { timerWords } from '../js/ui/timer-dialog.js';

const NOW = Date.parse('2026-12-05T10:00:00Z');

test('with no timer there is nothing to stop', () => {
  assert.deepEqual(timerWords({ timer_ends_at: null }, NOW), { status: 'No countdown is running.', stop: null, start: 'Start' });
  assert.equal(timerWords({}, NOW).stop, null);
});

test('a running timer says its time left and can be stopped or started again', () => {
  const words = timerWords({ timer_ends_at: '2026-12-05T10:04:05Z', timer_label: 'Add the wait times' }, NOW);
  assert.equal(words.status, 'A countdown for “Add the wait times” is running: 4:05 left.');
  assert.equal(words.stop, 'Stop the timer');
  assert.equal(words.start, 'Start again');
});

test('a timer that ran out is cleared, not stopped', () => {
  const words = timerWords({ timer_ends_at: '2026-12-05T09:59:00Z', timer_label: '' }, NOW);
  assert.match(words.status, /^Time is up: /);
  assert.equal(words.stop, 'Clear the timer');
  assert.equal(words.start, 'Start');
});
