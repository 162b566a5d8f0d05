// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { arrowFromDeleted, changedWhileTyping } from '../js/model/unsaved.js';

test('what someone else changed a field to while it was typed in is said, quoted', () => {
  assert.equal(changedWhileTyping(' 3d '), 'Someone else changed this to “3d” while you typed. Enter keeps yours, Esc takes theirs.');
});

test('a field someone else emptied meanwhile says it was cleared', () => {
  assert.equal(changedWhileTyping(''), 'Someone else cleared this while you typed. Enter keeps yours, Esc takes theirs.');
});

test('an arrow drawn from a step someone deleted says which and why it was not drawn', () => {
  assert.equal(arrowFromDeleted({ kind: 'step', text: 'Build' }), 'Build was deleted by someone else: the arrow from it was not drawn.');
  assert.equal(arrowFromDeleted({ kind: 'note', text: 'idea' }), 'This note was deleted by someone else: the arrow from it was not drawn.');
});
