// @ts-check
/**
 * "What if…" in a step's side panel: try a change on the step without editing
 * the map — cut its wait by half, halve the rework into and out of it, add a
 * person — and read the new lead time, activity ratio and next constraint
 * beside today's (GET /api/boards/{id}/what-if), with the lead-time forecast's
 * 85th percentile before and after. One click turns the answer into an
 * experiment card, or (for the facilitator) into a future-state map that
 * starts with the change made.
 *
 *   const whatIf = new WhatIfSection({ api, canEdit, makeExperiment, notify });
 *   panel.append(whatIf.root);   // the inspector does this for a step
 *   whatIf.render(step);         // each frame: a new step clears the answer
 */

import { html } from '../util/dom.js';

/**
 * @typedef {object} WhatIfOptions
 * @property {import('../net/api.js').BoardApi} api  asks the server (GET …/what-if)
 * @property {() => boolean} canEdit  whether "Make it an experiment" is offered
 * @property {(card: {text: string, baseline: number, target: number}) => void} makeExperiment
 * @property {(message: string) => void} notify
 * @property {() => boolean} [canStartFuture]  whether "Start a future-state map" is offered
 * @property {(tried: {step: string, change: string}) => void} [startFuture]
 */

/** The changes, as the server names them, and their buttons. */
const CHANGES = [
  ['cut-wait', 'Cut this wait by 50 %'],
  ['halve-rework', 'Halve the rework'],
  ['add-person', 'Add a person'],
];
/** An experiment card's text per change ({step} is the step's name): "We believe that by <text>…". */
const CARD_TEXT = {
  'cut-wait': 'cutting the wait before {step} by 50 %',
  'halve-rework': 'halving the rework around {step}',
  'add-person': 'adding a person to {step}',
};
/** The compared figures, as the Flow panel names them: [delta key, display key, label]. */
const LINES = [
  ['lead_time_minutes', 'lead_time', 'Lead time'],
  ['activity_ratio', 'activity_ratio', 'Activity ratio'],
  ['expected_lead_time_minutes', 'expected_lead_time', 'Expected lead time (rework)'],
];

export class WhatIfSection {
  /** @param {WhatIfOptions} opts */
  constructor(opts) {
    this.opts = opts;
    /** @type {{id: string, text: string}|null} the step shown */
    this.step = null;
    /** The live lead times ("lead:expected") when the answer shown was asked; null: none shown. */
    /** @type {string|null} */
    this.answeredFor = null;
    this.today = '';
    this.answer = html('div', { class: 'whatif-answer', 'aria-live': 'polite' });
    const buttons = CHANGES.map(([change, label]) => {
      const b = html('button', { type: 'button', class: 'waste-toggle', 'data-whatif': change }, [label]);
      b.addEventListener('click', () => this.ask(change));
      return b;
    });
    this.root = html('section', { class: 'inspector-whatif', 'aria-label': 'What if' }, [
      html('h3', { class: 'inspector-label' }, ['What if…']),
      html('p', { class: 'inspector-help' }, ['Try a change on this step; the map is not edited.']),
      html('div', { class: 'inspector-wastes' }, buttons),
      this.answer,
    ]);
  }

  /**
   * @param {{id: string, text?: string}} step the selected step
   * @param {any} metrics the board's live metrics: once they move, an answer is out of date
   */
  render(step, metrics) {
    const today = metrics ? `${metrics.lead_time_minutes}:${metrics.expected_lead_time_minutes}` : '';
    if (this.step?.id !== step.id || (this.answeredFor !== null && this.answeredFor !== today)) {
      this.answer.replaceChildren();
      this.answeredFor = null;
    }
    this.step = { id: step.id, text: step.text ?? '' };
    this.today = today;
  }

  /** @param {string} change */
  async ask(change) {
    const step = this.step;
    if (!step) return;
    const data = await this.opts.api.get('/what-if', { step: step.id, change }).catch(() => null);
    if (!data) {
      this.opts.notify('The what-if could not be worked out; try again');
      return;
    }
    if (this.step?.id !== step.id) return;
    this.show(change, data, step);
    this.answeredFor = this.today;
  }

  /**
   * @param {string} change
   * @param {any} data the what-if route's answer
   * @param {{id: string, text: string}} step
   */
  show(change, data, step) {
    const shown = data.display;
    const rework = data.before.expected_lead_time_minutes !== data.before.lead_time_minutes
      || data.after.expected_lead_time_minutes !== data.after.lead_time_minutes;
    const rows = LINES.filter(([key]) => rework || key !== 'expected_lead_time_minutes').map(([key, show, label]) => (
      html('p', { class: 'whatif-line', 'data-figure': show }, [
        html('span', { class: 'whatif-name' }, [label]), ' ',
        `${shown.before[show]} → `, html('strong', {}, [shown.after[show]]),
        ` (${shown.deltas[key]})`,
      ])));
    const parts = [
      html('p', { class: 'whatif-title' }, [CHANGES.find(([c]) => c === change)?.[1] ?? change]),
      ...rows,
      ...forecastLine(data),
      html('p', { class: 'whatif-next', 'data-next-constraint': '' }, [shown.constraint_after]),
    ];
    if (this.opts.canEdit()) {
      const make = html('button', { type: 'button', class: 'link', 'data-whatif-experiment': '' }, ['Make it an experiment']);
      const name = step.text.split(/\s+/).join(' ').trim() || 'this step';
      make.addEventListener('click', () => this.opts.makeExperiment({
        text: CARD_TEXT[/** @type {keyof CARD_TEXT} */ (change)].replace('{step}', name),
        baseline: data.before.lead_time_minutes,
        target: data.after.lead_time_minutes,
      }));
      parts.push(make);
    }
    const { canStartFuture, startFuture } = this.opts;
    if (startFuture && canStartFuture?.()) {
      const start = html('button', { type: 'button', class: 'link', 'data-whatif-future': '' }, ['Start a future-state map with this']);
      start.addEventListener('click', () => startFuture({ step: step.id, change }));
      parts.push(start);
    }
    this.answer.replaceChildren(...parts);
  }
}

/**
 * "Forecast, 85 % done within: 26d → 20d" when the answer carries forecasts.
 * @param {any} data the what-if route's answer
 */
export function forecastLine(data) {
  const shown = data.display?.forecast;
  if (!shown) return [];
  return [html('p', { class: 'whatif-line', 'data-figure': 'forecast' }, [
    html('span', { class: 'whatif-name' }, ['Forecast, 85 % done within']), ' ',
    `${shown.before} → `, html('strong', {}, [shown.after]), shown.delta ? ` (${shown.delta})` : '',
  ])];
}
