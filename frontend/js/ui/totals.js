// @ts-check
/**
 * The totals panel: the map's headline numbers as the server computed them
 * (lead time, process time, activity ratio, rolled %C/A, work content, the
 * expected lead time with rework), the constraint in words, the example walk's
 * totals, and a gentle list of what data is still missing.
 *
 *   const totals = new TotalsPanel(document.getElementById('totals'), {focus: (id) => ..., calendar: () => ...});
 *   totals.render(metrics, elements);
 *   totals.showForecast(forecast);   // the websocket's forecast message (ui/forecast.js draws it)
 *
 * Each figure carries data-metric (lead_time, process_time, ...) for tests and styling.
 */

import { formatDuration } from '../model/durations.js';
import { html } from '../util/dom.js';
import { demandFlags, taktRow } from './demand.js';
import { ForecastView, forecastKey } from './forecast.js';
import { measuredFlow, measuredKey } from './measured-figures.js';
import { handoffsPart } from './handoffs.js';

// Where the panel opens folded into its summary: at the bottom of a narrow screen (panels.css)
// or on a short one, open, it took 40 % of the height of half a laptop screen and the map
// was fitted at 10-26 %.
export const FOLDED_ON = '(max-width: 720px), (max-height: 600px)';

/** @type {[key: string, label: string, hint: string][]} */
const ROWS = [
  ['lead_time', 'Lead time', 'Longest path through the map: every wait plus every process time on it'],
  ['process_time', 'Process time', 'Hands-on time along that same path'],
  ['activity_ratio', 'Activity ratio', 'Process time ÷ lead time: how much of the time somebody works on it'],
  ['rolled_pca', 'Rolled %C/A', 'Product of every step’s %C/A: the share of items that pass without rework'],
  ['work_content', 'Work content', 'Process time of every step, on the path or not'],
];
/** @type {Record<string, string>} */
const DELTA_KEYS = {
  lead_time: 'lead_time_minutes', process_time: 'process_time_minutes', activity_ratio: 'activity_ratio',
  rolled_pca: 'rolled_pca', work_content: 'work_content_minutes',
};

/** @param {string} key @param {number | null} delta */
function better(key, delta) {
  if (!delta) return false;
  return key === 'activity_ratio' || key === 'rolled_pca' ? delta > 0 : delta < 0;
}

/**
 * The colour of a change as said: none where it reads as no change (a ratio that rounds
 * to "±0" was coloured as better or worse by the digits nobody sees).
 * @param {string} key @param {number | null} delta @param {string} said deltaText's words
 */
export function tone(key, delta, said) {
  if (!delta || said.trim() === '±0') return '';
  return better(key, delta) ? 'is-better' : 'is-worse';
}

/**
 * " −3d" / " +4.1 pts": how far the future state moves a figure; a percentage by the
 * difference of the two figures shown beside it ("84.6% → 91.7%" is +7.1 pts, where the
 * unrounded ratios moved 7.05), as the server's compare says it (wording.moved_text).
 * @param {string} key @param {number | null} delta @param {any} comparison
 * @param {string} [now] this map's figure as shown
 */
export function deltaText(key, delta, comparison, now) {
  // A figure one map lacks (no lead time, so no activity ratio) has no delta to show.
  if (delta === null || delta === undefined) return '';
  const percent = key === 'activity_ratio' || key === 'rolled_pca';
  const points = percent ? parseFloat(now ?? '') - parseFloat(comparison.display.current[key]) : NaN;
  const moved = Number.isFinite(points) ? Math.round(points * 10) / 10 : delta;
  if (!moved) return ' ±0';
  const sign = moved > 0 ? '+' : '−';
  if (Number.isFinite(points)) return ` ${sign}${Math.abs(moved)} pts`;
  if (key === 'activity_ratio') return ` ${sign}${Math.abs(Math.round(delta * 1000) / 10)} pts`;
  if (key === 'rolled_pca') return ` ${sign}${Math.abs(Math.round(delta * 10) / 10)} pts`;
  return ` ${sign}${formatDuration(Math.abs(delta), comparison.calendar)}`;
}

/** @type {Record<string, string>} */
const LACKS = {
  wait_minutes: 'wait', process_minutes: 'process time', pca: '%C/A', connection: 'an arrow',
  count: 'an item count',
};

export class TotalsPanel {
  /**
   * @param {HTMLElement} root
   * @param {{focus: (id: string) => void, calendar?: () => import('../model/durations.js').Calendar,
   *   resized?: () => void}} actions
   *   show a step (from the missing and measure-next lists); the board's calendar, for the forecast's
   *   figures; the panel opened or folded (the map's room changed)
   * @param {boolean} [folded] opens folded into its summary (a screen with little room for the map)
   */
  constructor(root, actions, folded = false) {
    this.root = root;
    this.actions = actions;
    this._key = '';
    this.open = !folded;
    root.classList.toggle('is-collapsed', folded);
    root.addEventListener('click', (e) => {
      const target = /** @type {HTMLElement} */ (e.target);
      const id = target.closest('[data-focus]')?.getAttribute('data-focus');
      if (id) this.actions.focus(id);
      if (target.closest('[data-action="toggle-totals"]')) {
        this.open = !this.open;
        this._key = '';
        this.root.classList.toggle('is-collapsed', !this.open);
        this.render(this._metrics, this._names);
        this.actions.resized?.();
      }
    });
    /** @type {any} */
    this._metrics = null;
    /** @type {Map<string, string>} */
    this._names = new Map();
    this.forecastView = new ForecastView();
    /** @type {any} the latest forecast message's; undefined until one arrives (then metrics.forecast is used) */
    this._forecast = undefined;
  }

  /**
   * The lead-time forecast from the server's forecast message (or the welcome's);
   * null says the map has none. Once given, it wins over `metrics.forecast`.
   * @param {any} forecast
   */
  showForecast(forecast) {
    if (forecast === this._forecast) return;
    this._forecast = forecast;
    this._key = '';
    this.render(this._metrics, this._names);
  }

  /**
   * A future-state map's comparison with its current state (GET /api/boards/{id}/compare).
   * @param {any} comparison
   */
  compare(comparison) {
    this.comparison = comparison;
    this._key = '';
    this.render(this._metrics, this._names);
  }

  /**
   * @param {any} metrics the server's metrics, or null before the first
   * @param {Map<string, string>} names step id -> text, for the missing list
   */
  render(metrics, names) {
    this._metrics = metrics;
    this._names = names;
    const forecast = this._forecast !== undefined ? this._forecast : metrics?.forecast;
    const key = forecastKey(forecast, names) + JSON.stringify([metrics?.display, metrics?.constraint, metrics?.missing, metrics?.cycles, this.open,
      metrics?.example, metrics?.path?.length, metrics?.estimated, metrics?.demand_flags, this.comparison?.display,
      measuredKey(metrics), metrics?.handoffs, metrics?.teams, this.comparison?.handoffs]);
    if (key === this._key) return;
    this._key = key;
    this.root.hidden = !metrics;
    if (!metrics) return;
    const toggle = html('button', {
      type: 'button', class: 'totals-toggle', 'data-action': 'toggle-totals', 'aria-expanded': String(this.open),
      'aria-controls': 'totals-body', title: this.open ? 'Hide the totals' : 'Show the totals',
    }, [html('span', { class: 'totals-heading' }, ['Flow']),
      this.open ? html('span', { class: 'totals-lead' }) : summary(metrics),
      html('span', { class: 'chevron', 'aria-hidden': 'true' }, [this.open ? '▾' : '▸'])]);
    const body = html('div', { id: 'totals-body', class: 'totals-body' });
    body.hidden = !this.open;
    body.append(figures(metrics, this.comparison), ...constraint(metrics),
      ...handoffsPart(metrics, this.comparison, this.actions.calendar?.() ?? this.comparison?.calendar), ...measuredFlow(metrics),
      ...this._forecastPart(forecast, metrics, names), ...example(metrics), ...demandFlags(metrics),
      ...missing(metrics, names));
    // A fresh render must not fold up the list somebody is reading.
    const wasOpen = this.root.querySelector('details')?.open ?? false;
    const details = body.querySelector('details');
    if (details) details.open = wasOpen;
    this.root.replaceChildren(toggle, body);
  }

  /**
   * The forecast's section: none from a server that sends none, nor on a map with no path yet.
   * @param {any} forecast @param {any} metrics @param {Map<string, string>} names
   */
  _forecastPart(forecast, metrics, names) {
    if (forecast === undefined || !metrics.path.length) return [];
    const d = metrics.display;
    const calendar = this.actions.calendar?.() ?? this.comparison?.calendar;
    return [this.forecastView.render(forecast, { calendar, names, alreadyShown: [d.lead_time, d.expected_lead_time] })];
  }
}

/**
 * The folded panel's line or two: the headline figures and the constraint's step, each
 * figure a tap away in the panel it opens.
 * @param {any} metrics
 */
function summary(metrics) {
  const d = metrics.display;
  const part = (/** @type {string} */ key, /** @type {string} */ label, /** @type {string} */ value) => html('span',
    { class: 'totals-summary-part', 'data-summary': key }, [`${label} `, html('strong', {}, [value ?? '–'])]);
  const parts = [part('lead_time', 'Lead time', d.lead_time), part('process_time', 'Process', d.process_time),
    part('activity_ratio', 'Activity', d.activity_ratio)];
  const name = metrics.constraint?.text;
  if (name) parts.push(part('constraint', 'Constraint', name));
  return html('span', { class: 'totals-summary' }, parts);
}

/**
 * @param {any} metrics
 * @param {any} [comparison] on a future-state map: the current state's figures and the deltas
 */
function figures(metrics, comparison) {
  const d = metrics.display;
  const list = html('dl', { class: 'totals-figures' });
  if (comparison) {
    list.append(html('div', { class: 'totals-row totals-compare-head' }, [
      html('dt', {}, ['']), html('dd', {}, [html('span', { class: 'was' }, ['Current']), ' → Future']),
    ]));
  }
  for (const [key, label, hint] of ROWS) {
    const value = [d[key] ?? '–'];
    if (comparison) {
      const was = comparison.display.current[key];
      const delta = comparison.deltas[DELTA_KEYS[key]];
      value.unshift(html('span', { class: 'was', 'data-was': key }, [`${was} → `]));
      const said = deltaText(key, delta, comparison, d[key]);
      value.push(html('span', { class: `delta ${tone(key, delta, said)}`, 'data-delta': key }, [said]));
    }
    list.append(html('div', { class: 'totals-row', title: hint }, [
      html('dt', {}, [label]), html('dd', { 'data-metric': key }, value),
    ]));
  }
  list.append(...taktRow(metrics));
  const reworkBefore = comparison && comparison.display.current.expected_lead_time !== comparison.display.current.lead_time;
  if (metrics.expected_lead_time_minutes > metrics.lead_time_minutes || reworkBefore) {
    const value = [d.expected_lead_time];
    if (comparison) {
      // Rework loops taken out (or added) are part of what the redesign changes.
      const delta = comparison.deltas.expected_lead_time_minutes;
      value.unshift(html('span', { class: 'was', 'data-was': 'expected_lead_time' }, [`${comparison.display.current.expected_lead_time} → `]));
      const said = deltaText('lead_time', delta, comparison);
      value.push(html('span', { class: `delta ${tone('lead_time', delta, said)}`, 'data-delta': 'expected_lead_time' }, [said]));
    }
    list.append(html('div', { class: 'totals-row', title: 'Lead time with the rework loops’ expected extra trips' }, [
      html('dt', {}, ['With rework']), html('dd', { 'data-metric': 'expected_lead_time' }, value),
    ]));
    // Rework repeats work as well as waiting; older servers did not send this figure.
    if (d.expected_activity_ratio) {
      list.append(html('div', { class: 'totals-row', title: 'Process time ÷ lead time, both with the rework loops’ expected extra trips' }, [
        html('dt', {}, ['Activity ratio with rework']), html('dd', { 'data-metric': 'expected_activity_ratio' }, [d.expected_activity_ratio]),
      ]));
    }
  }
  return list;
}

/** @param {any} metrics */
function constraint(metrics) {
  const c = metrics.constraint;
  if (!c) {
    return metrics.path.length
      // Said to everyone alike, viewers too: nothing here asks for what a link may not do.
      ? [html('p', { class: 'totals-note' }, ['No constraint yet: it shows once the steps have their wait times.'])]
      : [html('p', { class: 'totals-note' }, ['The totals appear here as the steps and their times go on the map.'])];
  }
  return [html('p', { class: 'totals-constraint', 'data-metric': 'constraint', 'data-focus': c.id, role: 'button', tabindex: 0 }, [
    html('strong', {}, ['Constraint ']), c.reason,
  ])];
}

/** @param {any} metrics */
function example(metrics) {
  const walk = metrics.example;
  if (!walk) return [];
  const d = metrics.display;
  const of = `${walk.measured_steps} of ${metrics.path.length} steps walked`;
  const out = [html('p', { class: 'totals-example', 'data-metric': 'example' }, [
    html('strong', {}, ['Example item ']),
    `${d.example_lead_time} lead time, ${d.example_process_time} process time (${d.example_activity_ratio}) · ${of}`,
  ])];
  for (const p of walk.problems) {
    out.push(html('p', { class: 'totals-note', 'data-focus': p.id, role: 'button', tabindex: 0 }, [
      `${p.text || 'A step'}: ${p.problem}`,
    ]));
  }
  return out;
}

/**
 * @param {any} metrics
 * @param {Map<string, string>} names
 */
function missing(metrics, names) {
  const out = [];
  if (metrics.cycles.length) {
    out.push(html('p', { class: 'totals-note' }, [
      'Some flow arrows go round in a loop; the totals leave the loop out. Make the arrow back a rework arrow.',
    ]));
  }
  const estimated = (metrics.estimated ?? []).reduce((/** @type {number} */ n, /** @type {{fields: string[]}} */ e) => n + e.fields.length, 0);
  if (estimated) {
    out.push(html('p', { class: 'totals-note', 'data-metric': 'estimated' }, [
      `${estimated} ${estimated === 1 ? 'figure is' : 'figures are'} the median of people’s estimates, not settled yet.`,
    ]));
  }
  const gaps = metrics.missing;
  if (!gaps.length) return out;
  const details = html('details', { class: 'totals-missing' });
  details.append(html('summary', {}, [lacking(gaps)]));
  const list = html('ul');
  for (const m of gaps) {
    // An inventory without a count is listed too: its queue is unknown, not empty.
    const name = names.get(m.id) || m.text || (m.lacks.includes('count') ? 'Inventory' : 'Untitled step');
    const what = m.lacks.map((/** @type {string} */ l) => LACKS[l] ?? l).join(', ');
    list.append(html('li', {}, [html('button', { type: 'button', class: 'link', 'data-focus': m.id }, [name]), ` · ${what}`]));
  }
  details.append(list);
  out.push(details);
  return out;
}

/**
 * "2 steps need data", "1 queue needs data", "2 steps and 1 queue need data".
 * @param {{lacks: string[]}[]} gaps
 */
export function lacking(gaps) {
  const queues = gaps.filter((m) => m.lacks.includes('count')).length;
  const steps = gaps.length - queues;
  const parts = [[steps, 'step'], [queues, 'queue']].filter(([n]) => n).map(([n, word]) => `${n} ${word}${n === 1 ? '' : 's'}`);
  return `${parts.join(' and ')} ${gaps.length === 1 ? 'needs' : 'need'} data`;
}
