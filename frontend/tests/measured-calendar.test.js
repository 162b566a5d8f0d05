// @ts-check
// A log's measured figures are working time on the calendar it was imported on: once the
// board's calendar changes, the side panel says they were counted on the old one.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { countedOn } from '../js/model/measured.js';

const counted = { source: { file: 'jira.csv', hours_per_day: 8, days_per_week: 5 } };

test('nothing is said while the board keeps the calendar the log was counted on', () => {
  assert.equal(countedOn(counted, {}), '');
  assert.equal(countedOn(counted, { hours_per_day: 8, days_per_week: 5 }), '');
  assert.equal(countedOn({ source: { file: 'old.csv' } }, { hours_per_day: 7.5 }), ''); // kept no calendar
  assert.equal(countedOn(null, { hours_per_day: 7.5 }), '');
});

test('a changed calendar is named, with both calendars and what to do', () => {
  assert.equal(countedOn(counted, { hours_per_day: 7.5, days_per_week: 5 }),
    "Counted on 8-hour days and 5-day weeks, not the board's 7.5-hour days and 5-day weeks: import the log again to count it on them.");
  assert.match(countedOn(counted, { days_per_week: 4.5 }), /not the board's 8-hour days and 4.5-day weeks/);
});
