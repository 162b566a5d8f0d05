// @ts-check
/**
 * The browser's durations against the golden cases that
 * tests/fixtures/durations/generate.py writes from app/domain/durations.py
 * (tests/unit/test_durations_fixture.py keeps them true for the Python): the
 * same minutes to the last bit, the same text, the same error message. Then
 * the %C/A and rework-rate readers, which have no Python twin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import {
  DurationError, PercentError, formatDuration, formatPercent, formatRate, parseDuration, parsePercent,
  parseRate, parseTyped, showDuration, typedForm,
} from '../js/model/durations.js';

/**
 * @typedef {import('../js/model/durations.js').Calendar} Calendar
 * @typedef {{text: string, calendar: string, minutes?: number, error?: string}} ParseCase
 * @typedef {{minutes: number|string, calendar: string, text?: string, error?: true}} FormatCase
 * @typedef {{text: string, minutes: number, calendar: string, shown: string}} TypedCase
 * @typedef {{calendars: Record<string, Calendar>, parse: ParseCase[], format: FormatCase[], typed: TypedCase[]}} Cases
 */

const FIXTURE = fileURLToPath(new URL('../../tests/fixtures/durations/cases.json', import.meta.url));
/** @type {Cases} */
const CASES = JSON.parse(readFileSync(FIXTURE, 'utf8'));
// At least this many of each, so an emptied fixture cannot pass.
const MIN_CASES = 150;
const EIGHT_HOUR_DAYS = { hours_per_day: 8, days_per_week: 5 };

/** @param {string} text @param {Calendar} calendar */
function parsed(text, calendar) {
  try {
    return { minutes: parseDuration(text, calendar) };
  } catch (e) {
    if (!(e instanceof DurationError)) throw e;
    return { error: e.message };
  }
}

/** @param {number} minutes @param {Calendar} calendar */
function formatted(minutes, calendar) {
  try {
    return { text: formatDuration(minutes, calendar) };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { error: true };
  }
}

test('every parse case gives the minutes or the message the server gives', () => {
  assert.ok(CASES.parse.length >= MIN_CASES, `${CASES.parse.length} parse cases`);
  const wrong = [];
  for (const c of CASES.parse) {
    const expected = 'error' in c ? { error: c.error } : { minutes: c.minutes };
    const got = parsed(c.text, CASES.calendars[c.calendar]);
    // Object.is: the same double, not merely close, and not -0 for 0.
    const same = 'error' in expected ? got.error === expected.error : Object.is(got.minutes, expected.minutes);
    if (!same) wrong.push({ text: c.text, calendar: c.calendar, expected, got });
  }
  assert.deepEqual(wrong, []);
});

test('every format case reads as the server writes it', () => {
  assert.ok(CASES.format.length >= MIN_CASES, `${CASES.format.length} format cases`);
  const wrong = [];
  for (const c of CASES.format) {
    const expected = c.error ? { error: true } : { text: c.text };
    const got = formatted(Number(c.minutes), CASES.calendars[c.calendar]);
    if (!('error' in expected ? got.error : got.text === expected.text)) {
      wrong.push({ minutes: c.minutes, calendar: c.calendar, expected, got });
    }
  }
  assert.deepEqual(wrong, []);
});

test('every typed figure is shown back as the server shows it', () => {
  assert.ok(CASES.typed.length >= 40, `${CASES.typed.length} typed cases`);
  const wrong = CASES.typed
    .map((c) => ({ ...c, got: showDuration(c.minutes, c.text, CASES.calendars[c.calendar]) }))
    .filter((c) => c.got !== c.shown);
  assert.deepEqual(wrong, []);
});

test('what a person typed keeps their units; what was computed reads in one style', () => {
  assert.equal(showDuration(2400, '5d', EIGHT_HOUR_DAYS), '5d');
  assert.equal(showDuration(2400, '1w', EIGHT_HOUR_DAYS), '1w');
  assert.equal(showDuration(2400, null, EIGHT_HOUR_DAYS), '5d');
  assert.equal(typedForm('1 hr 30 mins', EIGHT_HOUR_DAYS), '1h 30m');
  // the pairs: a lead time and a process time side by side read alike
  assert.equal(formatDuration(10440, EIGHT_HOUR_DAYS), '21.8d');
  assert.equal(formatDuration(2070, EIGHT_HOUR_DAYS), '4.3d');
  assert.equal(formatDuration(600, EIGHT_HOUR_DAYS), '1.3d'); // 1.25d: a half rounds up, as people round
  assert.equal(formatDuration(720, EIGHT_HOUR_DAYS), '1.5d');
  assert.equal(formatDuration(7200, EIGHT_HOUR_DAYS), '15d'); // never "3w" unless typed
});

test('the fixture reaches every message and every shape of output', () => {
  const messages = CASES.parse.map((c) => c.error ?? '');
  for (const phrase of ['an empty box', 'is too long', 'is negative', 'is ambiguous', 'is not a duration',
    'a number without a unit', 'twice', 'more than 10 years']) {
    assert.ok(messages.some((m) => m.includes(phrase)), `a case fails with "${phrase}"`);
  }
  const shown = CASES.format.map((c) => c.text ?? '');
  for (const shape of [/^\d+m$/, /^\d+h$/, /^\d+\.\dh$/, /^\d+d$/, /^\d+\.\dd$/]) {
    assert.ok(shown.some((s) => shape.test(s)), `a case formats as ${shape}`);
  }
  assert.ok(shown.filter(Boolean).every((s) => /^\d+(\.\d)?[mhd]$/.test(s)), 'computed figures: one number, one unit, never weeks');
});

test('a refusal is a DurationError, an Error with its own name', () => {
  assert.throws(() => parseDuration('soon', EIGHT_HOUR_DAYS), (e) => {
    assert.ok(e instanceof DurationError && e instanceof Error);
    assert.equal(e.name, 'DurationError');
    return true;
  });
});

test('formatting refuses what is not a duration', () => {
  for (const minutes of [-1, NaN, Infinity]) {
    assert.throws(() => formatDuration(minutes, EIGHT_HOUR_DAYS), RangeError);
  }
});

test('%C/A reads a number or a percentage as a percent', () => {
  assert.equal(parsePercent('85'), 85);
  assert.equal(parsePercent('85%'), 85);
  assert.equal(parsePercent(' 85 % '), 85);
  assert.equal(parsePercent('85,5'), 85.5);
  assert.equal(parsePercent('0.85'), 0.85);
  assert.equal(parsePercent('0'), 0);
  assert.equal(parsePercent('100%'), 100);
  assert.equal(parsePercent('\u0668\u0665'), 85); // Arabic-Indic digits, as durations read them
});

test('%C/A outside 0..100 is refused in the server\'s words', () => {
  for (const [text, message] of [
    ['120', '"120" must be between 0 and 100'],
    ['100.5%', '"100.5%" must be between 0 and 100'],
    ['-5', '"-5" must be between 0 and 100'],
    ['-0', '"-0" must be between 0 and 100'],
    ['', 'an empty box is not a percentage — try 85 or 85%'],
    ['lots', '"lots" is not a percentage — try 85 or 85%'],
    ['85%%', '"85%%" is not a percentage — try 85 or 85%'],
    ['1,000', '"1,000" is ambiguous — write decimals with a point, e.g. 12.5'],
  ]) {
    assert.throws(() => parsePercent(text), (e) => e instanceof PercentError && e.message === message, text);
  }
});

test('a rework rate reads a percentage, or a decimal below 1 as the fraction itself', () => {
  assert.equal(parseRate('20%'), 0.2);
  assert.equal(parseRate('20'), 0.2);
  assert.equal(parseRate('7'), 0.07); // exactly the double 0.07, not 7 / 100
  assert.equal(parseRate('0.2'), 0.2);
  assert.equal(parseRate('0,25'), 0.25);
  assert.equal(parseRate('.5'), 0.5);
  assert.equal(parseRate('0.5%'), 0.005);
  assert.equal(parseRate('1'), 0.01);
  assert.equal(parseRate('1.5'), 0.015);
  assert.equal(parseRate('0'), 0);
  assert.equal(parseRate('99%'), 0.99);
});

test('a rework rate of 100% or more, or below 0, is refused', () => {
  for (const [text, message] of [
    ['100%', '"100%" must be less than 100% — at 100% every item would go round the loop for ever'],
    ['100', '"100" must be less than 100% — at 100% every item would go round the loop for ever'],
    ['250', '"250" must be less than 100% — at 100% every item would go round the loop for ever'],
    // The server takes at most 99% (app/domain/fields.py): its figures count no more.
    ['99.5%', '"99.5%" is more than 99% — the map counts at most 99 in 100 items going round again'],
    ['-5%', '"-5%" cannot be negative'],
    ['-0.2', '"-0.2" cannot be negative'],
    ['', 'an empty box is not a rate — try 20% or 0.2'],
    ['often', '"often" is not a rate — try 20% or 0.2'],
  ]) {
    assert.throws(() => parseRate(text), (e) => e instanceof PercentError && e.message === message, text);
  }
});

test('percentages show with at most one decimal, halves to even as the server rounds', () => {
  assert.equal(formatPercent(85), '85%');
  assert.equal(formatPercent(40.6875), '40.7%');
  assert.equal(formatPercent(12.25), '12.2%'); // Python's f"{12.25:.1f}"; toFixed would say 12.3
  assert.equal(formatPercent(12.75), '12.8%');
  assert.equal(formatRate(0.07), '7%');
  assert.equal(formatRate(0.125), '12.5%');
  for (const rate of [0, 0.05, 0.2, 0.333, 0.99]) {
    assert.ok(Math.abs(parseRate(formatRate(rate)) - rate) <= 0.0005, `${rate} round-trips`);
  }
});

test('what is typed now refuses "1.000m" as ambiguous; what was stored reads as it always did', () => {
  // Decimal commas are read ("1,5h"), so where they are used "1.000m" means a thousand
  // minutes: typed now it is refused. A text stored before (the server seeds future-state
  // maps and imports from it) still reads as before, as the server reads it.
  assert.throws(() => parseTyped('1.000m', EIGHT_HOUR_DAYS), {
    name: 'DurationError', message: '"1.000m" is ambiguous — write 1000m without a point, or 1.5d',
  });
  assert.throws(() => parseTyped(' 2.500h ', EIGHT_HOUR_DAYS), { name: 'DurationError' });
  assert.equal(parseTyped('0.125d', EIGHT_HOUR_DAYS), 60);
  assert.equal(parseTyped('1.5d', EIGHT_HOUR_DAYS), 720);
  assert.equal(parseDuration('1.500h', EIGHT_HOUR_DAYS), 90);
});

test('a fraction as a keyboard or a sticky writes it is read; one without an ending decimal shows as a fraction', () => {
  for (const [text, minutes, shown] of /** @type {Array<[string, number, string]>} */ ([
    ['1/2d', 240, '0.5d'], ['1 1/2d', 720, '1.5d'], ['1 1/2 days', 720, '1.5d'], ['3/4h', 45, '0.75h'],
    ['3/2d', 720, '1.5d'], ['1/8d', 60, '0.125d'], ['1\u20442d', 240, '0.5d'], ['\u2153d', 160, '1/3d'],
    ['\u2154h', 40, '2/3h'], ['\u215bd', 60, '0.125d'], ['1\u2153h', 80, '1 1/3h'], ['2 2/3h', 160, '2 2/3h'],
    ['1d 1/2h', 510, '1d 0.5h'], ['1/3-2/3d', 240, '1/3d-2/3d'], ['\u2155w', 480, '0.2w'],
  ])) {
    assert.ok(Math.abs(parseDuration(text, EIGHT_HOUR_DAYS) - minutes) < 1e-9, text);
    assert.equal(typedForm(text, EIGHT_HOUR_DAYS), shown, text);
    assert.equal(parseDuration(shown, EIGHT_HOUR_DAYS), parseDuration(text, EIGHT_HOUR_DAYS), shown);
  }
});

test('a fraction that is no number is refused with its reason', () => {
  for (const [text, message] of [
    ['1/0d', '"1/0d" divides by zero — write a fraction as 1/2d or 1 1/2d'],
    ['1/2/3d', '"1/2/3d" has a fraction of a fraction — write one fraction, as 1/2d or 1 1/2d'],
    ['1/1000d', '"1/1000d" is split finer than hundredths — write it in a smaller unit, e.g. 1m'],
    ['1 3/2d', '"1 3/2d" has a whole number and a fraction of 1 or more — write e.g. 1 1/2d'],
  ]) {
    assert.throws(() => parseDuration(text, EIGHT_HOUR_DAYS), { name: 'DurationError', message }, text);
  }
});
