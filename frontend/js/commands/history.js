// @ts-check
/**
 * Undo and redo as operations: every edit is recorded with its inverse,
 * worked out against the board as it was just before the edit. Undo submits
 * the inverse as new operations (the server orders them like any other edit,
 * last writer wins per field), so undo is collaborative-safe and shared.
 *
 *   const history = new History();
 *   history.record(ops, inverseOps(ops, view));
 *   submit(history.undo());   // the inverse, or null when there is nothing to undo
 */

import { cascade, hangsOff, teamsAfter } from '../model/board.js';
import { restorable } from '../model/clipboard.js';
import { saysMinutes } from '../model/durations.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {import('../protocol.js').BoardFrame} BoardFrame
 * @typedef {{op: 'create', element: BoardElement, replaces?: string[]}
 *   | {op: 'update', id: string, set: Record<string, unknown>, source?: 'typed'|'estimate'|'measured'}
 *   | {op: 'delete', id: string}
 *   | {op: 'board', set: Record<string, unknown>}
 *   | {op: 'team', id: string, set?: {name?: string, color?: string}, remove?: boolean, at?: number}} Edit
 *   an operation before it gets a cid
 * @typedef {{forward: Edit[], inverse: Edit[]}} Command
 */

// Enough for a workshop's worth of fiddling; old steps fall off the bottom.
const MAX_HISTORY = 200;

/**
 * What undoes `edits`, given the board they apply to (not yet changed by them).
 * A deleted element comes back with what hung off it that `client` wrote: the
 * server makes whoever sends a comment, estimate or dot its author, so someone
 * else's would come back as ours (and theirs to change no more).
 * @param {Edit[]} edits
 * @param {{elements: Map<string, BoardElement>, frame: BoardFrame}} view
 * @param {string|null} [client] this browser's client id
 * @returns {Edit[]}
 */
export function inverseOps(edits, view, client = null) {
  const elements = new Map(view.elements);
  /** @type {import('../model/board.js').Team[]} */
  let teams = /** @type {any} */ (view.frame.teams) ?? [];
  /** @type {Edit[]} */
  const inverse = [];
  for (const edit of edits) {
    if (edit.op === 'create') {
      inverse.unshift({ op: 'delete', id: edit.element.id });
      elements.set(edit.element.id, edit.element);
    } else if (edit.op === 'update') {
      const current = elements.get(edit.id);
      if (!current) continue;
      const before = /** @type {Record<string, unknown>} */ (current);
      /** @type {Record<string, unknown>} */
      const set = {};
      for (const key of Object.keys(edit.set)) set[key] = before[key] ?? null;
      inverse.unshift({ op: 'update', id: edit.id, set });
      elements.set(edit.id, { ...current, ...edit.set });
    } else if (edit.op === 'delete') {
      const removed = cascade(elements, edit.id);
      // Recreate the element first, then the arrows that hung on it; fields the
      // server stamps (provenance) are its to set again, not ours to send.
      const back = /** @type {BoardElement[]} */ (removed.map((id) => elements.get(id))
        .filter((el) => el !== undefined && writtenBy(el, client)));
      // A reply comes back only where the comment it answers stays or comes back too
      // (someone else's does not): alone, the server refuses it.
      const answered = new Set([...back.map((el) => el.id), ...[...elements.keys()].filter((id) => !removed.includes(id))]);
      const recreate = back.filter((el) => !(/** @type {{parent?: string|null}} */ (el).parent)
        || answered.has(/** @type {string} */ (/** @type {any} */ (el).parent)))
        .map((el) => /** @type {Edit} */ ({ op: 'create', element: restorable(el) }));
      inverse.unshift(...recreate);
      for (const id of removed) elements.delete(id);
    } else if (edit.op === 'board') {
      /** @type {Record<string, unknown>} */
      const set = {};
      // A field the frame holds as null (no demand) goes back to null: '' is no number.
      for (const key of Object.keys(edit.set)) set[key] = key in view.frame ? view.frame[key] : '';
      inverse.unshift({ op: 'board', set });
      if (Array.isArray(edit.set.teams)) teams = /** @type {any} */ (edit.set.teams);
    } else if (edit.op === 'team') {
      inverse.unshift(...teamInverse(edit, teams));
      teams = teamsAfter(teams, edit);
    }
  }
  return inverse;
}

/**
 * Whether `client` may create `el` again as it was: anything but a comment, estimate or
 * dot someone else wrote.
 * @param {BoardElement} el
 * @param {string|null} client
 */
function writtenBy(el, client) {
  const author = /** @type {{author_id?: string}} */ (el).author_id;
  return author === undefined || author === client;
}

/**
 * What undoes one `team` op on `teams`: a new team goes again, a removed one
 * comes back where it was, a changed one gets its old name and colour back.
 * Only that team: whatever else happened to the list meanwhile stays.
 * @param {{op: 'team', id: string, set?: {name?: string, color?: string}, remove?: boolean, at?: number}} edit
 * @param {import('../model/board.js').Team[]} teams the list before the edit
 * @returns {Edit[]}
 */
function teamInverse(edit, teams) {
  const at = teams.findIndex((t) => t.id === edit.id);
  if (at < 0) return edit.remove ? [] : [{ op: 'team', id: edit.id, remove: true }];
  const { name, color } = teams[at];
  if (edit.remove) return [{ op: 'team', id: edit.id, set: { name, color }, at }];
  /** @type {Record<string, string>} */
  const old = { name, color };
  /** @type {{name?: string, color?: string}} */
  const set = {};
  for (const key of Object.keys(edit.set ?? {})) if (key in old) set[/** @type {'name'|'color'} */ (key)] = old[key];
  return [{ op: 'team', id: edit.id, set, ...(edit.at === undefined ? {} : { at }) }];
}

/**
 * Why an undo (or redo) left an element as it is: `built-on` someone else has added to
 * it or changed it since (deleting it would take their work), `sealed` an open vote's
 * dots may be on it, `unseen` it went while this page caught up by a snapshot (how it
 * was then is not known here), `vote-over` a dot of a vote closed since,
 * `detached` what it hangs off has been deleted since, `gone` someone deleted it since.
 * @typedef {{id: string, why: 'built-on'|'sealed'|'unseen'|'vote-over'|'detached'|'gone', name: string}} Left
 * @typedef {{elements: Map<string, BoardElement>, frame?: BoardFrame, removed?: Map<string, BoardElement>,
 *   others?: Set<string>, unseen?: Set<string>, client?: string|null}} Now
 *   the board now; `removed`, `others` and `unseen` as model/board.js keeps them; `client` this browser's id
 */

/**
 * `edits` (an undo's inverse, or a redo's forward) without the element, frame and team fields
 * someone else has changed since `written` (what this page's edit, or its undo, set them to):
 * an undo puts back only what still stands as this page left it. Sent as it was, it quietly
 * threw away a colleague's later change to the same field (the server's last writer wins:
 * a step's text, the map's title, a team's name), or "undid" a field of an element someone has deleted since.
 * A delete of what is gone already is left out: the server would refuse it, and say so; so is
 * one of what others have built on since (an arrow to it, a comment, an estimate, a dot, their
 * figures): the server's delete takes what hangs off it, and one person's undo must not take
 * another's work. An element it creates again comes back as it was when it was deleted
 * (`view.removed`), with a colleague's edit that got in ahead of the delete, not as this page
 * last saw it; one deleted out of this page's sight (`view.unseen`) does not come back at all,
 * rather than as it once was. Nor does what could not hang where it did (`left` says why).
 * @param {Edit[]} edits
 * @param {Edit[]} written
 * @param {Now} view
 * @returns {{edits: Edit[], kept: number, left: Left[]}} kept: the fields left as someone else set them
 */
export function standing(edits, written, view) {
  /** @type {Map<string, Record<string, unknown>>} */
  const wrote = new Map();
  /** @type {Record<string, unknown>|undefined} the frame fields `written` set */
  let framed;
  /** @type {Map<string, Record<string, unknown>>} team id -> the fields `written` set */
  const teamed = new Map();
  for (const w of written) {
    if (w.op === 'update') wrote.set(w.id, { ...wrote.get(w.id), ...w.set });
    else if (w.op === 'board') framed = { ...framed, ...w.set };
    else if (w.op === 'team' && w.set) teamed.set(w.id, { ...teamed.get(w.id), ...w.set });
  }
  const teams = /** @type {import('../model/board.js').Team[]} */ (view.frame?.teams ?? []);
  let kept = 0;
  /** @type {Left[]} */
  const left = [];
  /** @type {Edit[]} */
  const out = [];
  // What is on the board as the edits go, in order; and what they leave out.
  const there = new Map(view.elements);
  /** @type {Set<string>} */
  const skipped = new Set();
  for (const edit of edits) {
    if (edit.op === 'delete') {
      const now = there.get(edit.id);
      // Gone already: someone deleted it (said), or its create was refused (said back then).
      const why = now ? notOurs(edit.id, there, view) : view.removed?.has(edit.id) && 'gone';
      if (why) left.push({ id: edit.id, why, name: called(now ?? view.removed?.get(edit.id)) });
      else if (now) {
        for (const id of cascade(there, edit.id)) there.delete(id);
        out.push(edit);
      }
      continue;
    }
    if (edit.op === 'create') {
      const made = again(edit.element, there, view, skipped);
      if (made && 'why' in made) {
        skipped.add(edit.element.id);
        if (made.why) left.push({ id: edit.element.id, why: made.why, name: made.name });
      } else if (made) {
        there.set(made.element.id, made.element);
        out.push({ ...edit, element: view.frame ? fitting(made.element, view.frame) : made.element });
      }
      continue;
    }
    const [ours, now] = /** @type {[Record<string, unknown>|undefined, Record<string, unknown>|undefined]} */ (
      edit.op === 'update' ? [wrote.get(edit.id), there.get(edit.id)]
        : edit.op === 'board' ? [framed, view.frame]
          : edit.op === 'team' && edit.set ? [teamed.get(edit.id), teams.find((t) => t.id === edit.id)]
            : [undefined, undefined]);
    if (!ours || !('set' in edit) || !edit.set) {
      out.push(edit);
      continue;
    }
    if (edit.op === 'update' && !now) {
      left.push({ id: edit.id, why: 'gone', name: called(view.removed?.get(edit.id)) });
      continue;
    }
    /** @type {Record<string, unknown>} */
    const set = {};
    for (const [key, value] of Object.entries(edit.set)) {
      if (now && key in ours && same(now[key], ours[key])) set[key] = value;
      else kept += 1;
    }
    if (Object.keys(set).length) out.push({ ...edit, set });
  }
  return { edits: out, kept, left };
}

/**
 * Why deleting `id` would take someone else's work, or null: what hangs off it (or it) was
 * made or changed by others (`view.others`), or is authored by someone else; or it is a step
 * or note while an open vote's sealed dots (their targets hidden) may be on it.
 * @param {string} id
 * @param {Map<string, BoardElement>} there
 * @param {Now} view
 * @returns {'built-on'|'sealed'|null}
 */
function notOurs(id, there, view) {
  const client = view.client ?? null;
  const theirs = cascade(there, id).some((h) => view.others?.has(h)
    || !writtenBy(/** @type {BoardElement} */ (there.get(h)), client));
  if (theirs) return 'built-on';
  const kind = there.get(id)?.kind;
  const sealed = [...there.values()].some((e) => e.kind === 'dot'
    && !(/** @type {{target?: string|null}} */ (e).target) && !writtenBy(e, client));
  return (kind === 'step' || kind === 'note') && sealed ? 'sealed' : null;
}

/**
 * An element to create again, as it will come back: `{element}`; `{why, name}` when it
 * cannot (why '' when the one it hangs off was left out already: that one says why);
 * null when it is on the board already (an undo left it there, or someone's redo).
 * @param {BoardElement} element as this page's history holds it
 * @param {Map<string, BoardElement>} there the board as the edits before have left it
 * @param {Now} view
 * @param {Set<string>} skipped what these edits left out so far
 * @returns {{element: BoardElement}|{why: Left['why']|'', name: string}|null}
 */
function again(element, there, view, skipped) {
  if (there.has(element.id)) return null;
  const last = view.removed?.get(element.id);
  const back = last ? restorable(last) : element;
  const missing = hangsOff(back).filter((id) => !there.has(id));
  if (missing.some((id) => skipped.has(id))) return { why: '', name: '' };
  if (!last && view.unseen?.has(element.id)) return { why: 'unseen', name: called(element) };
  const vote = back.kind === 'dot' ? there.get(/** @type {{vote: string}} */ (/** @type {unknown} */ (back)).vote) : undefined;
  if (vote && /** @type {{open?: boolean}} */ (vote).open === false) {
    const target = there.get(/** @type {{target: string}} */ (/** @type {unknown} */ (back)).target);
    return { why: 'vote-over', name: target ? called(target) : '' };
  }
  if (missing.length) return { why: 'detached', name: called(back) };
  return { element: back };
}

// What each kind is called in a message when it has no text of its own to go by.
const KIND_NAMES = /** @type {Record<string, string>} */ ({
  step: 'the step', inventory: 'the inventory', note: 'the note', connector: 'the arrow',
  comment: 'your comment', estimate: 'your estimate', dot: 'your dot', experiment: 'the experiment card',
});

/** @param {BoardElement|undefined} el */
function called(el) {
  const text = /** @type {{text?: string}} */ (el ?? {}).text?.trim();
  const authored = el?.kind === 'comment' || el?.kind === 'estimate' || el?.kind === 'dot';
  if (text && !authored) return `“${text.length > 40 ? `${text.slice(0, 39)}…` : text}”`;
  return KIND_NAMES[el?.kind ?? ''] ?? 'it';
}

/** @param {string} text */
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * What to tell the person about an undo's (or redo's) `left`, one message per reason.
 * @param {{left: Left[]}} result standing()'s
 * @returns {string[]}
 */
export function said({ left }) {
  /** @type {string[]} */
  const messages = [];
  for (const [why, say] of SAYINGS) {
    const names = [...new Set(left.filter((l) => l.why === why).map((l) => l.name))];
    if (names.length) messages.push(capital(say(names.join(', '), names.length > 1 ? PLURAL : SINGULAR)));
  }
  for (const target of new Set(left.filter((l) => l.why === 'vote-over').map((l) => l.name))) {
    const dots = left.filter((l) => l.why === 'vote-over' && l.name === target).length;
    const what = dots === 1 ? 'your dot' : `your ${dots} dots`;
    const whose = dots === 1 ? 'its' : 'their';
    messages.push(target ? `${capital(target)} is back without ${what}: ${whose} vote is closed.`
      : `${capital(what)} cannot come back: ${whose} vote is closed.`);
  }
  return messages;
}

// The words that change when a message is about several elements.
const SINGULAR = Object.freeze({ they: 'it', them: 'it', was: 'was', stays: 'stays', has: 'has' });
const PLURAL = Object.freeze({ they: 'they', them: 'them', was: 'were', stays: 'stay', has: 'have' });
/** @type {[Left['why'], (names: string, w: typeof SINGULAR) => string][]} */
const SAYINGS = [
  ['built-on', (names, w) => `${names} ${w.stays}: others have added to ${w.them} or changed ${w.them} since. Delete ${w.them} if ${w.they} should go.`],
  ['sealed', (names, w) => `${names} ${w.stays}: a dot vote is open, and others' dots may be on ${w.them}.`],
  ['unseen', (names, w) => `${names} cannot come back: ${w.they} ${w.was} deleted while this page was reconnecting, and how ${w.they} ${w.was} then is not known here.`],
  ['detached', (names, w) => `${names} cannot come back: what ${w.they} ${w.was} attached to has been deleted since.`],
  ['gone', (names, w) => `${names} ${w.has} been deleted since: there is nothing of ${w.them} to undo.`],
];

// A step's typed figures and the minutes each must say (app/domain/typed.py), on the
// board's calendar (8-hour days and 5-day weeks where the frame says none).
const TYPED = Object.freeze([['wait_text', 'wait_minutes'], ['process_text', 'process_minutes']]);

/**
 * A step put back as the board now takes it: without a team removed since (the server
 * refuses an owner that names no team) or a figure typed on a calendar changed since
 * ("1d" kept beside 480 minutes is 450 on 7.5-hour days, and refused); its minutes stay.
 * Sent as they were, the whole create was refused and the step lost for good.
 * @param {BoardElement} element
 * @param {BoardFrame} frame the board now
 * @returns {BoardElement}
 */
function fitting(element, frame) {
  if (element.kind !== 'step') return element;
  const out = /** @type {Record<string, any>} */ ({ ...element });
  const teams = /** @type {{id: string}[]} */ (frame.teams ?? []);
  if (out.owner && !teams.some((t) => t.id === out.owner)) delete out.owner;
  const calendar = { hours_per_day: Number(frame.hours_per_day ?? 8), days_per_week: Number(frame.days_per_week ?? 5) };
  for (const [text, minutes] of TYPED) {
    if (out[text] && !saysMinutes(out[text], out[minutes], calendar)) delete out[text];
  }
  return /** @type {BoardElement} */ (out);
}

/** @param {unknown} a @param {unknown} b */
function same(a, b) {
  return a === b || (a ?? null) === (b ?? null) || JSON.stringify(a) === JSON.stringify(b);
}

export class History {
  constructor() {
    /** @type {Command[]} */
    this.done = [];
    /** @type {Command[]} */
    this.undone = [];
  }

  /** @param {Edit[]} forward @param {Edit[]} inverse */
  record(forward, inverse) {
    if (!forward.length || !inverse.length) return;
    this.done.push({ forward, inverse });
    if (this.done.length > MAX_HISTORY) this.done.shift();
    this.undone = [];
  }

  /** @returns {Edit[]|null} the edits to submit, or null */
  undo() {
    return this.undoCommand()?.inverse ?? null;
  }

  /** @returns {Edit[]|null} */
  redo() {
    return this.redoCommand()?.forward ?? null;
  }

  /** The command to undo (its inverse to send, its forward what it wrote), or null. */
  undoCommand() {
    const command = this.done.pop();
    if (command) this.undone.push(command);
    return command ?? null;
  }

  /** The command to redo (its forward to send, its inverse what its undo wrote), or null. */
  redoCommand() {
    const command = this.undone.pop();
    if (command) this.done.push(command);
    return command ?? null;
  }

  /**
   * Forget the last command, if `match` says it is the one, without leaving it to redo: its
   * undo is sent once and that is the end of it (a new element nobody named, taken back).
   * @param {(command: Command) => boolean} match
   * @returns {Command|null}
   */
  withdraw(match) {
    const last = this.done.at(-1);
    if (!last || !match(last)) return null;
    this.done.pop();
    return last;
  }

  get canUndo() {
    return this.done.length > 0;
  }

  get canRedo() {
    return this.undone.length > 0;
  }
}
