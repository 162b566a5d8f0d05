// @ts-check
/**
 * The Map settings panel's "Measured flow" part: where the board's measurement
 * came from, the facilitator's buttons to import an event log or remove it, and
 * which figures the totals use ("Figures from: estimates | measurements", the
 * board's `figures_from`, sent as a `board` op like the demand).
 *
 *   const part = new MeasuredSettings({save: (set) => ..., importer: new EventLogImport({api})});
 *   panel.append(...part.build(editable));   // when the panel is built
 *   part.render(frame);                      // each frame
 */

import { countedOn, provenance } from '../model/measured.js';
import { html } from '../util/dom.js';

/** @type {[value: string, label: string][]} */
const SOURCES = [['estimates', 'Estimates'], ['measured', 'Measurements']];
const NOTHING_YET = 'No measurements yet. An event log (CSV or JSON: one row per item and step, with item, step, '
  + 'arrived, started and finished) gives each step its measured wait and work, shown beside the estimates.';

export class MeasuredSettings {
  /**
   * @param {{save: (set: Record<string, unknown>) => void,
   *   importer?: {pick: () => void, confirmRemove: () => void}|null}} actions
   */
  constructor(actions) {
    this.actions = actions;
    this.editable = false;
    this.source = html('p', { class: 'inspector-help', 'data-measured-source': '' });
    this.remove = html('button', { type: 'button', class: 'button', 'data-events': 'remove-measurements', hidden: true },
      ['Remove measurements…']);
    this.remove.addEventListener('click', () => this.actions.importer?.confirmRemove());
    /** @type {HTMLInputElement[]} */
    this.radios = SOURCES.map(([value]) => html('input', { type: 'radio', name: 'figures_from', value, id: `figures-from-${value}` }));
    for (const radio of this.radios) {
      radio.addEventListener('change', () => {
        if (radio.checked && this.editable) this.actions.save({ figures_from: radio.value });
      });
    }
    this.choice = html('fieldset', { class: 'figures-from', 'data-figures-from': '' }, [
      html('legend', {}, ['Figures from']),
      ...SOURCES.map(([value, label], i) => html('label', { for: `figures-from-${value}` }, [this.radios[i], ` ${label}`])),
    ]);
    /** @type {string|null} */
    this._shown = null;
  }

  /**
   * The part's elements, for the panel to place (after the demand).
   * @param {boolean} editable the facilitator's panel
   */
  build(editable) {
    this.editable = editable;
    this._shown = null;
    const parts = [html('h3', { class: 'panel-subhead' }, ['Measured flow']), this.source];
    if (editable && this.actions.importer) {
      const pick = html('button', { type: 'button', class: 'button', 'data-events': 'import-log' }, ['Import event log…']);
      pick.addEventListener('click', () => this.actions.importer?.pick());
      parts.push(html('div', { class: 'measured-actions' }, [pick, this.remove]));
    }
    parts.push(this.choice);
    return parts;
  }

  /** @param {Record<string, any>} frame */
  render(frame) {
    const measured = frame.measured ?? null;
    const from = frame.figures_from === 'measured' ? 'measured' : 'estimates';
    const stale = countedOn(measured, frame);
    const key = JSON.stringify([measured?.source ?? null, from, this.editable, stale]);
    if (key === this._shown) return;
    this._shown = key;
    const by = measured?.source?.by ? `, imported by ${measured.source.by}` : '';
    const said = measured ? `${capitalise(provenance(measured))}${by}.${stale ? ` ${stale}` : ''}` : NOTHING_YET;
    if (this.source.textContent !== said) this.source.textContent = said;
    this.remove.hidden = !measured;
    for (const radio of this.radios) radio.checked = radio.value === from;
    // A choice only with measurements to use (or to switch back from), and for the facilitator.
    this.choice.disabled = !this.editable || (!measured && from === 'estimates');
    this.choice.title = measured ? 'Which figures the totals and the forecast use' : 'Import an event log first';
  }
}

/** @param {string} text */
function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}
