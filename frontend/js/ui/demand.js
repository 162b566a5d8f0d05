// @ts-check
/**
 * The Flow panel's demand part (app/domain/demand.py): the takt time when the map
 * carries a customer demand, and the steps whose wait disagrees with what their
 * queue implies at that demand, each a button that shows the step.
 *
 *   list.append(...taktRow(metrics));
 *   body.append(...demandFlags(metrics));
 */

import { html } from '../util/dom.js';

/**
 * The "Takt time" row for the figures list; nothing without a demand.
 * @param {any} metrics
 */
export function taktRow(metrics) {
  const takt = metrics.display?.takt_time;
  if (!takt) return [];
  return [html('div', { class: 'totals-row', title: 'A working day ÷ the customer demand: how often the customer needs one item' }, [
    html('dt', {}, ['Takt time']), html('dd', { 'data-metric': 'takt_time' }, [takt]),
  ])];
}

/**
 * The flagged steps: "Pack: waits 1d, its queue of 12 implies 3d at 4 a day".
 * @param {any} metrics
 */
export function demandFlags(metrics) {
  const flags = metrics.demand_flags ?? [];
  if (!flags.length) return [];
  const list = html('ul', { class: 'totals-demand', 'data-metric': 'demand_flags' });
  for (const f of flags) {
    list.append(html('li', {}, [html('button', { type: 'button', class: 'link', 'data-focus': f.id }, [f.said])]));
  }
  return [html('p', { class: 'totals-note' }, ['Waits that disagree with their queue at this demand (more than 2× apart): worth a word.']), list];
}
