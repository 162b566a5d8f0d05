// @ts-check
/**
 * The participant's validation page (app/templates/validate.html, served at
 * /v/{token}). A person's own link answers as them: agree with or dispute
 * each step of the published version, then sign it off. The shared link only
 * shows the version and who is asked.
 *
 * Everything goes through /api/validation/{token} (net/api.js ValidationApi);
 * the server checks every rule (a dispute needs a comment, sign-off needs
 * every step agreed, only the link's person answers) and this page shows its
 * answer.
 */

import { swatch } from './canvas/colors.js';
import { formatPercent, showDuration } from './model/durations.js';
import { ApiError, ValidationApi } from './net/api.js';
import { byId, html } from './util/dom.js';

/**
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 * @typedef {{id: string, text: string, wait_minutes: number|null, process_minutes: number|null,
 *   wait_text?: string|null, process_text?: string|null,
 *   pca: number|null, on_path: boolean, owner?: string|null}} Step
 * @typedef {{id: string, name: string, color: string, steps: string[]}} TeamGroup  a team's steps ('' : nobody's)
 * @typedef {{step: string, verdict: 'agree'|'dispute', comment: string, field: string|null,
 *   proposed: number|null, figure: string}} Verdict
 * @typedef {{name: string, verdicts: Record<string, Verdict>, signed_off_at: string|null,
 *   cannot_sign_off: string|null}} Me
 * @typedef {{board_id: string, calendar: Calendar, version: {number: number, label: string},
 *   latest: number, superseded: boolean, steps: Step[], teams?: TeamGroup[], metrics: Record<string, any>,
 *   invited: {name: string, signed_off: boolean}[], me: Me|null, person: string|null}} View
 */

/** @type {Record<string, string>} what each disputable figure is called on the page */
const FIGURES = { wait_minutes: 'Wait', process_minutes: 'Process time', pca: '%C/A' };

const token = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
const api = new ValidationApi({ token });
/** @type {View|null} */
let view = null;
/** Steps whose dispute form is open, so a re-render keeps it open. */
const disputing = new Set();

byId('sign-off').addEventListener('click', signOff);
load();

/** The link is a person's own (it answers as them) or the shared one (it only shows). */
async function load() {
  try {
    view = /** @type {View} */ (await api.view());
  } catch (err) {
    return notice(refusal(err));
  }
  render();
}

/**
 * The sentence to show for a failed call (net/api.js words the server's refusal).
 * @param {unknown} err
 */
function refusal(err) {
  if (err instanceof ApiError) return err.message;
  throw err;
}

/** @param {string} text @param {'info'|'error'} [kind] */
function notice(text, kind = 'error') {
  const box = byId('notice');
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = !text;
}

function render() {
  if (!view) return;
  const picked = Boolean(view.person && view.me);
  byId('who').hidden = picked;
  byId('review').hidden = false;
  byId('checking').hidden = !picked;
  byId('sign-off-card').hidden = !picked;
  if (view.superseded) {
    notice(`A newer version (${view.latest}) of this map was published. Ask the facilitator for the link to it.`, 'info');
  }
  if (!picked) renderNames(view);
  /** @type {Me} */
  const me = view.me ?? { name: '', verdicts: {}, signed_off_at: null, cannot_sign_off: 'this link only shows the map' };
  byId('me').textContent = me.name;
  const map = /** @type {HTMLImageElement} */ (byId('map'));
  if (!map.getAttribute('src')) {
    map.src = api.mapUrl;
    map.alt = `The map as published: version ${view.version.number}, ${view.version.label}`;
    // A big map is unreadable at the page's width: the picture opens whole, to zoom in on.
    for (const id of ['map-link', 'map-open']) byId(id).setAttribute('href', api.mapUrl);
  }
  renderTotals(view);
  const open = picked && !me.signed_off_at && !view.superseded;
  const v = /** @type {View} */ (view);
  const grouped = Boolean(v.teams?.length);
  const items = v.steps.map((step, i) => stepItem(v, step, i, me, open, grouped ? 'h4' : 'h3'));
  const list = byId('steps');
  list.setAttribute('aria-label', grouped ? 'Steps by team, each in flow order' : 'Steps in flow order');
  list.replaceChildren(...(grouped ? teamGroups(v, items, me, picked) : items));
  if (picked) renderSignOff(view, me, open);
}

/** @param {View} v */
function renderNames(v) {
  byId('names').replaceChildren(...v.invited.map((person) => html('li', { class: 'name-tag' },
    [person.name, ...(person.signed_off ? [html('span', { class: 'signed-tag' }, [' · signed off'])] : [])])));
}

/** @param {View} v */
function renderTotals(v) {
  const shown = v.metrics.display ?? {};
  // With rework loops both lead times are reported (DESIGN 2), as the Flow panel does.
  const rework = v.metrics.expected_lead_time_minutes > v.metrics.lead_time_minutes;
  const parts = [
    ['Lead time', shown.lead_time], ['With rework', rework ? shown.expected_lead_time : ''],
    ['Process time', shown.process_time],
    ['Activity ratio', shown.activity_ratio], ['Rolled %C/A', shown.rolled_pca],
  ].filter(([, value]) => value);
  const items = parts.map(([label, value]) => html('span', { class: 'total' }, [
    html('span', { class: 'total-label' }, [label]), ' ', html('strong', {}, [value]),
  ]));
  if (v.metrics.constraint) items.push(html('span', { class: 'total constraint' }, [v.metrics.constraint.reason]));
  byId('totals').replaceChildren(...items);
}

/**
 * The steps under their teams' headings, so each team checks its own part: the
 * team's colour and name, how many of its steps this person has agreed with.
 * @param {View} v
 * @param {HTMLElement[]} items the steps' items, in the order of `v.steps`
 * @param {Me} me
 * @param {boolean} picked whether this link answers as a person
 */
function teamGroups(v, items, me, picked) {
  const byStep = new Map(v.steps.map((step, i) => [step.id, items[i]]));
  return (v.teams ?? []).map((team) => {
    const steps = team.steps.map((id) => byStep.get(id)).filter((item) => item !== undefined);
    const agreed = team.steps.filter((id) => me.verdicts[id]?.verdict === 'agree').length;
    const chip = html('span', { class: 'team-chip', 'aria-hidden': 'true' });
    const s = swatch(team.color, 'grey');
    chip.style.background = s.fill;
    chip.style.borderColor = s.border;
    const count = `${team.steps.length} ${team.steps.length === 1 ? 'step' : 'steps'}`;
    return html('li', { class: 'team-group', 'data-team': team.id }, [
      html('h3', { class: 'team-heading' }, [chip, team.name, html('span', { class: 'team-count' },
        [picked ? ` · ${count}, ${agreed} agreed` : ` · ${count}`])]),
      html('ol', { class: 'steps', 'aria-label': `${team.name}: its steps` }, /** @type {HTMLElement[]} */ (steps)),
    ]);
  });
}

/**
 * @param {number|null} minutes
 * @param {string|null|undefined} typed the figure as typed, shown so while it says `minutes`
 * @param {Calendar} calendar
 */
function duration(minutes, typed, calendar) {
  return minutes === null || minutes === undefined ? 'not given' : showDuration(minutes, typed, calendar);
}

/**
 * @param {View} v
 * @param {Step} step
 * @param {number} index
 * @param {Me} me
 * @param {boolean} open whether verdicts can still be given
 * @param {'h3'|'h4'} level the step's heading: h4 under a team's
 */
function stepItem(v, step, index, me, open, level = 'h3') {
  const mine = me.verdicts[step.id];
  const label = step.text || 'Untitled step';
  const figures = html('p', { class: 'figures' }, [
    `Waits ${duration(step.wait_minutes, step.wait_text, v.calendar)} · `
      + `takes ${duration(step.process_minutes, step.process_text, v.calendar)} · `,
    step.pca === null ? '%C/A not given' : `${formatPercent(step.pca)} C/A`,
  ]);
  const item = html('li', { class: 'step', 'data-step': step.id, 'data-verdict': mine?.verdict ?? '' }, [
    html('div', { class: 'step-head' }, [
      html('span', { class: 'step-number', 'aria-hidden': 'true' }, [String(index + 1)]),
      html(level, {}, [label]),
      step.on_path ? '' : html('span', { class: 'off-path' }, ['not on the flow']),
    ]),
    figures,
  ]);
  const agree = html('button', { type: 'button', class: 'button verdict-agree', 'aria-pressed': String(mine?.verdict === 'agree'),
    'aria-label': `Agree: ${label}`, disabled: !open }, ['Agree']);
  const dispute = html('button', { type: 'button', class: 'button verdict-dispute', 'aria-pressed': String(mine?.verdict === 'dispute'),
    'aria-label': `Dispute: ${label}`, disabled: !open }, ['Dispute']);
  agree.addEventListener('click', () => {
    disputing.delete(step.id);
    send([{ step: step.id, verdict: 'agree' }]);
  });
  dispute.addEventListener('click', () => {
    disputing.add(step.id);
    render();
  });
  item.append(html('div', { class: 'verdict-buttons', role: 'group', 'aria-label': `Your verdict on ${label}` }, [agree, dispute]));
  if (mine?.verdict === 'dispute' && !disputing.has(step.id)) item.append(disputeNote(mine));
  if (open && disputing.has(step.id)) item.append(disputeForm(step, label, mine));
  return item;
}

/** @param {Verdict} mine */
function disputeNote(mine) {
  const believed = mine.field && mine.figure ? ` You believe ${FIGURES[mine.field]?.toLowerCase() ?? mine.field}: ${mine.figure}.` : '';
  return html('p', { class: 'dispute-note' }, [`You dispute this: “${mine.comment}”.${believed}`]);
}

/**
 * @param {Step} step
 * @param {string} label
 * @param {Verdict|undefined} mine
 */
function disputeForm(step, label, mine) {
  const comment = html('textarea', { rows: 3, maxlength: 2000, 'aria-label': `What is wrong with ${label}?`,
    placeholder: 'What is wrong with this step?' });
  comment.value = mine?.verdict === 'dispute' ? mine.comment : '';
  const field = html('select', { 'aria-label': `Which figure of ${label}` }, [
    html('option', { value: '' }, ['No figure']),
    ...Object.entries(FIGURES).map(([value, text]) => html('option', { value }, [text])),
  ]);
  field.value = mine?.field ?? '';
  const figure = html('input', { type: 'text', maxlength: 60, placeholder: 'e.g. 3d', 'aria-label': `The figure you believe for ${label}` });
  figure.value = mine?.figure ?? '';
  // A figure is typed for the figure chosen: with none chosen there is nothing to type.
  const choose = () => {
    figure.disabled = !field.value;
    if (!field.value) figure.value = '';
    figure.placeholder = field.value === 'pca' ? 'e.g. 85%' : field.value ? 'e.g. 3d' : 'Choose a figure first';
  };
  field.addEventListener('change', choose);
  choose();
  const error = html('p', { class: 'form-error', role: 'alert' });
  const cancel = html('button', { type: 'button', class: 'button' }, ['Cancel']);
  cancel.addEventListener('click', () => {
    disputing.delete(step.id);
    render();
  });
  const form = html('form', { class: 'dispute-form' }, [
    comment,
    html('div', { class: 'figure-row' }, [field, figure]),
    error,
    html('div', { class: 'form-actions' }, [cancel, html('button', { type: 'submit', class: 'button button-primary' }, ['Save dispute'])]),
  ]);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const verdict = { step: step.id, verdict: 'dispute', comment: comment.value, field: field.value || null, figure: figure.value };
    const refused = await send([verdict], false);
    if (refused) error.textContent = refused;
  });
  queueMicrotask(() => { if (!comment.value) comment.focus(); });
  return form;
}

/**
 * Send verdicts; on success re-render from the server's answer.
 * @param {Record<string, unknown>[]} verdicts
 * @param {boolean} [loud] show a refusal in the notice (else the caller shows it)
 * @returns {Promise<string|null>} the refusal, if any
 */
async function send(verdicts, loud = true) {
  try {
    view = /** @type {View} */ (await api.answer(verdicts));
  } catch (err) {
    const why = refusal(err);
    if (loud) notice(why);
    return why;
  }
  for (const v of verdicts) disputing.delete(/** @type {string} */ (v.step));
  notice('');
  render();
  return null;
}

/**
 * @param {View} v
 * @param {Me} me
 * @param {boolean} open
 */
function renderSignOff(v, me, open) {
  const button = /** @type {HTMLButtonElement} */ (byId('sign-off'));
  const progress = byId('progress');
  if (me.signed_off_at) {
    progress.textContent = `You signed version ${v.version.number} off. Thank you!`;
    button.hidden = true;
    return;
  }
  button.hidden = false;
  button.disabled = !open || Boolean(me.cannot_sign_off);
  progress.textContent = me.cannot_sign_off
    ? capitalised(me.cannot_sign_off) + '.'
    : 'Every step agreed: sign off when you are ready.';
}

/** @param {string} text */
function capitalised(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

async function signOff() {
  try {
    view = /** @type {View} */ (await api.signOff());
  } catch (err) {
    return notice(refusal(err));
  }
  notice('');
  render();
}
