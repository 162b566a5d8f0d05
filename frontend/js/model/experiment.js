// @ts-check
/**
 * An experiment card's hypothesis, written out as the team would say it:
 * "We believe that by <change> we will reduce lead time from 24.9d to 15d by 2027-03-01."
 *
 *   hypothesis(card, calendar);
 */

import { EXPERIMENT_METRICS } from '../protocol.js';
import { formatDuration, formatPercent } from './durations.js';

/** @typedef {{hours_per_day: number, days_per_week: number}} Calendar */

/** Metrics that are better when higher. */
const HIGHER_IS_BETTER = new Set(['activity_ratio', 'rolled_pca']);

/**
 * A figure of `metric` as people read it: times by the one duration rule (never
 * weeks, so a baseline and a target read alike), ratios as percents.
 * @param {string} metric
 * @param {number} value
 * @param {Calendar} calendar
 */
export function metricValue(metric, value, calendar) {
  if (metric === 'activity_ratio') return formatPercent(value * 100);
  if (metric === 'rolled_pca') return formatPercent(value);
  return formatDuration(value, calendar);
}

/**
 * @param {{text?: string, metric?: string, baseline?: number|null, target?: number|null, review?: string|null}} card
 * @param {Calendar} calendar
 */
export function hypothesis(card, calendar) {
  const metric = card.metric ?? 'lead_time';
  const name = /** @type {Record<string, string>} */ (EXPERIMENT_METRICS)[metric] ?? metric;
  const change = card.text?.trim() || '…';
  const has = (/** @type {number|null|undefined} */ v) => v !== null && v !== undefined;
  let verb = HIGHER_IS_BETTER.has(metric) ? 'raise' : 'reduce';
  if (has(card.baseline) && has(card.target)) verb = /** @type {number} */ (card.target) > /** @type {number} */ (card.baseline) ? 'raise' : 'reduce';
  const from = has(card.baseline) ? ` from ${metricValue(metric, /** @type {number} */ (card.baseline), calendar)}` : '';
  const to = has(card.target) ? ` to ${metricValue(metric, /** @type {number} */ (card.target), calendar)}` : '';
  const by = card.review ? ` by ${card.review}` : '';
  return `We believe that by ${change} we will ${verb} ${name}${from}${to}${by}.`;
}
