// @ts-check
/**
 * The data box under a step, as on a paper value-stream map: wait, process
 * time and %C/A (people when known), then the step's waste tags. A figure not
 * given yet reads as a gentle question ("process time?"), never as an error.
 *
 *   fillDataBox(node.parts.data, step, calendar);
 *   // <g class="data-slot"><rect class="data-box"/><text data-field="wait_minutes">…</text>…</g>
 *
 * Each row carries data-field, so a double-click on it opens that figure for editing.
 * When an event log measured a figure, its row reads "est. 2d" and the measured
 * median follows on the line under it ("measured 3.5d, n=42"), emphasised when
 * the two are more than a quarter apart (model/measured.js).
 */

import { formatDuration, showDuration } from '../model/durations.js';
import { svg } from '../util/dom.js';
import { CHIP_GAP, CHIP_HEIGHT, PAD_X, PAD_Y, ROW_HEIGHT, chipPlaces, figuresHeight, wrapFigure } from '../model/data-layout.js';
import { measuredFigures } from '../model/measured.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 */

export { ROW_HEIGHT, WASTE_LABELS } from '../model/data-layout.js';

/**
 * @typedef {{count: number, low: number, high: number, median: number}} Spread
 * @typedef {import('../model/measured.js').StepMeasure} StepMeasure
 * @typedef {{lines: string[], differs: boolean, detail: string}} MeasuredLine
 * @typedef {{field: string, label: string, value: string|null, missing: string, estimated?: string,
 *   measured?: MeasuredLine}} DataRow
 */

/**
 * The rows a step's data box shows, in order. A time nobody settled yet but
 * people estimated reads "~5h" (the median the metrics use) with the spread.
 * @param {BoardElement} el
 * @param {Calendar} calendar
 * @param {Record<string, Spread>} [spreads] the step's estimates, per field
 * @param {StepMeasure|null} [measure] the step's measurement from an event log
 * @param {number} [width] the box's width, to wrap the measured lines in
 * @returns {DataRow[]}
 */
export function dataRows(el, calendar, spreads = {}, measure = null, width = el.w ?? 168) {
  const minutes = (/** @type {number|null|undefined} */ v) =>
    v === null || v === undefined ? null : formatDuration(v, calendar);
  /** @param {string} field @param {string} label @param {string} missing @returns {DataRow} */
  const time = (field, label, missing) => {
    const stored = /** @type {any} */ (el)[field];
    // As the person typed it ("5d"), while that still says the stored minutes.
    const typed = /** @type {any} */ (el)[field.replace('_minutes', '_text')];
    const value = stored === null || stored === undefined ? null : showDuration(stored, typed, calendar);
    const s = spreads[field];
    if (value !== null || !s) return { field, label, value, missing };
    const range = s.low === s.high ? minutes(s.low) : `${minutes(s.low)}–${minutes(s.high)}`;
    return { field, label, value: `~${minutes(s.median)}`, missing,
      estimated: `Median of ${s.count} estimate${s.count === 1 ? '' : 's'} (${range}); not settled yet` };
  };
  const rows = [
    time('wait_minutes', 'Wait', 'wait?'),
    time('process_minutes', 'Process', 'process time?'),
    { field: 'pca', label: '%C/A', value: el.pca === null || el.pca === undefined ? null : `${round1(el.pca)}%`, missing: '%C/A?' },
  ];
  if (el.people !== null && el.people !== undefined) {
    rows.push({ field: 'people', label: 'People', value: String(el.people), missing: '' });
  }
  for (const m of measuredFigures(el, measure, calendar)) {
    const row = rows.find((r) => r.field === m.field);
    if (!row) continue;
    if (row.value !== null && !row.estimated) row.value = `est. ${row.value}`;
    row.measured = { lines: wrapFigure(m.measured, width), differs: m.differs, detail: m.detail };
  }
  return rows;
}

/** @param {number} v */
function round1(v) {
  return Math.round(v * 10) / 10;
}

/**
 * @param {SVGGElement} slot the step's data group, already placed under the step
 * @param {BoardElement} el
 * @param {Calendar} calendar
 * @param {Record<string, Spread>} [spreads]
 * @param {StepMeasure|null} [measure] the step's measurement from an event log
 * @param {boolean} [words] false: the box alone, without its rows and chips (their words are not
 *   shown far out, render.js TEXTLESS_BELOW); the rows still come when a measured line is
 *   among them, as that one is drawn at every zoom
 */
export function fillDataBox(slot, el, calendar, spreads = {}, measure = null, words = true) {
  const w = el.w ?? 168;
  const rows = dataRows(el, calendar, spreads, measure, w);
  const parts = [];
  const lines = rows.reduce((n, row) => n + 1 + (row.measured?.lines.length ?? 0), 0);
  const boxH = figuresHeight(lines);
  parts.push(svg('rect', { class: 'data-box', x: 0, y: 0, width: w, height: boxH, rx: 6, ry: 6 }));
  if (!words && lines === rows.length) {
    slot.replaceChildren(...parts);
    return;
  }
  let line = 0;
  for (const row of rows) {
    const y = PAD_Y + (line + 1) * ROW_HEIGHT - 5;
    const under = row.measured?.lines ?? [];
    line += 1 + under.length;
    const cell = svg('g', { class: `data-row${row.value === null ? ' is-missing' : ''}${row.estimated ? ' is-estimated' : ''}`, 'data-field': row.field });
    const tip = [row.estimated, row.measured?.detail].filter(Boolean).join('. ');
    if (tip) cell.append(svg('title', {}, [tip]));
    cell.append(svg('rect', { class: 'data-hit', x: 0, y: y - ROW_HEIGHT + 5, width: w, height: ROW_HEIGHT * (1 + under.length) }));
    if (row.value === null) {
      cell.append(svg('text', { class: 'data-missing', x: PAD_X, y }, [row.missing]));
    } else {
      cell.append(
        svg('text', { class: 'data-label', x: PAD_X, y }, [row.label]),
        svg('text', { class: 'data-value', x: w - PAD_X, y, 'text-anchor': 'end' }, [row.value]),
      );
    }
    under.forEach((text, i) => cell.append(svg('text', {
      class: `data-measured${row.measured?.differs ? ' is-gap' : ''}`, x: w - PAD_X, y: y + (i + 1) * ROW_HEIGHT,
      'text-anchor': 'end', 'data-measured': row.field,
    }, [text])));
    parts.push(cell);
  }
  parts.push(...wasteChips(el.waste ?? [], w, boxH + CHIP_GAP));
  slot.replaceChildren(...parts);
}

/**
 * Waste tags as small chips, wrapping under the box.
 * @param {string[]} tags
 * @param {number} width
 * @param {number} top
 */
function wasteChips(tags, width, top) {
  return chipPlaces(tags, width, top).map(({ tag, label, x, y, w }) => svg('g',
    { class: 'waste-chip', transform: `translate(${x} ${y})`, 'data-waste': tag }, [
      svg('rect', { width: w, height: CHIP_HEIGHT, rx: CHIP_HEIGHT / 2, ry: CHIP_HEIGHT / 2 }),
      svg('text', { x: w / 2, y: CHIP_HEIGHT / 2 + 3.5, 'text-anchor': 'middle' }, [label]),
    ]));
}
