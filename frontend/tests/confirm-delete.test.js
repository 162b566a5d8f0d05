// @ts-check
/** Deleting a board asks for its name: what counts as having typed it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { UNTITLED_WORD, confirmWord, confirmsDeletion } from '../js/model/confirm-delete.js';

test('the board is named by its title, spaces and case aside', () => {
  assert.equal(confirmsDeletion('Feature delivery', 'Feature delivery'), true);
  assert.equal(confirmsDeletion('  feature   DELIVERY ', 'Feature  delivery'), true);
});

test('anything else, or nothing, does not confirm', () => {
  assert.equal(confirmsDeletion('', 'Feature delivery'), false);
  assert.equal(confirmsDeletion('Feature', 'Feature delivery'), false);
  assert.equal(confirmsDeletion('delete', 'Feature delivery'), false);
});

test('an untitled board asks for the word "delete"', () => {
  assert.equal(confirmWord('   '), UNTITLED_WORD);
  assert.equal(confirmsDeletion('Delete', ''), true);
  assert.equal(confirmsDeletion('', ''), false);
});
