// @ts-check
/**
 * Measured flow from an event log, without a browser: the import dialog's words
 * and the mapping it sends (model/event-log.js), and a step's figures beside
 * their measurement, with the gap rule (model/measured.js), down to the lines
 * the canvas draws (canvas/data-box.js dataRows, model/data-layout.js).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  IGNORE, MAX_LOG_BYTES, buildMapping, contentType, errorLines, eventsUrl, fileRefusal, initialChoices,
  mappingRows, summaryLines, unmatchedLine,
} from '../js/model/event-log.js';
import { GAP_SHARE, count, dateRange, differs, measuredLineCount, provenance, sideBySide } from '../js/model/measured.js';
import { dataRows } from '../js/canvas/data-box.js';
import { ROW_HEIGHT, dataBoxHeight, wrapFigure } from '../js/model/data-layout.js';
import { ladderLayout } from '../js/model/ladder.js';

const CAL = { hours_per_day: 8, days_per_week: 5 };
const DAY = 480;

/** The contract's preview, as POST /api/boards/{id}/events?preview=true answers. */
const PREVIEW = {
  rows: 1234, items: 210, from: '2026-09-01', to: '2026-11-28',
  log_steps: [
    { name: 'Code review', rows: 210, match: 's3', how: 'exact' },
    { name: 'qa', rows: 200, match: 's4', how: 'case-insensitive' },
    { name: 'deploy freeze', rows: 12, match: null, how: null },
    { name: 'hotfix', rows: 3, match: null, how: null },
  ],
  map_steps: [{ id: 's3', text: 'Code review' }, { id: 's4', text: 'QA' }, { id: 's7', text: 'Deploy' }],
};

test('the preview and the import go to the events address, the mapping as JSON in the query', () => {
  assert.equal(eventsUrl('b 1', { preview: true, filename: 'jira export.csv' }),
    '/api/boards/b%201/events?preview=true&filename=jira+export.csv');
  const url = new URL(eventsUrl('b1', { filename: 'x.csv', mapping: { 'deploy freeze': null, hotfix: 's7' } }), 'http://h');
  assert.equal(url.searchParams.get('preview'), null);
  assert.deepEqual(JSON.parse(url.searchParams.get('mapping') ?? ''), { 'deploy freeze': null, hotfix: 's7' });
  assert.equal(eventsUrl('b1'), '/api/boards/b1/events');
});

test('a file goes as JSON or CSV by its name; too big or empty is refused before sending', () => {
  assert.equal(contentType('log.JSON'), 'application/json');
  assert.equal(contentType('jira-export.csv'), 'text/csv');
  assert.equal(contentType('export.txt'), 'text/csv');
  assert.equal(fileRefusal({ name: 'a.csv', size: 100 }), null);
  assert.match(fileRefusal({ name: 'a.csv', size: MAX_LOG_BYTES + 1 }) ?? '', /over 20 MB/);
  assert.match(fileRefusal({ name: 'a.csv', size: 0 }) ?? '', /empty/);
});

test('each log step reads with how it matched, in words', () => {
  const rows = mappingRows(PREVIEW);
  assert.deepEqual(rows.map((r) => [r.name, r.match, r.how]), [
    ['Code review', 's3', 'matched exactly'],
    ['qa', 's4', 'matched ignoring case'],
    ['deploy freeze', null, 'no step on the map has this name'],
    ['hotfix', null, 'no step on the map has this name'],
  ]);
});

test('the unmatched log steps are called out, counted, in agreement; none, no call-out', () => {
  assert.equal(unmatchedLine(PREVIEW), '2 log steps match no step on the map: pick one or ignore them');
  const one = { ...PREVIEW, log_steps: PREVIEW.log_steps.slice(0, 3) };
  assert.equal(unmatchedLine(one), '1 log step matches no step on the map: pick one or ignore it');
  assert.equal(unmatchedLine({ ...PREVIEW, log_steps: PREVIEW.log_steps.slice(0, 2) }), null);
});

test('the summary: rows, items and steps, then the dates the log covers', () => {
  assert.deepEqual(summaryLines(PREVIEW), ['1,234 rows · 210 items · 4 steps', '1 Sep – 28 Nov 2026']);
  const single = { ...PREVIEW, rows: 1, items: 1, log_steps: [PREVIEW.log_steps[0]], from: '2026-09-01', to: '2026-09-01' };
  assert.deepEqual(summaryLines(single), ['1 row · 1 item · 1 step', '1 Sep 2026']);
});

test('dates across a year name both years; unreadable dates say nothing', () => {
  assert.equal(dateRange('2025-12-01', '2026-02-28'), '1 Dec 2025 – 28 Feb 2026');
  assert.equal(dateRange('2026-09-01T08:00', '2026-11-28T17:00'), '1 Sep – 28 Nov 2026');
  assert.equal(dateRange('', ''), '');
  assert.equal(count(1234567), '1,234,567');
  assert.equal(count(999), '999');
});

test('the mapping sends only what differs from the automatic match', () => {
  const choices = initialChoices(PREVIEW);
  assert.deepEqual(choices, { 'Code review': 's3', qa: 's4', 'deploy freeze': IGNORE, hotfix: IGNORE });
  assert.deepEqual(buildMapping(PREVIEW, choices), {}, 'left as matched: nothing to say');
  assert.deepEqual(buildMapping(PREVIEW, { ...choices, hotfix: 's7', qa: IGNORE, 'Code review': 's4' }),
    { hotfix: 's7', qa: null, 'Code review': 's4' });
});

test('a mapping never names a log step the preview did not list', () => {
  assert.deepEqual(buildMapping(PREVIEW, { 'not in the log': 's3', hotfix: 's7' }), { hotfix: 's7' });
});

test('422 errors read as a list, row numbers kept or put in front', () => {
  const body = { detail: [
    { loc: ['body', 'row', 17], msg: 'row 17: started 2026-11-03T10:00 is before arrived 2026-11-04T09:00', type: 'value_error' },
    { loc: ['body', 'row', 3], msg: 'Value error, the item is empty', type: 'value_error' },
    { loc: ['query', 'mapping'], msg: 'mapping names step s99, which is not on the map', type: 'value_error' },
  ] };
  assert.deepEqual(errorLines(422, body), [
    'row 17: started 2026-11-03T10:00 is before arrived 2026-11-04T09:00',
    'row 3: the item is empty',
    'mapping names step s99, which is not on the map',
  ]);
});

test('more than 20 errors are cut with a count; other refusals are one sentence', () => {
  const many = { detail: Array.from({ length: 25 }, (_, i) => ({ loc: ['body', 'row', i + 1], msg: `row ${i + 1}: bad` })) };
  const lines = errorLines(422, many);
  assert.equal(lines.length, 21);
  assert.equal(lines[20], '… and 5 more');
  assert.match(errorLines(413, null)[0], /over 20 MB/);
  assert.match(errorLines(403, { detail: 'facilitator only' })[0], /facilitator/);
  assert.deepEqual(errorLines(400, { detail: 'the file is not UTF-8' }), ['the file is not UTF-8']);
  assert.match(errorLines(500, null)[0], /answered 500/);
});

const MEASURE = {
  names: ['code review'],
  wait: { n: 42, median: 3.5 * DAY, p85: 6 * DAY, quantiles: [] },
  process: { n: 42, median: 240, p85: 480, quantiles: [] },
};

test('a measured figure reads beside the estimate as typed', () => {
  const step = { id: 's3', wait_minutes: 2 * DAY, wait_text: '2d', process_minutes: 240, process_text: '4h' };
  const wait = sideBySide(step, 'wait_minutes', MEASURE, CAL);
  assert.equal(wait?.text, 'est. 2d · measured 3.5d, n=42');
  assert.equal(wait?.differs, true);
  assert.equal(wait?.detail, 'Median of 42 measured items; 85% within 6d');
  const work = sideBySide(step, 'process_minutes', MEASURE, CAL);
  assert.equal(work?.text, 'est. 4h · measured 4h, n=42');
  assert.equal(work?.differs, false);
});

test('no estimate: the measurement alone, not emphasised; no measurement: nothing', () => {
  const step = { id: 's3', wait_minutes: null };
  assert.equal(sideBySide(step, 'wait_minutes', MEASURE, CAL)?.text, 'measured 3.5d, n=42');
  assert.equal(sideBySide(step, 'wait_minutes', MEASURE, CAL)?.differs, false);
  assert.equal(sideBySide(step, 'wait_minutes', { process: MEASURE.process }, CAL), null);
  assert.equal(sideBySide(step, 'wait_minutes', undefined, CAL), null);
});

test('the gap rule: more than a quarter either way stands out, a quarter exactly does not', () => {
  assert.equal(GAP_SHARE, 0.25);
  assert.equal(differs(100, 125), false);
  assert.equal(differs(100, 75), false);
  assert.equal(differs(100, 126), true);
  assert.equal(differs(100, 74), true);
  assert.equal(differs(0, 10), true, 'an estimate of nothing against real time');
  assert.equal(differs(0, 0), false);
  assert.equal(differs(null, 10), false);
});

test('the provenance line, as the Flow panel says it', () => {
  const measured = { source: { file: 'jira-export.csv', rows: 1234, items: 210, from: '2026-09-01', to: '2026-11-28' }, steps: {} };
  assert.equal(provenance(measured), 'measured from jira-export.csv, 210 items, 1 Sep – 28 Nov 2026');
  assert.equal(provenance(null), '');
});

test('the lines a step’s measurement adds: one a measured figure, two when it wraps, none without', () => {
  const step = { id: 's3', wait_minutes: 2 * DAY, process_minutes: 240 };
  assert.equal(measuredLineCount(step, MEASURE, CAL), 2);
  assert.equal(measuredLineCount(step, { wait: MEASURE.wait }, CAL), 1);
  assert.equal(measuredLineCount(step, MEASURE, CAL, 96), 4);
  assert.equal(measuredLineCount(step, null, CAL), 0);
});

test('on the canvas the row says "est." and the measurement takes the line under it', () => {
  const step = { id: 's3', w: 168, wait_minutes: 2 * DAY, wait_text: '2d', process_minutes: 240, pca: 90 };
  const rows = dataRows(/** @type {any} */ (step), CAL, {}, MEASURE);
  assert.equal(rows[0].value, 'est. 2d');
  assert.deepEqual(rows[0].measured, { lines: ['measured 3.5d, n=42'], differs: true, detail: 'Median of 42 measured items; 85% within 6d' });
  assert.equal(rows[1].value, 'est. 4h');
  assert.equal(rows[2].measured, undefined, '%C/A is not measured');
  const plain = dataRows(/** @type {any} */ (step), CAL, {});
  assert.equal(plain[0].value, '2d', 'no measurement, no "est."');
});

test('a narrow box wraps the measured line after its comma rather than cut it, and grows for it', () => {
  assert.deepEqual(wrapFigure('measured 3.5d, n=42', 168), ['measured 3.5d, n=42']);
  assert.deepEqual(wrapFigure('measured 3.5d, n=42', 96), ['measured 3.5d,', 'n=42']);
  const step = { id: 's3', w: 96, wait_minutes: 2 * DAY, process_minutes: 240 };
  const rows = dataRows(/** @type {any} */ (step), CAL, {}, MEASURE, 96);
  assert.equal(rows[0].measured?.lines.length, 2);
  assert.equal(dataBoxHeight({}, 168, 2) - dataBoxHeight({}, 168), 34, 'two rows more');
});

test('the ladder drops under a data box grown by its measured lines, and only then', () => {
  const step = { id: 's3', kind: /** @type {const} */ ('step'), x: 0, y: 100, w: 168, h: 96, wait_minutes: 2 * DAY, process_minutes: 240, people: 3,
    waste: ['defects', 'overproduction', 'waiting', 'transportation'] }; // a tall box: its foot sets the ladder
  const elements = new Map([['s3', /** @type {any} */ (step)]]);
  const metrics = { steps: [{ id: 's3', wait_minutes: 2 * DAY, process_minutes: 240 }] };
  const plain = ladderLayout(metrics, elements, CAL)?.top ?? 0;
  const measured = ladderLayout({ ...metrics, measured: { source: {}, steps: { s3: MEASURE } } }, elements, CAL)?.top ?? 0;
  assert.equal(measured - plain, 2 * ROW_HEIGHT);
  const elsewhere = ladderLayout({ ...metrics, measured: { source: {}, steps: { s9: MEASURE } } }, elements, CAL)?.top;
  assert.equal(elsewhere, plain);
});
