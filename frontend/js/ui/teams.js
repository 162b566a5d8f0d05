// @ts-check
/**
 * The map's teams, for swimlanes and handoffs: the Map settings part where the
 * facilitator adds, renames, recolours and removes teams, and switches the
 * canvas to swimlanes; plus the pure rules both it and the step's "Owner"
 * picker (ui/owner-picker.js) use to build their operations.
 *
 * The teams are a list in the board frame (`teams`), changed one team at a time
 * by `team` ops; each step names its team in `owner`. Every change here is ONE
 * batch, one undo:
 *
 *   removalOps('t-dev', elements);
 *   // [{op: 'update', id: 's-build', set: {owner: null}}, …, {op: 'team', id: 't-dev', remove: true}]
 *   swimlaneOps(true, plan);   // [{op: 'board', set: {swimlanes: true}}, ...the lane tidy's moves]
 *
 *   const part = new TeamsSettings({apply, elements, fetchPlan, notify});
 *   panel.append(...part.build(editable));   // when Map settings is built
 *   part.render(frame);                      // each frame
 */

import { PALETTE } from '../protocol.js';
import { randomId } from '../model/ids.js';
import { html } from '../util/dom.js';
import { personName } from './name-dialog.js';
import { swatch } from '../canvas/colors.js';

/**
 * @typedef {{id: string, name: string, color: string}} Team
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{op: string, id?: string, set?: Record<string, unknown>, element?: object, remove?: boolean}} Edit
 */

/** The server's limits (app/domain/fields.py): at most this many teams, names this long. */
export const MAX_TEAMS = 24;
export const MAX_TEAM_NAME = 60;
// New teams take the first colour no team has yet, in this order: distinct hues
// first, yellow late (it is every step's own colour), white last.
const COLOR_ORDER = ['blue', 'green', 'orange', 'purple', 'teal', 'pink', 'red', 'grey', 'yellow', 'white'];

/**
 * The map's teams from the board frame; anything malformed is left out.
 * @param {Record<string, unknown>} frame
 * @returns {Team[]}
 */
export function teamsOf(frame) {
  const list = Array.isArray(frame?.teams) ? frame.teams : [];
  return list.filter((t) => t && typeof t.id === 'string' && typeof t.name === 'string')
    .map((t) => ({ id: t.id, name: t.name, color: typeof t.color === 'string' ? t.color : 'grey' }));
}

/**
 * Why a team name cannot be used, or null when it can.
 *
 *   teamNameProblem('qa', [{id: 't-1', name: 'QA', color: 'blue'}]);   // 'There is a team called QA already'
 *
 * @param {string} name as typed
 * @param {Team[]} teams
 * @param {string|null} [except] the team being renamed (its own name is no clash)
 */
export function teamNameProblem(name, teams, except = null) {
  if (!name.trim()) return 'Give the team a name';
  // As the server keeps it: a display name's rule (name-dialog.js personName).
  const clean = personName(name);
  if (!clean) return 'Give the team a name others can see';
  if (clean.length > MAX_TEAM_NAME) return `At most ${MAX_TEAM_NAME} characters`;
  const clash = teams.find((t) => t.id !== except && t.name.toLowerCase() === clean.toLowerCase());
  return clash ? `There is a team called ${clash.name} already` : null;
}

/** @param {Team[]} teams the colour a new team gets: the first one unused */
export function nextColor(teams) {
  const used = new Set(teams.map((t) => t.color));
  return COLOR_ORDER.find((c) => !used.has(c)) ?? COLOR_ORDER[teams.length % COLOR_ORDER.length];
}

/**
 * A new team, its name trimmed, its id fresh.
 * @param {string} name
 * @param {Team[]} teams
 * @param {string} [color]
 * @returns {Team}
 */
export function newTeam(name, teams, color = nextColor(teams)) {
  let id = `t-${randomId(8)}`;
  while (teams.some((t) => t.id === id)) id = `t-${randomId(8)}`;
  return { id, name: personName(name), color };
}

/**
 * The steps a team owns.
 * @param {Iterable<BoardElement>} elements
 * @param {string} teamId
 */
export function ownedSteps(elements, teamId) {
  return [...elements].filter((el) => el.kind === 'step' && /** @type {any} */ (el).owner === teamId);
}

/**
 * What the facilitator confirms before a team that owns steps goes.
 *
 *   removalWarning('Development', 3);   // 'Development owns 3 steps: they will have no owner'
 *
 * @param {string} name
 * @param {number} count
 */
export function removalWarning(name, count) {
  return count === 1 ? `${name} owns 1 step: it will have no owner` : `${name} owns ${count} steps: they will have no owner`;
}

/**
 * Remove a team: its steps lose their owner first, then the team (the server
 * refuses to drop a team steps still name). One batch.
 * @param {string} teamId
 * @param {Iterable<BoardElement>} elements
 * @returns {Edit[]}
 */
export function removalOps(teamId, elements) {
  const clear = ownedSteps(elements, teamId).map((s) => ({ op: 'update', id: s.id, set: { owner: null } }));
  return [...clear, { op: 'team', id: teamId, remove: true }];
}

/**
 * Add a team. One team per op, never the whole list: two facilitators adding
 * teams at once both keep theirs.
 * @param {Team} team
 * @returns {Edit[]}
 */
export function addOps(team) {
  return [{ op: 'team', id: team.id, set: { name: team.name, color: team.color } }];
}

/**
 * Add a team and make it a step's owner: the team first, then the step. One batch.
 * @param {Team} team
 * @param {string} stepId
 * @returns {Edit[]}
 */
export function addAndAssignOps(team, stepId) {
  return [...addOps(team), { op: 'update', id: stepId, set: { owner: team.id } }];
}

/**
 * One team renamed or recoloured; the others stay as they stand on the server.
 * @param {string} teamId
 * @param {{name?: string, color?: string}} change
 * @returns {Edit[]}
 */
export function changeOps(teamId, change) {
  return [{ op: 'team', id: teamId, set: change }];
}

/**
 * Switch swimlanes on (with the lane tidy's moves, so the steps land in their
 * lanes: one change to undo) or off (the layout stays as it is).
 * @param {boolean} on
 * @param {{ops: Edit[]}|null} [plan] the lane tidy (GET /api/boards/{id}/tidy)
 * @returns {Edit[]}
 */
export function swimlaneOps(on, plan = null) {
  const board = { op: 'board', set: { swimlanes: on } };
  return on ? [board, ...(plan?.ops ?? [])] : [board];
}

/** A team's colour as a small round chip. @param {string} color */
export function teamChip(color) {
  const s = swatch(color, 'grey');
  const chip = html('span', { class: 'team-chip', 'aria-hidden': 'true' });
  chip.style.background = s.fill;
  chip.style.borderColor = s.border;
  return chip;
}

export class TeamsSettings {
  /**
   * @param {{apply: (edits: Edit[]) => void, elements: () => Map<string, BoardElement>,
   *   fetchPlan?: () => Promise<{ops: Edit[]}>, notify?: (message: string) => void}} actions
   *   apply: one batch, one undo; fetchPlan: the lane tidy's plan for switching swimlanes on
   */
  constructor(actions) {
    this.actions = actions;
    this.editable = false;
    /** @type {Team[]} */
    this.teams = [];
    this.swimlanes = false;
    this.list = html('div', { class: 'team-list', 'data-teams': '' });
    this.lanes = html('input', { type: 'checkbox', id: 'map-swimlanes', 'data-swimlanes': '' });
    this.lanes.addEventListener('change', () => this._switchLanes(this.lanes.checked));
    /** @type {string|null} */
    this._shown = null;
  }

  /**
   * The part's elements, for Map settings to place.
   * @param {boolean} editable the facilitator's panel
   */
  build(editable) {
    this.editable = editable;
    this._shown = null;
    const parts = [
      html('h3', { class: 'panel-subhead' }, ['Teams']),
      html('p', { class: 'inspector-help' }, ['Who does each step. A step’s owner is set in its side panel; an arrow between two teams is a handoff.']),
      this.list,
    ];
    if (editable) parts.push(this._addRow());
    this.lanes.disabled = !editable;
    parts.push(html('label', { class: 'team-swimlanes', for: 'map-swimlanes' }, [this.lanes, ' Swimlanes']),
      html('p', { class: 'inspector-help' }, ['One lane per team on the canvas and in the exports; switching on lays the steps out in their lanes.']));
    return parts;
  }

  /** @param {Record<string, unknown>} frame */
  render(frame) {
    this.teams = teamsOf(frame);
    this.swimlanes = frame.swimlanes === true;
    if (this.lanes.checked !== this.swimlanes && document.activeElement !== this.lanes) this.lanes.checked = this.swimlanes;
    const elements = [...this.actions.elements().values()];
    const owned = this.teams.map((t) => ownedSteps(elements, t.id).length);
    const key = JSON.stringify([this.teams, owned, this.editable]);
    // A name being typed is never swept away by a peer's change: the rows catch up after.
    const typing = document.activeElement instanceof HTMLInputElement && this.list.contains(document.activeElement);
    if (key === this._shown || typing) return;
    this._shown = key;
    const rows = this.teams.map((t, i) => this._row(t, owned[i]));
    if (!rows.length) rows.push(html('p', { class: 'inspector-help', 'data-no-teams': '' }, ['No teams yet.']));
    this.list.replaceChildren(...rows);
  }

  /** @param {Team} team @param {number} owns how many steps it owns */
  _row(team, owns) {
    const name = html('input', { type: 'text', class: 'inspector-input team-name', value: team.name, maxlength: MAX_TEAM_NAME,
      readonly: !this.editable, 'aria-label': `Name of team ${team.name}`, 'data-team-name': team.id, autocomplete: 'off' });
    const error = html('p', { class: 'inspector-error', role: 'alert' });
    name.addEventListener('change', () => {
      const problem = teamNameProblem(name.value, this.teams, team.id);
      error.textContent = problem ?? '';
      if (problem) return name.setAttribute('aria-invalid', 'true');
      name.removeAttribute('aria-invalid');
      const clean = personName(name.value);
      if (clean !== team.name) this.actions.apply(changeOps(team.id, { name: clean }));
    });
    name.addEventListener('keydown', (e) => e.key === 'Enter' && name.blur());
    const color = this._colorSelect(team.color, `Colour of team ${team.name}`);
    color.dataset.teamColor = team.id;
    color.addEventListener('change', () => this.actions.apply(changeOps(team.id, { color: color.value })));
    const row = html('div', { class: 'team-row', 'data-team': team.id }, [teamChip(team.color), name]);
    if (this.editable) {
      const remove = html('button', { type: 'button', class: 'team-remove', 'aria-label': `Remove team ${team.name}`,
        title: 'Remove this team', 'data-team-remove': team.id }, ['×']);
      remove.addEventListener('click', () => this._remove(team, owns, row));
      row.append(remove);
    }
    const count = html('span', { class: 'inspector-help team-owns' }, [owns ? `${owns} ${owns === 1 ? 'step' : 'steps'}` : 'No steps yet']);
    // The name gets the row's whole width (a team name is read whole, not scrolled); its
    // colour and how many steps it owns go on the line under it.
    return html('div', { class: 'team-item' }, [row, html('div', { class: 'team-detail' }, [color, count]), error]);
  }

  /**
   * @param {Team} team
   * @param {number} owns
   * @param {HTMLElement} row
   */
  _remove(team, owns, row) {
    const go = () => this.actions.apply(removalOps(team.id, this.actions.elements().values()));
    if (!owns) return go();
    // Steps lose their owner: say so, and go only on a second, explicit yes.
    const yes = html('button', { type: 'button', class: 'button button-danger', 'data-team-confirm': team.id }, ['Remove']);
    const no = html('button', { type: 'button', class: 'button' }, ['Keep']);
    const ask = html('div', { class: 'team-confirm', role: 'alertdialog', 'aria-label': 'Remove the team?' }, [
      html('p', {}, [`${removalWarning(team.name, owns)}.`]), html('div', { class: 'team-confirm-actions' }, [no, yes])]);
    yes.addEventListener('click', () => {
      this._shown = null;
      go();
    });
    no.addEventListener('click', () => ask.remove());
    row.after(ask);
    no.focus();
  }

  /** The facilitator's row to add a team: a name, a colour, Add. */
  _addRow() {
    const name = html('input', { type: 'text', class: 'inspector-input team-name', placeholder: 'New team, e.g. QA',
      maxlength: MAX_TEAM_NAME, 'aria-label': 'New team name', 'data-team-new': '', autocomplete: 'off' });
    const color = this._colorSelect('', 'New team colour');
    color.dataset.teamNewColor = '';
    const add = html('button', { type: 'button', class: 'button', 'data-team-add': '' }, ['Add']);
    const error = html('p', { class: 'inspector-error', role: 'alert' });
    const submit = () => {
      const problem = this.teams.length >= MAX_TEAMS ? `A map has at most ${MAX_TEAMS} teams` : teamNameProblem(name.value, this.teams);
      error.textContent = problem ?? '';
      if (problem) return;
      this.actions.apply(addOps(newTeam(name.value, this.teams, color.value || undefined)));
      name.value = '';
      color.value = '';
    };
    add.addEventListener('click', submit);
    name.addEventListener('keydown', (e) => e.key === 'Enter' && submit());
    return html('div', { class: 'team-item team-add' }, [html('div', { class: 'team-row' }, [name]),
      html('div', { class: 'team-detail' }, [color, add]), error]);
  }

  /**
   * The sticky palette as a select; '' (first) means "the next free colour".
   * @param {string} value
   * @param {string} label
   */
  _colorSelect(value, label) {
    const options = PALETTE.map((c) => html('option', { value: c }, [c[0].toUpperCase() + c.slice(1)]));
    if (!value) options.unshift(html('option', { value: '' }, ['Colour']));
    const select = html('select', { class: 'inspector-input team-color', 'aria-label': label, disabled: !this.editable }, options);
    select.value = value;
    return select;
  }

  /** @param {boolean} on */
  async _switchLanes(on) {
    if (!this.editable) return;
    let plan = null;
    if (on && this.actions.fetchPlan) {
      try {
        plan = await this.actions.fetchPlan();
      } catch {
        // The lanes still go on; "Tidy up" lays the steps out in them later.
        this.actions.notify?.('Could not work out the lane layout: swimlanes are on, use Tidy up to place the steps.');
      }
    }
    this.actions.apply(swimlaneOps(on, plan));
  }
}
