// @ts-check
/**
 * The future-state map: starting one from this map (it opens in a new tab,
 * optionally with a what-if already made), and, on a future-state map, the
 * comparison with the current state in the totals panel, asked again
 * (GET …/compare) once the metrics settle after a change.
 *
 *   const future = new FutureState({ api, model, totals, calendar, fit, notify, hint });
 *   future.start({ step: 's-1', change: 'halve_wait' });
 *   future.compare();   // each frame: asks only when the metrics changed
 */

// A future-state map asks for the comparison this long after its metrics settle.
const COMPARE_DEBOUNCE_MS = 300;

export class FutureState {
  /**
   * @param {object} deps
   * @param {import('../net/api.js').BoardApi} deps.api
   * @param {import('../model/board.js').BoardModel} deps.model
   * @param {import('../ui/totals.js').TotalsPanel} deps.totals shows the comparison
   * @param {() => any} deps.calendar the map's working calendar
   * @param {() => void} deps.fit the panel widens to compare: the map moves out from under it
   * @param {(message: string) => void} deps.notify an error
   * @param {(message: string) => void} deps.hint
   */
  constructor({ api, model, totals, calendar, fit, notify, hint }) {
    this.api = api;
    this.model = model;
    this.totals = totals;
    this.calendar = calendar;
    this.fit = fit;
    this.notify = notify;
    this.hint = hint;
    /** @type {object|null} the metrics the last comparison was asked for */
    this.compared = null;
    this.timer = 0;
  }

  /**
   * Start a future-state map from this one and open it in a new tab.
   * @param {{step: string, change: string}} [tried] a what-if the new map starts with
   */
  async start(tried) {
    const answer = await this.api.send('POST', '/future', { query: tried });
    if (!answer.ok) {
      this.notify(`Could not start the future-state map (${answer.status})`);
      return;
    }
    const { links } = answer.data;
    this.hint('Future-state map started: it opens in a new tab.');
    window.open(links.facilitator, '_blank', 'noopener');
  }

  /** On a future-state map: fetch the comparison with the current state when our metrics change. */
  compare() {
    if (!this.model.view().frame.future_of || this.model.metrics === this.compared) return;
    this.compared = this.model.metrics;
    clearTimeout(this.timer);
    this.timer = window.setTimeout(async () => {
      try {
        const comparison = await this.api.get('/compare');
        if (!comparison) return;
        const first = !this.totals.comparison;
        this.totals.compare({ ...comparison, calendar: this.calendar() });
        if (first) this.fit();
      } catch {
        // Offline for a moment: the next change asks again.
      }
    }, COMPARE_DEBOUNCE_MS);
  }
}
