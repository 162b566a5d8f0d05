// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { invitedNames } from '../js/ui/validation-panel.js';

test('the names typed to invite are cleaned as display names are, blanks and invisible ones dropped', () => {
  // As app/domain/names.py person_name: a name that draws nothing is no name (the server
  // refuses it); invisible characters go, so "A\u200bda" is Ada, and asked once.
  assert.deepEqual(invitedNames(' Ada ,\u200b, Bob\u202e\n\u3164;  Fay  Lee '), ['Ada', 'Bob', 'Fay Lee']);
  assert.deepEqual(invitedNames('A\u200bda, Ada'), ['Ada', 'Ada']);
});
