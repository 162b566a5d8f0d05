// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { changedWhileTyping } from '../js/model/unsaved.js';

test('what someone else changed a field to while it was typed in is said, quoted', () => {
  assert.equal(changedWhileTyping(' 3d '), 'Someone else changed this to “3d” while you typed. Enter keeps yours, Esc takes theirs.');
});

test('a field someone else emptied meanwhile says it was cleared', () => {
  assert.equal(changedWhileTyping(''), 'Someone else cleared this while you typed. Enter keeps yours, Esc takes theirs.');
});
