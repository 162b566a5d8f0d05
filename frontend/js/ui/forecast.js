// @ts-check
/**
 * The Flow panel's lead-time forecast (app/domain/forecast.py): how long items
 * take once ranges, estimates' spread and rework loops are played out 10,000
 * times — the 50th, 85th and 95th percentiles as big figures, a small histogram
 * with those three marked, and the steps whose spread is worth measuring first.
 *
 * Two parts: `forecastModel` says what to show and where, without a DOM (the
 * node tests read it); `ForecastView` draws that into one element.
 *
 *   const model = forecastModel(metrics.forecast, { calendar, names, alreadyShown: ['19d'] });
 *   model.line;        // 'Forecast lead time: 50% by 20d · 85% by 26d · 95% by 30d'
 *   model.next[0].text // 'Review — up to 3d off the 85%'
 *   const view = new ForecastView();
 *   body.append(view.render(metrics.forecast, { calendar, names, alreadyShown: ['19d'] }));
 *
 * The step names in the measure-next list are buttons carrying data-focus, the
 * attribute the Flow panel's click handler already selects a step by.
 */

import { formatDuration } from '../model/durations.js';
import { html, svg } from '../util/dom.js';

/** @typedef {import('../model/durations.js').Calendar} Calendar */
/**
 * @typedef {object} Forecast the server's forecast JSON (docs/protocol.md, The forecast)
 * @property {number} trials
 * @property {number} p50_minutes
 * @property {number} p85_minutes
 * @property {number} p95_minutes
 * @property {number} [deterministic_minutes]
 * @property {{edges_minutes: number[], counts: number[]}} [histogram]
 * @property {{id: string, text?: string, p85_cut_minutes: number, share?: number}[]} [measure_next]
 * @property {{p50?: string, p85?: string, p95?: string}} [display]
 */
/**
 * @typedef {object} ForecastOptions
 * @property {Calendar} [calendar] the board's working calendar, for the figures the server did not format
 * @property {Map<string, string>} [names] step id -> its text now (a rename shows at once)
 * @property {string[]} [alreadyShown] lead times the panel already shows ("19d"), not to repeat
 */

// The histogram's box in SVG units (it scales down in a narrow panel, never up).
export const CHART = { width: 240, height: 72 };
// Rows inside the box: the percent labels on top, the bars, the range's two ends under them.
const LABEL_BASELINE = 10;
const BARS_TOP = 14;
const BARS_BOTTOM = 56;
const AXIS_BASELINE = 68;
// How wide the labels' characters are at 10px bold in the widest common fallback
// font (DejaVu Sans Bold, a little over system-ui elsewhere), rounded up.
const LABEL_CHAR_WIDTHS = new Map([['%', 10.5], ['·', 4.5]]);
const LABEL_DIGIT_WIDTH = 7.2;
// Clear space between two percent labels.
const LABEL_GAP = 4;
// Bars this wide or wider get a 1-unit gap between them; thinner ones touch.
const BAR_GAP_FROM = 4;
// Only the steps worth measuring first: a longer list is a table nobody reads.
export const MEASURE_NEXT_LIMIT = 3;
// Markers closer than this share one label ("50·85%"): two lines a pixel apart read as one.
const SAME_PLACE = 1;

export const HINT = 'Type a range such as 2d-5d in a step’s wait or work time to see the spread.';
const PERCENTILES = /** @type {const} */ ([['p50', 50, 'p50_minutes'], ['p85', 85, 'p85_minutes'], ['p95', 95, 'p95_minutes']]);
const EIGHT_HOUR_DAYS = { hours_per_day: 8, days_per_week: 5 };

/**
 * What the Flow panel shows for a forecast: one of three states.
 * - `none`: no forecast (null) — a hint on how to get one;
 * - `flat`: every trial took the same time — no spread yet, and the same hint;
 * - `spread`: the percentiles, the histogram, the explanation, the measure-next list.
 *
 * >>> forecastModel(null).state            // 'none'
 * >>> forecastModel(f).line                // 'Forecast lead time: 50% by 20d · 85% by 26d · 95% by 30d'
 *
 * @param {Forecast | null | undefined} forecast
 * @param {ForecastOptions} [options]
 */
export function forecastModel(forecast, options = {}) {
  const calendar = options.calendar ?? EIGHT_HOUR_DAYS;
  if (!forecast) return { state: /** @type {const} */ ('none'), hint: HINT };
  const figures = PERCENTILES.map(([key, percent, field]) => ({
    key, percent, label: `${percent}% by`, value: forecast.display?.[key] ?? formatDuration(forecast[field], calendar),
  })).map((f) => ({ ...f, title: `${f.percent} in 100 simulated items are done within ${f.value}` }));
  const deterministic = deterministicLine(forecast, [figures[0].value, ...(options.alreadyShown ?? [])], calendar);
  if (forecast.p50_minutes === forecast.p95_minutes || figures[0].value === figures[2].value) {
    return {
      state: /** @type {const} */ ('flat'), hint: HINT, deterministic,
      text: 'No spread yet: type a range such as 2d-5d.',
      detail: `Every simulated item takes ${figures[0].value}.`,
    };
  }
  return {
    state: /** @type {const} */ ('spread'),
    line: `Forecast lead time: ${figures.map((f) => `${f.percent}% by ${f.value}`).join(' · ')}`,
    figures,
    chart: chartModel(forecast, calendar),
    explanation: `${forecast.trials.toLocaleString('en-US')} simulated items through this map; ranges, estimates’ spread and rework loops make the spread.`,
    deterministic,
    next: measureNext(forecast, options.names ?? new Map(), calendar),
  };
}

/**
 * "With every figure at its likely value: 19d", when that says something the
 * panel does not already: it differs from the 50% figure and from the lead times shown.
 * @param {Forecast} forecast @param {string[]} shown @param {Calendar} calendar
 */
function deterministicLine(forecast, shown, calendar) {
  const minutes = forecast.deterministic_minutes;
  if (minutes === undefined || minutes === null || !Number.isFinite(minutes) || minutes < 0) return null;
  const value = formatDuration(minutes, calendar);
  if (shown.includes(value)) return null;
  return `With every figure at its likely value: ${value}`;
}

/**
 * The steps whose spread widens the 85% figure most: "Review — up to 3d off the 85%".
 * @param {Forecast} forecast @param {Map<string, string>} names @param {Calendar} calendar
 */
export function measureNext(forecast, names, calendar = EIGHT_HOUR_DAYS) {
  return (forecast.measure_next ?? [])
    .filter((m) => Number.isFinite(m.p85_cut_minutes) && m.p85_cut_minutes > 0)
    .slice(0, MEASURE_NEXT_LIMIT)
    .map((m) => {
      const name = names.get(m.id) || m.text || 'Untitled step';
      const cut = formatDuration(m.p85_cut_minutes, calendar);
      return { id: m.id, name, cut, text: `${name} — up to ${cut} off the 85%`, after: ` — up to ${cut} off the 85%` };
    });
}

/**
 * The histogram in CHART units: bars scaled to the tallest bin, the three
 * markers clamped inside the box, their labels spread so none overlaps or
 * leaves the box, and the range's two ends.
 * @param {Forecast} forecast @param {Calendar} calendar
 */
export function chartModel(forecast, calendar = EIGHT_HOUR_DAYS) {
  const { width } = CHART;
  const counts = forecast.histogram?.counts ?? [];
  const edges = forecast.histogram?.edges_minutes ?? [];
  const low = edges.length ? edges[0] : forecast.p50_minutes;
  const high = edges.length ? edges[edges.length - 1] : forecast.p95_minutes;
  const tallest = Math.max(0, ...counts);
  const slot = counts.length ? width / counts.length : width;
  const gap = slot >= BAR_GAP_FROM ? 1 : 0;
  const room = BARS_BOTTOM - BARS_TOP;
  const bars = counts.map((count, i) => {
    const height = tallest > 0 ? (count / tallest) * room : 0;
    // A bin with a few items in it must still show: at least one unit tall.
    const shown = count > 0 ? Math.max(1, height) : 0;
    return { x: i * slot + gap / 2, width: slot - gap, y: BARS_BOTTOM - shown, height: shown, count };
  });
  const at = (/** @type {number} */ minutes) => {
    const x = high > low ? ((minutes - low) / (high - low)) * width : width / 2;
    // Half a unit in from each edge: a 1-unit line drawn there stays whole.
    return clamp(x, 0.5, width - 0.5);
  };
  const markers = PERCENTILES.map(([key, percent, field]) => ({ key, percent, x: at(forecast[field]), top: BARS_TOP - 1, bottom: BARS_BOTTOM }));
  return {
    ...CHART, bars, markers, labels: placeLabels(markers, width), labelBaseline: LABEL_BASELINE, baseline: BARS_BOTTOM,
    ends: low < high ? [
      { x: 0, anchor: 'start', text: formatDuration(Math.max(0, low), calendar) },
      { x: width, anchor: 'end', text: formatDuration(Math.max(0, high), calendar) },
    ] : [],
    axisBaseline: AXIS_BASELINE,
  };
}

/**
 * Labels for the markers, left to right: markers at one place share a label
 * ("50·85%"); each label sits centred over its marker unless that would overlap
 * its neighbour or leave the box, then it moves the least it must.
 * @param {{percent: number, x: number}[]} markers sorted by x (percentiles are)
 * @param {number} width
 * @returns {{text: string, x: number, width: number, markerX: number}[]} x is the label's centre
 */
export function placeLabels(markers, width) {
  /** @type {{percents: number[], markerX: number}[]} */
  const groups = [];
  for (const m of [...markers].sort((a, b) => a.x - b.x)) {
    const last = groups[groups.length - 1];
    if (last && m.x - last.markerX < SAME_PLACE) last.percents.push(m.percent);
    else groups.push({ percents: [m.percent], markerX: m.x });
  }
  const labels = groups.map((g) => {
    const text = `${g.percents.join('·')}%`;
    const w = [...text].reduce((sum, ch) => sum + (LABEL_CHAR_WIDTHS.get(ch) ?? LABEL_DIGIT_WIDTH), 0);
    return { text, width: w, markerX: g.markerX, x: clamp(g.markerX, w / 2, width - w / 2) };
  });
  // Push right past the left neighbour, then back left inside the box.
  for (let i = 1; i < labels.length; i += 1) {
    const min = labels[i - 1].x + (labels[i - 1].width + labels[i].width) / 2 + LABEL_GAP;
    labels[i].x = Math.max(labels[i].x, min);
  }
  for (let i = labels.length - 1; i >= 0; i -= 1) {
    const max = i === labels.length - 1
      ? width - labels[i].width / 2
      : labels[i + 1].x - (labels[i].width + labels[i + 1].width) / 2 - LABEL_GAP;
    labels[i].x = Math.min(labels[i].x, max);
  }
  return labels;
}

/**
 * What a forecast's drawing depends on, as a string a panel can compare between
 * renders: the seed is a hash of the map's inputs, the rest is what a rename or a
 * server without seeds changes.
 * @param {Forecast | null | undefined} forecast @param {Map<string, string>} [names]
 */
export function forecastKey(forecast, names = new Map()) {
  if (!forecast) return String(forecast);
  const f = /** @type {any} */ (forecast);
  const next = (forecast.measure_next ?? []).slice(0, MEASURE_NEXT_LIMIT).map((m) => [m.id, names.get(m.id), m.text, m.p85_cut_minutes]);
  return JSON.stringify([f.seed, f.trials, forecast.display, forecast.p50_minutes, forecast.p85_minutes, forecast.p95_minutes,
    forecast.deterministic_minutes, forecast.histogram, next]);
}

/** @param {number} x @param {number} low @param {number} high */
function clamp(x, low, high) {
  return Math.min(high, Math.max(low, x));
}

/** Draws a forecast into one element, which the Flow panel places in its body. */
export class ForecastView {
  constructor() {
    this.element = html('section', { class: 'forecast', 'data-metric': 'forecast', 'aria-label': 'Lead-time forecast' });
    this._key = '';
  }

  /**
   * @param {Forecast | null | undefined} forecast
   * @param {ForecastOptions} [options]
   * @returns {HTMLElement} this.element, redrawn only when what it shows changed
   */
  render(forecast, options = {}) {
    const model = forecastModel(forecast, options);
    const key = JSON.stringify(model);
    if (key === this._key) return this.element;
    this._key = key;
    const heading = html('h3', { class: 'forecast-heading' }, ['Forecast']);
    if (model.state !== 'spread') {
      // One short line: the Flow panel stands over the map's left end, and the taller it
      // is the more steps it hides. The rest is in the line's tooltip.
      const said = model.state === 'flat' ? model.text : model.hint;
      const more = model.state === 'flat' ? [model.detail, model.deterministic, model.hint] : [];
      this.element.replaceChildren(heading, html('p', {
        class: 'totals-note', 'data-forecast': model.state === 'flat' ? 'flat' : 'hint',
        title: more.filter(Boolean).join(' '),
      }, [said]));
      return this.element;
    }
    const figures = html('dl', { class: 'forecast-figures', 'aria-label': model.line });
    for (const f of model.figures) {
      figures.append(html('div', { class: 'forecast-figure', title: f.title }, [
        html('dt', {}, [f.label]), html('dd', { 'data-metric': `forecast_${f.key}` }, [f.value]),
      ]));
    }
    const parts = [heading, figures, chart(model.chart, model.line),
      html('p', { class: 'forecast-why' }, [model.explanation])];
    if (model.deterministic) parts.push(html('p', { class: 'totals-note', 'data-forecast': 'deterministic' }, [model.deterministic]));
    if (model.next.length) {
      const list = html('ul', { class: 'forecast-next', 'data-metric': 'measure_next' });
      for (const m of model.next) {
        list.append(html('li', {}, [html('button', { type: 'button', class: 'link', 'data-focus': m.id, title: 'Show this step' }, [m.name]), m.after]));
      }
      parts.push(html('p', { class: 'forecast-next-head' }, ['Measure here next']), list);
    }
    this.element.replaceChildren(...parts);
    return this.element;
  }
}

/**
 * @param {ReturnType<typeof chartModel>} c
 * @param {string} label what the picture says, for a screen reader
 */
function chart(c, label) {
  const box = svg('svg', {
    class: 'forecast-chart', viewBox: `0 0 ${c.width} ${c.height}`, width: c.width, height: c.height,
    role: 'img', 'aria-label': `Histogram of simulated lead times. ${label}`,
  });
  for (const b of c.bars) {
    if (b.height > 0) box.append(svg('rect', { class: 'forecast-bar', x: b.x, y: b.y, width: b.width, height: b.height }));
  }
  box.append(svg('line', { class: 'forecast-axis', x1: 0, x2: c.width, y1: c.baseline + 0.5, y2: c.baseline + 0.5 }));
  for (const m of c.markers) {
    box.append(svg('line', { class: 'forecast-marker', 'data-p': m.percent, x1: m.x, x2: m.x, y1: m.top, y2: m.bottom }));
  }
  for (const l of c.labels) {
    box.append(svg('text', { class: 'forecast-label', x: l.x, y: c.labelBaseline, 'text-anchor': 'middle' }, [l.text]));
  }
  for (const e of c.ends) {
    box.append(svg('text', { class: 'forecast-end', x: e.x, y: c.axisBaseline, 'text-anchor': e.anchor }, [e.text]));
  }
  return box;
}
