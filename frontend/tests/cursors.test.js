// Remote pointers glide over the time between their messages, never longer than the slowest pace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glideMs, LONGEST_GLIDE_MS } from '../js/canvas/cursors.js';

test('a pointer glides over the gap since its previous message', () => {
  assert.equal(glideMs(1000, 1033.4), 33);
  assert.equal(glideMs(1000, 1075), 75);
  assert.equal(glideMs(1000, 1000 + LONGEST_GLIDE_MS), LONGEST_GLIDE_MS);
});

test('a pointer that was still for a while, or a clock that went back, jumps', () => {
  assert.equal(glideMs(1000, 1000 + LONGEST_GLIDE_MS + 1), 0);
  assert.equal(glideMs(1000, 5000), 0);
  assert.equal(glideMs(1000, 1000), 0);
  assert.equal(glideMs(1000, 900), 0);
});
