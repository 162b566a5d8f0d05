// @ts-check
/**
 * The Flow panel's handoffs: how often work changes teams on the path, how
 * much of the lead time it waits there, and per team its steps, process time,
 * wait and %C/A roll-up — from the server's metrics (`handoffs`, `teams`). On a
 * future-state map, how many handoffs the redesign removes.
 *
 *   handoffLine(metrics);   // 'Handoffs: 2 on the path · 10d of waiting at handoffs (41% of lead time)'
 *   body.append(...handoffsPart(metrics, comparison, calendar));   // nothing on a map without teams
 */

import { formatDuration } from '../model/durations.js';
import { html } from '../util/dom.js';
import { teamChip } from './teams.js';

/**
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 * @typedef {{id: string, name: string, color: string, steps: string[], process_minutes: number,
 *   wait_minutes: number, rolled_pca: number|null}} TeamFigures
 * @typedef {{id: string, name: string, color: string, steps: string, process: string, wait: string, pca: string}} TeamRow
 */

/**
 * Whether the metrics speak of teams at all (a map nobody assigned owners on has no handoff part).
 * @param {any} metrics
 */
export function hasTeams(metrics) {
  return Boolean(metrics?.teams?.length || metrics?.handoffs?.edges?.length);
}

/**
 * The headline: handoffs on the path and the wait that sits at them.
 *
 *   handoffLine({handoffs: {count: 0, wait_minutes: 0, share: null, edges: [], display: {}}, teams: [{}]});
 *   // 'Handoffs: none on the path'
 *
 * @param {any} metrics
 * @returns {string} '' when the map has no teams
 */
export function handoffLine(metrics) {
  if (!hasTeams(metrics)) return '';
  const h = metrics.handoffs ?? {};
  const count = Number(h.count ?? 0);
  if (!count) return 'Handoffs: none on the path';
  const head = `Handoffs: ${count} on the path`;
  if (!h.wait_minutes) return head;
  const share = h.share === null || h.share === undefined ? '' : ` (${h.display?.share ?? `${Math.round(h.share * 100)}%`} of lead time)`;
  return `${head} · ${h.display?.wait ?? ''} of waiting at handoffs${share}`;
}

/**
 * The per-team table's rows, formatted.
 * @param {any} metrics
 * @param {Calendar} calendar
 * @returns {TeamRow[]}
 */
export function teamRows(metrics, calendar) {
  // The one duration style (model/durations.js, domain/durations.py): zero is "0m" here as in
  // the exports' team table, not a bare "0".
  const fmt = (/** @type {number} */ m) => formatDuration(m ?? 0, calendar);
  return (metrics?.teams ?? []).map((/** @type {TeamFigures} */ t) => ({
    id: t.id, name: t.name, color: t.color, steps: String(t.steps.length), process: fmt(t.process_minutes),
    wait: fmt(t.wait_minutes), pca: t.rolled_pca === null || t.rolled_pca === undefined ? '–' : `${Math.round(t.rolled_pca)}%`,
  }));
}

/**
 * On a future-state map: "4 → 2 (2 handoffs fewer)", or '' without the compare's handoffs.
 * @param {any} comparison GET /api/boards/{id}/compare: `handoffs` {current, future, delta, display?}
 */
export function handoffDelta(comparison) {
  const h = comparison?.handoffs;
  if (!h || typeof h !== 'object') return '';
  const current = Number(h.current ?? h.before ?? 0);
  const future = Number(h.future ?? h.after ?? 0);
  const delta = Number(h.delta ?? future - current);
  const words = typeof h.display === 'string' ? h.display
    : typeof h.display?.delta === 'string' ? h.display.delta : deltaWords(delta);
  return `${current} → ${future} (${words})`;
}

/** @param {number} delta future minus current */
export function deltaWords(delta) {
  const n = Math.abs(delta);
  if (!n) return 'as many handoffs';
  return `${n} handoff${n === 1 ? '' : 's'} ${delta < 0 ? 'fewer' : 'more'}`;
}

/**
 * The Flow panel's part: the line, the future state's delta, the per-team table.
 * @param {any} metrics
 * @param {any} comparison
 * @param {Calendar} [calendar] the board's (what "1d" means)
 * @returns {HTMLElement[]}
 */
export function handoffsPart(metrics, comparison, calendar = { hours_per_day: 8, days_per_week: 5 }) {
  const line = handoffLine(metrics);
  const delta = handoffDelta(comparison);
  if (!line && !delta) return [];
  const out = [];
  if (line) {
    out.push(html('p', { class: 'totals-handoffs', 'data-metric': 'handoffs',
      title: 'Arrows on the path where work passes to another team, and the wait in front of the team that receives it' }, [line]));
  }
  if (delta) {
    const better = Number(comparison.handoffs.delta ?? 0) < 0;
    out.push(html('p', { class: 'totals-handoffs' }, ['Handoffs, current → future: ',
      html('span', { class: `delta ${better ? 'is-better' : ''}`, 'data-delta': 'handoffs' }, [delta])]));
  }
  const rows = teamRows(metrics, calendar);
  if (rows.length) out.push(teamTable(rows));
  return out;
}

/** @param {TeamRow[]} rows */
function teamTable(rows) {
  const head = html('tr', {}, ['Team', 'Steps', 'Process', 'Wait', '%C/A'].map((h, i) => html('th', { scope: 'col',
    title: ['', 'Steps the team owns', 'Process time on the path', 'Wait in front of its steps on the path', 'Rolled %C/A of its steps on the path'][i] || null }, [h])));
  const body = rows.map((r) => html('tr', { 'data-team-row': r.id }, [
    html('th', { scope: 'row', class: 'team-cell', title: r.name }, [html('span', { class: 'team-cell-in' }, [teamChip(r.color), html('span', { class: 'team-cell-name' }, [r.name])])]),
    html('td', {}, [r.steps]), html('td', {}, [r.process]), html('td', {}, [r.wait]), html('td', {}, [r.pca]),
  ]));
  return html('table', { class: 'totals-teams', 'data-metric': 'teams' }, [html('thead', {}, [head]), html('tbody', {}, body)]);
}
