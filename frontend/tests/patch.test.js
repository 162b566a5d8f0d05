// @ts-check
/**
 * The browser's metrics patches against the golden cases that
 * tests/fixtures/patch/generate.py writes from app/domain/patch.py: each patch
 * turns its `before` into exactly its `after`, the input is never changed,
 * and a patch that does not fit is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { PatchError, applyPatch } from '../js/model/patch.js';

const FIXTURE = fileURLToPath(new URL('../../tests/fixtures/patch/cases.json', import.meta.url));
/** @type {{cases: {what: string, before: any, after: any, patch: any[][]|null}[], bad: {what: string, document: any, patch: any}[]}} */
const CASES = JSON.parse(readFileSync(FIXTURE, 'utf8'));

test('there are golden cases to check', () => {
  assert.ok(CASES.cases.length >= 15);
  assert.ok(CASES.bad.length >= 5);
});

test('each golden patch turns before into exactly after, leaving before alone', () => {
  for (const c of CASES.cases) {
    if (c.patch === null) continue; // the server sends the whole document instead
    const before = JSON.stringify(c.before);
    assert.deepEqual(applyPatch(c.before, c.patch), c.after, c.what);
    assert.equal(JSON.stringify(c.before), before, `${c.what}: the input was changed`);
  }
});

test('what a patch changes is a new object; what it does not is shared', () => {
  const before = { steps: [{ w: 1 }, { w: 2 }], other: { k: [1] } };
  const after = applyPatch(before, [['steps', 1, 'w', 3]]);
  assert.notEqual(after, before);
  assert.notEqual(after.steps, before.steps);
  assert.equal(after.steps[0], before.steps[0]);
  assert.equal(after.other, before.other);
  assert.deepEqual(before, { steps: [{ w: 1 }, { w: 2 }], other: { k: [1] } });
});

test("a value set by one change is copied before a later change goes into it", () => {
  const value = { k: 1 };
  assert.deepEqual(applyPatch({ a: null }, [['a', value], ['a', 'k', 2]]), { a: { k: 2 } });
  assert.deepEqual(value, { k: 1 });
});

test('bad patches are refused and leave the document alone', () => {
  for (const c of CASES.bad) {
    const document = JSON.stringify(c.document);
    assert.throws(() => applyPatch(c.document, c.patch), PatchError, c.what);
    assert.equal(JSON.stringify(c.document), document, c.what);
  }
});
