// @ts-check
/**
 * Measured flow beside the estimates, without a DOM: what a step's wait or
 * process time reads when an event log measured it, whether the two are far
 * enough apart to stand out, and where the measurement came from. The canvas
 * (canvas/data-box.js), the step panel and the Flow panel (ui/measured-figures.js)
 * draw from these.
 *
 *   const m = metrics.measured;                       // the board's measurement summary, or null
 *   sideBySide(step, 'wait_minutes', m.steps[step.id], calendar);
 *   // {estimate: 'est. 2d', measured: 'measured 3.5d, n=42', text: 'est. 2d · measured 3.5d, n=42', differs: true, ...}
 *   provenance(m);   // 'measured from jira-export.csv, 210 items, 1 Sep – 28 Nov 2026'
 */

import { formatDuration, showDuration } from './durations.js';
import { wrapFigure } from './data-layout.js';

/** A measured median more than this share away from the estimate is shown emphasised. */
export const GAP_SHARE = 0.25;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Which part of a step's measurement each of its figures reads. */
const PARTS = /** @type {const} */ ({ wait_minutes: 'wait', process_minutes: 'process' });

/**
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 * @typedef {{n: number, median: number, p85: number, quantiles?: number[]}} Distribution
 * @typedef {{names?: string[], wait?: Distribution|null, process?: Distribution|null,
 *   rework?: {items: number, returns: number, rate: number}|null}} StepMeasure
 * @typedef {{source: {file: string, rows: number, items: number, from: string, to: string,
 *   imported_at?: string, by?: string}, steps: Record<string, StepMeasure>,
 *   lead_time?: Distribution|null, hidden_queue?: {median_minutes: number, flag: boolean, text: string}|null,
 *   unmatched?: string[]}} Measurement
 * @typedef {{field: string, estimate: string|null, measured: string, text: string, differs: boolean,
 *   detail: string}} SideBySide
 */

/**
 * True when a measured median is more than GAP_SHARE away from the estimate.
 * An estimate of zero differs from any measured time above zero; no estimate,
 * nothing to compare.
 *
 *   differs(960, 1680);   // true: 3.5d against 2d
 *   differs(960, 1100);   // false: within a quarter
 *
 * @param {number|null|undefined} estimate minutes
 * @param {number|null|undefined} measured minutes
 */
export function differs(estimate, measured) {
  if (estimate === null || estimate === undefined || measured === null || measured === undefined) return false;
  return Math.abs(measured - estimate) > GAP_SHARE * estimate;
}

/**
 * A step's figure with its measurement beside it, or null when the log did not
 * measure that figure.
 *
 *   sideBySide({wait_minutes: 960, wait_text: '2d'}, 'wait_minutes', {wait: {n: 42, median: 1680, p85: 2900}}, cal).text
 *   // 'est. 2d · measured 3.5d, n=42'
 *
 * @param {Record<string, any>} el the step
 * @param {'wait_minutes'|'process_minutes'} field
 * @param {StepMeasure|null|undefined} measure the step's entry in the summary's `steps`
 * @param {Calendar} calendar
 * @returns {SideBySide|null}
 */
export function sideBySide(el, field, measure, calendar) {
  const dist = measure?.[PARTS[field]];
  if (!dist || !Number.isFinite(dist.median)) return null;
  const stored = el[field];
  const given = stored !== null && stored !== undefined;
  const estimate = given ? `est. ${showDuration(stored, el[field.replace('_minutes', '_text')] ?? null, calendar)}` : null;
  const measured = `measured ${formatDuration(dist.median, calendar)}, n=${dist.n}`;
  const p85 = Number.isFinite(dist.p85) ? `; 85% within ${formatDuration(dist.p85, calendar)}` : '';
  return {
    field, estimate, measured,
    text: estimate ? `${estimate} · ${measured}` : measured,
    differs: given && differs(stored, dist.median),
    detail: `Median of ${dist.n} measured item${dist.n === 1 ? '' : 's'}${p85}`,
  };
}

/**
 * The step's measured figures, in the data box's order (wait, then process time).
 * @param {Record<string, any>} el
 * @param {StepMeasure|null|undefined} measure
 * @param {Calendar} calendar
 * @returns {SideBySide[]}
 */
export function measuredFigures(el, measure, calendar) {
  if (!measure) return [];
  return /** @type {SideBySide[]} */ ([sideBySide(el, 'wait_minutes', measure, calendar),
    sideBySide(el, 'process_minutes', measure, calendar)].filter(Boolean));
}

/**
 * An ISO date ("2026-09-01") as people say it: "1 Sep 2026".
 * @param {string} iso
 */
function dateParts(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!m) return null;
  return { year: m[1], month: MONTHS[Number(m[2]) - 1] ?? m[2], day: String(Number(m[3])) };
}

/**
 * The dates a log covers: "1 Sep – 28 Nov 2026", "1 Dec 2025 – 28 Feb 2026",
 * "1 Sep 2026" for a single day; empty when the dates are unreadable.
 *
 *   dateRange('2026-09-01', '2026-11-28');   // '1 Sep – 28 Nov 2026'
 *
 * @param {string} from
 * @param {string} to
 */
export function dateRange(from, to) {
  const a = dateParts(from);
  const b = dateParts(to);
  if (!a || !b) return a ? `${a.day} ${a.month} ${a.year}` : '';
  if (from.slice(0, 10) === to.slice(0, 10)) return `${a.day} ${a.month} ${a.year}`;
  const start = a.year === b.year ? `${a.day} ${a.month}` : `${a.day} ${a.month} ${a.year}`;
  return `${start} – ${b.day} ${b.month} ${b.year}`;
}

/**
 * "1,234": a count with its thousands grouped, the same in every browser.
 * @param {number} n
 */
export function count(n) {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Where the measurements came from, as the Flow panel says it.
 *
 *   provenance({source: {file: 'jira-export.csv', items: 210, from: '2026-09-01', to: '2026-11-28', rows: 1234}});
 *   // 'measured from jira-export.csv, 210 items, 1 Sep – 28 Nov 2026'
 *
 * @param {Measurement|null|undefined} measurement
 */
export function provenance(measurement) {
  const s = measurement?.source;
  if (!s) return '';
  const items = `${count(s.items)} item${s.items === 1 ? '' : 's'}`;
  const dates = dateRange(s.from, s.to);
  return [`measured from ${s.file || 'an event log'}`, items, dates].filter(Boolean).join(', ');
}

/**
 * Said when the board's working calendar changed after its log was counted: the
 * measured figures are working time on the calendar of the import, and only a new
 * import counts them on the board's. '' while they agree, or for a summary from
 * before the calendar was kept with it.
 *
 *   countedOn({source: {hours_per_day: 8, days_per_week: 5}}, {hours_per_day: 7.5});
 *   // 'Counted on 8-hour days and 5-day weeks, not the board's 7.5-hour days and 5-day weeks: import the log again to count it on them.'
 *
 * @param {{source?: Record<string, any>}|null|undefined} measurement
 * @param {Record<string, any>} frame the board's fields
 */
export function countedOn(measurement, frame) {
  const s = measurement?.source;
  if (!s || !Number.isFinite(s.hours_per_day) || !Number.isFinite(s.days_per_week)) return '';
  const hours = Number(frame.hours_per_day ?? 8);
  const days = Number(frame.days_per_week ?? 5);
  if (s.hours_per_day === hours && s.days_per_week === days) return '';
  const said = (/** @type {number} */ h, /** @type {number} */ d) => `${h}-hour days and ${d}-day weeks`;
  return `Counted on ${said(s.hours_per_day, s.days_per_week)}, not the board's ${said(hours, days)}:`
    + ' import the log again to count it on them.';
}

/**
 * How many lines a step's measured figures add under its data box (each wraps
 * like the canvas draws it): the ladder and the layout leave room for them.
 *
 *   measuredLineCount(step, {wait: {n: 42, median: 1680, p85: 2900}}, calendar);   // 1
 *
 * @param {Record<string, any>} el
 * @param {StepMeasure|null|undefined} measure
 * @param {Calendar} calendar
 * @param {number} [width] the step's width
 */
export function measuredLineCount(el, measure, calendar, width = el.w ?? 168) {
  return measuredFigures(el, measure, calendar).reduce((n, m) => n + wrapFigure(m.measured, width).length, 0);
}
