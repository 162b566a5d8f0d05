// @ts-check
/** A person's chip: initials are letters, never punctuation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { initials } from '../js/ui/presence.js';

test('the first letters of the first and last words', () => {
  assert.equal(initials('Ada Lovelace'), 'AL');
  assert.equal(initials('grace'), 'G');
  assert.equal(initials('  Jean  Paul  Sartre '), 'JS');
  assert.equal(initials('Łukasz Żak'), 'ŁŻ');
});

test('a role or team in brackets, and punctuation, are not initials', () => {
  assert.equal(initials('Fiona (facilitator)'), 'F');
  assert.equal(initials('Bob [Ops]'), 'B');
  assert.equal(initials('Bob - Ops'), 'BO');
  assert.equal(initials('"Chen"'), 'C');
  assert.equal(initials('@dev #1'), 'D1');
});

test('a name without letters shows its first sign; an empty one a question mark', () => {
  assert.equal(initials('🙂'), '🙂');
  assert.equal(initials('   '), '?');
});
