// @ts-check
/**
 * Importing an event log, without a DOM: the addresses to post it to, how the
 * server's preview reads in the mapping dialog (each log step with the map step
 * it matched and how), the mapping to send from the facilitator's choices, and
 * the server's refusals as a list a person can act on. ui/event-log.js draws
 * the dialog from these.
 *
 *   eventsUrl('b1', {preview: true, filename: 'jira.csv'});   // '/api/boards/b1/events?preview=true&filename=jira.csv'
 *   mappingRows(preview);        // [{name: 'code review', rows: 210, match: 's3', how: 'matched exactly'}, ...]
 *   unmatchedLine(preview);      // '3 log steps match no step on the map: pick one or ignore them'
 *   buildMapping(preview, {'deploy': 's7', 'code review': IGNORE});   // {deploy: 's7', 'code review': null}
 *   errorLines(422, {detail: [{loc: ['body', 'row', 17], msg: 'row 17: ...'}]});   // ['row 17: ...']
 */

import { count, dateRange } from './measured.js';

/** The server refuses a log bigger than this (413); refusing it here saves the upload. */
export const MAX_LOG_BYTES = 20 * 1024 * 1024;
/** The choice that leaves a log step out of the measurements. */
export const IGNORE = '';
// The server sends at most this many errors; more would not help anyone fix the file.
const MAX_ERRORS = 20;
/** @type {Record<string, string>} how the server matched a log step, in words */
const HOW = { exact: 'matched exactly', 'case-insensitive': 'matched ignoring case' };

/**
 * @typedef {{name: string, rows: number, match: string|null, how: string|null}} LogStep
 * @typedef {{rows: number, items: number, from: string, to: string, log_steps: LogStep[],
 *   map_steps: {id: string, text: string}[]}} Preview  POST .../events?preview=true answers this
 * @typedef {{name: string, rows: number, match: string|null, how: string}} MappingRow
 */

/**
 * @typedef {{preview?: boolean, filename?: string, mapping?: Record<string, string|null>}} EventsCall
 */

/**
 * The query of a call to …/events: the preview asks, the import (with the facilitator's mapping) sets.
 * @param {EventsCall} opts
 * @returns {Record<string, string>}
 */
export function eventsQuery({ preview = false, filename = '', mapping } = {}) {
  /** @type {Record<string, string>} */
  const query = {};
  if (preview) query.preview = 'true';
  if (filename) query.filename = filename;
  if (mapping) query.mapping = JSON.stringify(mapping);
  return query;
}

/**
 * Where a log goes, as a whole address.
 * @param {string} boardId
 * @param {EventsCall} opts
 */
export function eventsUrl(boardId, opts = {}) {
  const tail = new URLSearchParams(eventsQuery(opts)).toString();
  return `/api/boards/${encodeURIComponent(boardId)}/events${tail ? `?${tail}` : ''}`;
}

/**
 * What a file is sent as: JSON for .json, else CSV (the server sniffs too).
 * @param {string} filename
 */
export function contentType(filename) {
  return /\.json$/i.test(filename) ? 'application/json' : 'text/csv';
}

/**
 * Why a file is refused before it is sent, or null when it may go.
 * @param {{name: string, size: number}} file
 */
export function fileRefusal(file) {
  if (file.size > MAX_LOG_BYTES) return `${file.name} is over 20 MB: export a shorter period, or fewer columns.`;
  if (!file.size) return `${file.name} is empty.`;
  return null;
}

/**
 * The dialog's rows: each log step, how many rows it has, the map step it
 * matched (null: none) and how, in words.
 * @param {Preview} preview
 * @returns {MappingRow[]}
 */
export function mappingRows(preview) {
  return (preview.log_steps ?? []).map((s) => ({
    name: s.name, rows: s.rows, match: s.match ?? null,
    how: s.match ? HOW[s.how ?? ''] ?? 'matched' : 'no step on the map has this name',
  }));
}

/**
 * The call-out over the rows when some log steps match nothing; null when all match.
 *
 *   unmatchedLine({log_steps: [{name: 'deploy freeze', match: null}]});
 *   // '1 log step matches no step on the map: pick one or ignore it'
 *
 * @param {Preview} preview
 */
export function unmatchedLine(preview) {
  const n = (preview.log_steps ?? []).filter((s) => !s.match).length;
  if (!n) return null;
  return n === 1
    ? '1 log step matches no step on the map: pick one or ignore it'
    : `${n} log steps match no step on the map: pick one or ignore them`;
}

/**
 * What the log holds, in two lines: "1,234 rows · 210 items" and its dates.
 *
 *   summaryLines({rows: 1234, items: 210, from: '2026-09-01', to: '2026-11-28', log_steps: [...5]});
 *   // ['1,234 rows · 210 items · 5 steps', '1 Sep – 28 Nov 2026']
 *
 * @param {Preview} preview
 */
export function summaryLines(preview) {
  const plural = (/** @type {number} */ n, /** @type {string} */ word) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;
  const steps = (preview.log_steps ?? []).length;
  const lines = [`${plural(preview.rows, 'row')} · ${plural(preview.items, 'item')} · ${plural(steps, 'step')}`];
  const dates = dateRange(preview.from, preview.to);
  if (dates) lines.push(dates);
  return lines;
}

/**
 * The mapping to send: only what differs from the server's own match, so a log
 * step left as matched travels as nothing. IGNORE sends null (leave it out); a
 * step id sends that id; an unmatched log step left on IGNORE stays unmatched.
 *
 *   buildMapping({log_steps: [{name: 'qa', match: 's4'}, {name: 'deploy', match: null}]},
 *                {qa: IGNORE, deploy: 's7'});   // {qa: null, deploy: 's7'}
 *
 * @param {Preview} preview
 * @param {Record<string, string>} choices log step name -> a map step's id, or IGNORE
 * @returns {Record<string, string|null>}
 */
export function buildMapping(preview, choices) {
  /** @type {Record<string, string|null>} */
  const mapping = {};
  for (const s of preview.log_steps ?? []) {
    if (!Object.hasOwn(choices, s.name)) continue;
    const chosen = choices[s.name] || null;
    if (chosen !== (s.match ?? null)) mapping[s.name] = chosen;
  }
  return mapping;
}

/**
 * The choices the dialog opens with: each log step on its automatic match, or IGNORE.
 * @param {Preview} preview
 * @returns {Record<string, string>}
 */
export function initialChoices(preview) {
  return Object.fromEntries((preview.log_steps ?? []).map((s) => [s.name, s.match ?? IGNORE]));
}

/**
 * A refusal from the server as lines to list: each 422 error with its row
 * ("row 17: started … is before arrived …"), else one sentence for the status.
 * @param {number} status
 * @param {any} body the answer's JSON, or null when it had none
 * @returns {string[]}
 */
export function errorLines(status, body) {
  const detail = body?.detail;
  if (Array.isArray(detail) && detail.length) {
    const lines = detail.slice(0, MAX_ERRORS).map(errorLine);
    if (detail.length > MAX_ERRORS) lines.push(`… and ${detail.length - MAX_ERRORS} more`);
    return lines;
  }
  if (status === 413) return ['The file is over 20 MB: export a shorter period, or fewer columns.'];
  if (status === 403 || status === 401) return ['Only the facilitator’s link can import an event log.'];
  if (typeof detail === 'string' && detail) return [detail];
  return [`The server could not read the log (it answered ${status}).`];
}

/**
 * One error as a line, its row number in front when the message does not say it.
 * @param {{loc?: (string|number)[], msg?: string}} e
 */
function errorLine(e) {
  const msg = String(e?.msg ?? 'unreadable').replace(/^Value error, /, '');
  const loc = Array.isArray(e?.loc) ? e.loc : [];
  const at = loc.indexOf('row');
  const row = at >= 0 ? loc[at + 1] : undefined;
  if (row === undefined || /^row \d+/i.test(msg)) return msg;
  return `row ${row}: ${msg}`;
}
