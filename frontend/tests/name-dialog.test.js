// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { personName, storedName } from '../js/ui/name-dialog.js';

// The server's rule (app/domain/names.py person_name): invisible characters out, runs of
// spaces made one; a name with nothing left to see is refused. A page that took one
// sent a hello the server refused, and waited on "Connecting…" for ever.
test('a name is cleaned as the server cleans it', () => {
  for (const [typed, shown] of [
    ['  Ada \u200b Lovelace ', 'Ada Lovelace'],
    ['Bob\u202e', 'Bob'],
    ['\u200b', ''],
    [' \u200b\u200d\u2060 ', ''],
    ['Zoë  Ng', 'Zoë Ng'],
    ['محمد', 'محمد'],
    // Letters, symbols and marks that draw nothing: Hangul fillers, the blank Braille
    // pattern, accents on nothing. The server refuses them as it refuses '\u200b'.
    ['\u3164', ''],
    ['\u2800\u2800', ''],
    ['\u115f\u1160 \uffa0', ''],
    ['\u0301\u034f', ''],
    ['\u3164Mal\u2800lory', 'Mallory'],
    ['Zoe\u0301', 'Zoe\u0301'],
  ]) {
    assert.equal(personName(typed), shown, JSON.stringify(typed));
  }
});

test('a stored name with nothing to see is no name: the page asks for one', () => {
  const storage = (/** @type {string} */ value) => ({ getItem: () => value });
  assert.equal(storedName(storage('\u200b')), null);
  assert.equal(storedName(storage(' Ada\u200b ')), 'Ada');
});
