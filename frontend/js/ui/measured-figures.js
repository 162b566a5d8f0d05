// @ts-check
/**
 * Measured flow in the side panels: under a step's wait and process time in its
 * panel, the figure an event log measured beside the estimate; in the Flow panel,
 * where the measurements came from and the hidden queue when there is one. The
 * words come from model/measured.js; this file only puts them on the page.
 *
 *   row.append(measuredSlot('wait_minutes'));                 // once, when the step's panel is built
 *   showMeasured(panel, step, metrics, calendar);            // each frame
 *   body.append(...measuredFlow(metrics));                    // the Flow panel
 */

import { provenance, sideBySide } from '../model/measured.js';
import { html } from '../util/dom.js';

/**
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 */

/**
 * The place under a figure's input where its measurement shows (hidden without one).
 * @param {string} field wait_minutes or process_minutes
 */
export function measuredSlot(field) {
  return html('p', { class: 'measured-figure', 'data-measured-figure': field, hidden: true });
}

/**
 * Fill every measured slot in a step's panel from the metrics' measurement.
 * @param {HTMLElement} root the panel
 * @param {Record<string, any>} el the step
 * @param {any} metrics
 * @param {Calendar} calendar
 */
export function showMeasured(root, el, metrics, calendar) {
  const measure = metrics?.measured?.steps?.[el.id];
  const inUse = metrics?.figures_from === 'measured';
  for (const node of root.querySelectorAll('[data-measured-figure]')) {
    const slot = /** @type {HTMLElement} */ (node);
    const field = /** @type {'wait_minutes'|'process_minutes'} */ (slot.dataset.measuredFigure);
    const figure = el.kind === 'step' ? sideBySide(el, field, measure, calendar) : null;
    const key = figure ? JSON.stringify([figure, inUse]) : '';
    if (slot.dataset.shown === key) continue;
    slot.dataset.shown = key;
    slot.hidden = !figure;
    if (!figure) {
      slot.replaceChildren();
      continue;
    }
    const measured = html(figure.differs ? 'strong' : 'span', { class: `measured-value${figure.differs ? ' is-gap' : ''}` }, [figure.measured]);
    const use = inUse ? 'The totals use the measured figure.' : 'The totals use the estimate.';
    slot.replaceChildren(
      html('span', { class: 'measured-line' }, figure.estimate ? [`${figure.estimate} · `, measured] : [measured]),
      html('span', { class: 'measured-detail' }, [`${figure.detail}. ${figure.differs ? 'More than a quarter off the estimate. ' : ''}${use}`]),
    );
  }
}

/**
 * What the Flow panel's figures depend on from the measurement: it re-renders when this changes.
 * @param {any} metrics
 */
export function measuredKey(metrics) {
  const m = metrics?.measured;
  return m ? [m.source, m.hidden_queue, m.unmatched, metrics.figures_from] : null;
}

/**
 * The Flow panel's lines about the measurement: where it came from, and the
 * time items wait between steps that no one put on the map, when that is flagged.
 * @param {any} metrics
 * @returns {HTMLElement[]}
 */
export function measuredFlow(metrics) {
  const m = metrics?.measured;
  const from = provenance(m);
  if (!from) return [];
  const lead = metrics.display?.measured_lead_time;
  const uses = metrics.figures_from === 'measured'
    ? 'The totals use the measured figures where the log has them.'
    : 'The totals use the estimates (Map settings can switch them to the measurements).';
  const out = [html('p', { class: 'totals-measured', 'data-metric': 'measured' }, [
    html('strong', {}, ['Measured ']), `${from.replace(/^measured /, '')}${lead ? ` · lead time ${lead} (median)` : ''}. ${uses}`,
  ])];
  const hidden = m.hidden_queue;
  if (hidden?.flag && hidden.text) {
    out.push(html('p', { class: 'totals-hidden-queue', role: 'note', 'data-metric': 'hidden_queue' }, [hidden.text]));
  }
  if (m.unmatched?.length) {
    out.push(html('p', { class: 'totals-note', 'data-metric': 'unmatched' }, [
      `Log steps not on the map, left out: ${m.unmatched.join(', ')}.`,
    ]));
  }
  return out;
}
