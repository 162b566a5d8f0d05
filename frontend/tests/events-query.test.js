// @ts-check
// The event-log calls' query, as the board's API client sends it.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { eventsQuery } from '../js/model/event-log.js';

test('the query names only what was asked: a preview, the file, the mapping as JSON', () => {
  assert.deepEqual(eventsQuery(), {});
  assert.deepEqual(eventsQuery({ preview: true, filename: 'log.csv' }), { preview: 'true', filename: 'log.csv' });
  assert.deepEqual(eventsQuery({ mapping: { hotfix: 's7', freeze: null } }), { mapping: '{"hotfix":"s7","freeze":null}' });
});
