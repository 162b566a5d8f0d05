import { test } from 'node:test';
import assert from 'node:assert/strict';

import { clock, timerText } from '../js/ui/session-bar.js';

test('a countdown in its last quarter second reads apart from one that ran out', () => {
  // clock() reads "0:00" for both (its slack for the clocks' agreement): the bar, drawn anew
  // only when what it reads changes, stayed at 0:00 instead of saying time is up.
  assert.equal(clock(200), '0:00');
  assert.equal(timerText(200), '0:00');
  assert.equal(timerText(0), 'Time is up');
  assert.equal(timerText(-500), 'Time is up');
  assert.equal(timerText(65_000), '1:05');
});
