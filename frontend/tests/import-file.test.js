// @ts-check
/** Importing a board on the home page: what is read from the file, and how a refusal reads. */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { MAX_IMPORT_BYTES, importRefusal, readExport, sizeRefusal } from '../js/model/import-file.js';

const EXPORT = { format: 'flowmap-board', version: 1, board: { title: 'Feature delivery' }, elements: [] };

test('an export is read with its title, for the recent boards list', () => {
  const read = readExport(JSON.stringify(EXPORT));
  assert.ok(read.ok);
  assert.equal(read.title, 'Feature delivery');
  assert.deepEqual(read.body, EXPORT);
});

test('an untitled export is listed as "Imported board"', () => {
  const read = readExport(JSON.stringify({ ...EXPORT, board: { title: '  ' } }));
  assert.ok(read.ok);
  assert.equal(read.title, 'Imported board');
});

test('a file that is not JSON, or not an export, is refused before it is sent', () => {
  for (const text of ['not json at all', '[1, 2]', 'null', '{"format": "something-else"}']) {
    const read = readExport(text);
    assert.equal(read.ok, false, text);
    assert.match(read.ok ? '' : read.message, /not (JSON|a Flowmap board export)/);
  }
});

test('a file over the server\'s limit is refused by its size', () => {
  assert.equal(sizeRefusal(MAX_IMPORT_BYTES), null);
  assert.equal(sizeRefusal(MAX_IMPORT_BYTES + 1), 'This file is 16 MB: a board export can be at most 16 MB.');
});

test('the server\'s reasons read as one sentence, never as its internals', () => {
  const invalid = { detail: [{ loc: ['body', 'elements', 3], msg: "elements[3]: 'kind' must be one of step, inventory", type: 'value_error' }] };
  assert.equal(importRefusal(422, invalid), "This export cannot be imported: elements[3]: 'kind' must be one of step, inventory.");
  const missing = { detail: [{ loc: ['body', 'elements'], msg: 'Field required', type: 'missing' }] };
  assert.equal(importRefusal(422, missing), 'This export cannot be imported: elements: Field required.');
  assert.equal(importRefusal(403, { detail: 'this Flowmap needs its creation key to make boards' }),
    'Could not import: this Flowmap needs its creation key to make boards.');
  assert.equal(importRefusal(500, null), 'Could not import the board (the server said 500). Try again.');
  assert.match(importRefusal(413, null), /too big/);
  assert.ok(importRefusal(422, { detail: 'x'.repeat(5000) }).length < 340);
});
