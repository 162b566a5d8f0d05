// @ts-check
/**
 * Durations typed as ranges ("2d-5d", "2d-3d-5d") in the browser, against the
 * golden cases tests/fixtures/ranges/generate.py writes from app/domain/durations.py
 * (tests/unit/test_ranges.py keeps them true for the Python): the same likely
 * minutes to the last bit, the same three figures, the same tidied text, the
 * same refusal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import {
  DurationError, parseDuration, parseRange, saysMinutes, showDuration, typedForm,
} from '../js/model/durations.js';

/**
 * @typedef {import('../js/model/durations.js').Calendar} Calendar
 * @typedef {import('../js/model/durations.js').Range} Range
 * @typedef {{text: string, calendar: string, minutes?: number, range?: Range|null, typed?: string, error?: string}} RangeCase
 */

const FIXTURE = fileURLToPath(new URL('../../tests/fixtures/ranges/cases.json', import.meta.url));
/** @type {{calendars: Record<string, Calendar>, cases: RangeCase[]}} */
const CASES = JSON.parse(readFileSync(FIXTURE, 'utf8'));
// At least this many, so an emptied fixture cannot pass.
const MIN_CASES = 50;
const EIGHT_HOUR_DAYS = { hours_per_day: 8, days_per_week: 5 };

/** @param {string} text @param {Calendar} calendar */
function answer(text, calendar) {
  try {
    const minutes = parseDuration(text, calendar);
    return { minutes, range: parseRange(text, calendar), typed: typedForm(text, calendar) };
  } catch (e) {
    if (!(e instanceof DurationError)) throw e;
    return { error: e.message };
  }
}

test('every range case gives the figures, the tidied text or the message the server gives', () => {
  assert.ok(CASES.cases.length >= MIN_CASES, `${CASES.cases.length} range cases`);
  const wrong = [];
  for (const c of CASES.cases) {
    const { text, calendar, ...expected } = c;
    const got = answer(text, CASES.calendars[calendar]);
    try {
      assert.deepStrictEqual(got, expected); // numbers compared with Object.is: the same double
    } catch {
      wrong.push({ text, calendar, expected, got });
    }
  }
  assert.deepEqual(wrong, []);
});

test('a range stands for its likely value and shows as typed, tidied', () => {
  assert.equal(parseDuration('2d-5d', EIGHT_HOUR_DAYS), 1680);
  assert.deepEqual(parseRange('2d - 3d - 5d', EIGHT_HOUR_DAYS), { low: 960, likely: 1440, high: 2400 });
  assert.equal(parseRange('5d', EIGHT_HOUR_DAYS), null);
  assert.ok(saysMinutes('2d to 5d', 1680, EIGHT_HOUR_DAYS));
  assert.equal(showDuration(1680, '2d – 5d', EIGHT_HOUR_DAYS), '2d-5d');
  assert.equal(showDuration(1680, '2d-5d', { hours_per_day: 7.5, days_per_week: 5 }), '3.7d');
});

test('a backwards range is refused in the server\'s words', () => {
  assert.throws(
    () => parseDuration('5d-2d', EIGHT_HOUR_DAYS),
    (e) => e instanceof DurationError
      && e.message === 'the range 5d-2d runs backwards: write the smaller figure first',
  );
});
