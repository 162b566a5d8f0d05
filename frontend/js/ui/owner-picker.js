// @ts-check
/**
 * The step side panel's "Owner": which team does the step — a select of the
 * map's teams and "— none —". The facilitator also finds "New team…" there,
 * which asks for a name in place and adds the team and assigns it in one batch
 * (one undo). Participants pick owners; viewers see the owner, read-only.
 *
 *   const owner = new OwnerPicker({teams: () => teamsOf(frame), apply, canEdit, canAddTeams});
 *   panel.append(owner.root);   // when a step's panel is built
 *   owner.render(step);         // each frame
 */

import { html } from '../util/dom.js';
import { MAX_TEAM_NAME, addAndAssignOps, newTeam, teamChip, teamNameProblem } from './teams.js';

/**
 * @typedef {import('./teams.js').Team} Team
 * @typedef {import('./teams.js').Edit} Edit
 * @typedef {import('../protocol.js').Element} BoardElement
 */

const NONE = '';
const NEW = '__new__';

/**
 * The select's choices, in order: value and label.
 *
 *   ownerChoices([{id: 't-qa', name: 'QA', color: 'green'}], true);
 *   // [['', '— none —'], ['t-qa', 'QA'], ['__new__', 'New team…']]
 *
 * @param {Team[]} teams
 * @param {boolean} canAdd the facilitator: "New team…" is offered
 * @param {string|null} [current] the step's owner: kept as a choice even if it is no team (yet)
 * @returns {[string, string][]}
 */
export function ownerChoices(teams, canAdd, current = null) {
  /** @type {[string, string][]} */
  const out = [[NONE, '— none —'], ...teams.map((t) => /** @type {[string, string]} */ ([t.id, t.name]))];
  if (current && !teams.some((t) => t.id === current)) out.push([current, 'Unknown team']);
  if (canAdd) out.push([NEW, 'New team…']);
  return out;
}

export class OwnerPicker {
  /**
   * @param {{teams: () => Team[], apply: (edits: Edit[]) => void, canEdit: () => boolean,
   *   canAddTeams: () => boolean}} actions canAddTeams: the facilitator
   */
  constructor(actions) {
    this.actions = actions;
    /** @type {BoardElement|null} */
    this.el = null;
    this.select = html('select', { id: 'inspect-owner', class: 'inspector-input owner-select', 'data-owner': '' });
    this.chip = html('span', { class: 'owner-chip-slot' });
    this.name = html('input', { type: 'text', class: 'inspector-input', placeholder: 'Team name, e.g. QA', maxlength: MAX_TEAM_NAME,
      'aria-label': 'New team name', 'data-owner-new': '', autocomplete: 'off' });
    this.error = html('p', { class: 'inspector-error', role: 'alert' });
    this.adding = html('div', { class: 'owner-new', hidden: true }, [this.name]);
    this.root = html('div', { class: 'inspector-field owner-field' }, [
      html('label', { for: 'inspect-owner' }, ['Owner']),
      html('div', { class: 'owner-row' }, [this.chip, this.select]), this.adding, this.error]);
    this.select.addEventListener('change', () => this._picked());
    this.name.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this._addTeam();
      if (e.key === 'Escape') this._stopAdding();
    });
    this.name.addEventListener('blur', () => !this.name.value.trim() && this._stopAdding());
    /** @type {string|null} */
    this._shown = null;
  }

  /** @param {BoardElement} el the step */
  render(el) {
    this.el = el;
    const teams = this.actions.teams();
    const owner = /** @type {any} */ (el).owner ?? null;
    const editable = this.actions.canEdit();
    const canAdd = editable && this.actions.canAddTeams();
    const key = JSON.stringify([el.id, owner, teams, editable, canAdd]);
    if (key === this._shown || document.activeElement === this.select) return;
    this._shown = key;
    this.select.replaceChildren(...ownerChoices(teams, canAdd, owner).map(([value, label]) => html('option', { value }, [label])));
    this.select.value = owner ?? NONE;
    this.select.disabled = !editable;
    const team = teams.find((t) => t.id === owner);
    this.chip.replaceChildren(...(team ? [teamChip(team.color)] : []));
    if (!canAdd && !this.adding.hidden) this._stopAdding();
  }

  _picked() {
    const el = this.el;
    if (!el || !this.actions.canEdit()) return;
    if (this.select.value === NEW) {
      this.adding.hidden = false;
      this.error.textContent = '';
      this.name.focus();
      return;
    }
    this._stopAdding();
    const owner = this.select.value || null;
    if (owner !== (/** @type {any} */ (el).owner ?? null)) this.actions.apply([{ op: 'update', id: el.id, set: { owner } }]);
    this.select.blur();
  }

  _addTeam() {
    const el = this.el;
    if (!el) return;
    const teams = this.actions.teams();
    const problem = teamNameProblem(this.name.value, teams);
    this.error.textContent = problem ?? '';
    if (problem) return;
    this.actions.apply(addAndAssignOps(newTeam(this.name.value, teams), el.id));
    this._stopAdding();
  }

  _stopAdding() {
    this.adding.hidden = true;
    this.name.value = '';
    this.error.textContent = '';
    this._shown = null; // the select shows the owner again, not "New team…"
  }
}
