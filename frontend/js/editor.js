// @ts-check
/**
 * The board page's working state and its edits: what is selected, hovered,
 * being edited or connected, and every change a person can make, each turned
 * into operations for the session (and recorded for undo). Views subscribe to
 * frames; anything that changes asks for one with `requestRender()`.
 *
 *   const editor = new Editor({model, live, session, nextCid});
 *   editor.onFrame((elements) => renderer.render(elements, editor.renderState()));
 *   const id = editor.addStep({x: 200, y: 120});   // created, selected, ready to name
 */

import { DEFAULTS, MAX_TEXT } from './protocol.js';
import { History, inverseOps, said, standing } from './commands/history.js';
import { arrange } from './model/align.js';
import { boxesOf } from './model/boxes.js';
import { bridges } from './model/bridge.js';
import { refusal } from './model/may-delete.js';
import { pasteEdits } from './model/clipboard.js';
import { cascade, drawable } from './model/board.js';
import { elementId } from './model/ids.js';
import { laneAt, lanesApart } from './model/lanes.js';
import { drawnAround, flowStart, placeBeside, placeNew } from './model/placement.js';
import { arrowOnto } from './model/rework.js';

/**
 * @typedef {import('./protocol.js').Element} BoardElement
 * @typedef {import('./protocol.js').Move} Move
 * @typedef {import('./commands/history.js').Edit} Edit
 * @typedef {import('./model/geometry.js').Point} Point
 * @typedef {{source: string, to: Point|null, target: string|null, via: 'drag'|'keys', left?: boolean}} ConnectDraft
 *   `left`: the pointer has been off the source (dropped back on it then, it makes its loop)
 * @typedef {(elements: Map<string, BoardElement>) => void} FrameListener
 */

const DEFAULT_CALENDAR = Object.freeze({ hours_per_day: 8, days_per_week: 5 });
// Peers' live drags are checked for staleness this often while any are showing.
const LIVE_CHECK_MS = 500;

export class Editor {
  /**
   * @param {object} deps
   * @param {import('./model/board.js').BoardModel} deps.model
   * @param {import('./model/live.js').LivePositions} deps.live
   * @param {import('./net/session.js').Session} deps.session
   * @param {() => string} deps.nextCid
   * @param {(message: string) => void} [deps.notify]
   */
  constructor({ model, live, session, nextCid, notify = () => {} }) {
    this.model = model;
    this.live = live;
    this.session = session;
    this.nextCid = nextCid;
    this.notify = notify;
    this.history = new History();
    /** @type {Set<string>} */
    this.selection = new Set();
    /** @type {string|null} */
    this.hovered = null;
    /** @type {string|null} */
    this.editing = null;
    /** @type {ConnectDraft|null} */
    this.connecting = null;
    /** @type {Set<string>} */
    this.dragging = new Set();
    /** A box being resized here: drawn at this size until the update is sent. @type {{id: string, w: number, h: number}|null} */
    this.sizing = null;
    /** @type {FrameListener[]} */
    this._listeners = [];
    this._frame = 0;
    /** @type {ReturnType<typeof setTimeout>|undefined} */
    this._liveTimer = undefined;
    /** @type {{hours_per_day: number, days_per_week: number}} */
    this._calendar = DEFAULT_CALENDAR;
    /** @type {Map<string, BoardElement>|null} the model's elements drawable() last saw */
    this._allElements = null;
    /** @type {Map<string, BoardElement>} */
    this._drawable = new Map();
  }

  /**
   * The board's working calendar. The same object until it changes, so
   * renderers can compare it by identity.
   */
  calendar() {
    const frame = this.model.view().frame;
    const hours = Number(frame.hours_per_day ?? DEFAULT_CALENDAR.hours_per_day);
    const days = Number(frame.days_per_week ?? DEFAULT_CALENDAR.days_per_week);
    if (this._calendar.hours_per_day !== hours || this._calendar.days_per_week !== days) {
      this._calendar = Object.freeze({ hours_per_day: hours, days_per_week: days });
    }
    return this._calendar;
  }

  get canEdit() {
    return this.session.canEdit;
  }

  /** @param {FrameListener} listener called once per animation frame that has changes */
  onFrame(listener) {
    this._listeners.push(listener);
  }

  requestRender() {
    if (this._frame) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this._draw();
    });
  }

  /** Draw now what a frame is waiting to draw (the debug hook: what it reports is on screen). */
  drawNow() {
    if (!this._frame) return;
    cancelAnimationFrame(this._frame);
    this._frame = 0;
    this._draw();
  }

  /** What is drawn: the board view's canvas elements, with live drag positions on top. */
  elements() {
    return this._placed(true);
  }

  /** The same, where peers' drags have not landed yet: what the lead-time ladder is drawn from. */
  landed() {
    return this._placed(false);
  }

  /** @param {boolean} peers whether peers' live positions are applied */
  _placed(peers) {
    const all = this.model.view().elements;
    if (all !== this._allElements) {
      this._allElements = all;
      this._drawable = drawable(all);
    }
    const moved = this.live.apply(/** @type {Map<string, BoardElement>} */ (this._drawable), { peers });
    const sized = this.sizing && moved.get(this.sizing.id);
    if (!this.sizing || !sized) return moved;
    return new Map(moved).set(sized.id, { ...sized, w: this.sizing.w, h: this.sizing.h });
  }

  renderState() {
    return {
      selection: this.selection, hovered: this.hovered, editing: this.editing,
      dropTarget: this.connecting?.target ?? null, dragging: this.dragging,
      live: new Set(this.live.peers.keys()),
    };
  }

  _draw() {
    const now = Date.now();
    this.live.expire(now);
    const elements = this.elements();
    for (const id of this.selection) if (!elements.has(id)) this.selection.delete(id);
    if (this.hovered && !elements.has(this.hovered)) this.hovered = null;
    // An arrow drawn from an element someone deleted ends in connect.js, which says why.
    for (const listener of this._listeners) listener(elements);
    clearTimeout(this._liveTimer);
    if (this.live.peers.size) this._liveTimer = setTimeout(() => this.requestRender(), LIVE_CHECK_MS);
  }

  // ---- selection -----------------------------------------------------------------

  /** @param {Iterable<string>} ids */
  select(ids) {
    this.selection = new Set(ids);
    this.requestRender();
  }

  /** @param {string} id */
  toggle(id) {
    if (this.selection.has(id)) this.selection.delete(id);
    else this.selection.add(id);
    this.requestRender();
  }

  /** The one selected element, if exactly one is. */
  single() {
    if (this.selection.size !== 1) return null;
    const [id] = this.selection;
    return this.elements().get(id) ?? null;
  }

  // ---- edits -------------------------------------------------------------------------

  /**
   * Submit edits as operations (each gets a cid) and remember how to undo them.
   * @param {Edit[]} edits
   * @param {{record?: boolean}} [opts]
   */
  apply(edits, opts = {}) {
    if (!this.canEdit || !edits.length) return;
    if (opts.record !== false) {
      this.history.record(edits, inverseOps(edits, this.model.view(), this.session.you?.client ?? null));
    }
    const ops = edits.map((e) => /** @type {import('./protocol.js').Op} */ ({ cid: this.nextCid(), ...e }));
    this.session.submit(ops);
  }

  undo() {
    const command = this.history.undoCommand();
    if (command) this._putBack(command.inverse, command.forward);
  }

  redo() {
    const command = this.history.redoCommand();
    if (command) this._putBack(command.forward, command.inverse);
  }

  /**
   * Take back an element this page has just created, if that is still the last thing it did
   * (Escape on a new step's name before any was typed): its creation, and what came with it
   * (the arrow to a next step), is undone for everyone, with nothing left to redo.
   * @param {string} id
   * @returns {boolean} whether it was taken back (else it stays, as any element does)
   */
  withdraw(id) {
    const command = this.history.withdraw((c) => c.forward.some((e) => e.op === 'create' && e.element.id === id));
    if (command) this._putBack(command.inverse, command.forward);
    return command !== null;
  }

  /**
   * Send an undo's (or a redo's) edits, but only for what still stands as this page left
   * it: what someone else changed or built on since stays as they left it, and the page
   * says so (and why whatever else cannot come back).
   * @param {import('./commands/history.js').Edit[]} edits
   * @param {import('./commands/history.js').Edit[]} written
   */
  _putBack(edits, written) {
    const { removed, others, unseen } = this.model;
    const now = { ...this.model.view(), removed, others, unseen, client: this.session.you?.client ?? null };
    const result = standing(edits, written, now);
    if (result.edits.length) this.apply(result.edits, { record: false });
    if (result.kept) this.notify('Someone changed that since: it stays as they set it.');
    for (const message of said(result)) this.notify(message);
  }

  /**
   * A new step at the free spot nearest to centring it on a canvas point
   * (model/placement.js), selected. Returns its id.
   * @param {Point} at
   */
  addStep(at) {
    const id = elementId('step');
    const { x, y } = this._place({ id, kind: 'step' }, at);
    // In swimlanes it joins the lane it lands in (addNextStep: the lane it follows on).
    this.apply([{ op: 'create', element: this._inLane({ id, kind: 'step', x, y, text: '' }) }]);
    this.select([id]);
    return id;
  }

  /**
   * A new step as it lands: in swimlanes, owned by the team whose lane its middle is in
   * (model/lanes.js laneAt), so it draws no "Unassigned" band over that lane. Anything
   * else, or a step outside every lane, as it is.
   * @template {import('./protocol.js').Element} E
   * @param {E} el
   * @returns {E}
   */
  _inLane(el) {
    const { elements, frame } = this.model.view();
    if (el.kind !== 'step' || frame.swimlanes !== true) return el;
    const box = /** @type {{x?: number, y?: number, w?: number, h?: number}} */ (el);
    const middle = { x: (box.x ?? 0) + (box.w ?? DEFAULTS.step.w) / 2, y: (box.y ?? 0) + (box.h ?? DEFAULTS.step.h) / 2 };
    const lane = laneAt(elements, frame.teams, middle, this.figures());
    return lane ? { ...el, owner: lane } : el;
  }

  /**
   * Edits that give steps owners or add teams, and in swimlanes the moves that keep the
   * lanes clear of each other after them (model/lanes.js lanesApart): one batch, one undo.
   * @param {Edit[]} edits
   * @returns {Edit[]}
   */
  withLanesApart(edits) {
    const { elements, frame } = this.model.view();
    if (frame.swimlanes !== true) return edits;
    const after = new Map(elements);
    const teams = [...(frame.teams ?? [])];
    for (const e of edits) {
      const edit = /** @type {any} */ (e);
      const el = edit.op === 'update' ? after.get(edit.id) : undefined;
      if (el && edit.set && 'owner' in edit.set) after.set(edit.id, { ...el, owner: edit.set.owner });
      if (edit.op === 'team' && !teams.some((t) => t.id === edit.id)) teams.push({ id: edit.id, ...edit.set });
    }
    return [...edits, ...lanesApart(after, teams, this.figures()).map(({ id, y }) => ({ op: 'update', id, set: { y } }))];
  }

  /**
   * The event log's measurement and the calendar it reads in: its lines lengthen the steps' data
   * boxes, and lanes, placement, arrows and framing keep clear of them (model/boxes.js footprintOf).
   * @returns {import('./model/boxes.js').Figures}
   */
  figures() {
    return { measured: /** @type {any} */ (this.model.metrics)?.measured, calendar: this.calendar() };
  }

  /**
   * Where a new element goes (model/placement.js): off the others and off what the canvas
   * draws around them.
   * @param {import('./protocol.js').Element} el
   * @param {Point} at
   */
  _place(el, at) {
    const { elements, frame } = this.model.view();
    const metrics = this.model.metrics;
    return placeNew(el, at, elements.values(), drawnAround(frame, metrics, elements, this.calendar()),
      flowStart(frame, metrics, elements), this.figures());
  }

  /**
   * The step after a step: a new one to its right on its row (the first spot
   * with room; nothing is shifted) joined to it by a flow arrow, as one
   * undoable edit, selected; in swimlanes, in its lane's team. Returns its id,
   * or null when `from` is no step.
   * @param {string} from
   */
  addNextStep(from) {
    const { elements, frame } = this.model.view();
    const step = elements.get(from);
    if (!this.canEdit || step?.kind !== 'step') return null;
    const id = elementId('step');
    const { x, y } = placeBeside(step, elements.values(), { id, kind: 'step' }, this.figures());
    // In swimlanes it lands in its lane (its row): owned by nobody, it would draw an
    // "Unassigned" band over that lane, the lane's name under it.
    const owner = frame.swimlanes === true && step.owner ? { owner: step.owner } : {};
    this.apply([
      { op: 'create', element: { id, kind: 'step', x, y, text: '', ...owner } },
      { op: 'create', element: { id: elementId('connector'), kind: 'connector', source: from, target: id, connector: 'flow' } },
    ]);
    this.select([id]);
    return id;
  }

  /**
   * A new inventory triangle, note or experiment card at the free spot nearest
   * to centring it on a canvas point, selected. Returns its id.
   * @param {'inventory'|'note'|'experiment'} kind
   * @param {Point} at
   * @param {Record<string, unknown>} [fields] e.g. {variant: 'hypothesis'}
   */
  addElement(kind, at, fields = {}) {
    const id = elementId(kind);
    const { x, y } = this._place({ id, kind, ...fields }, at);
    this.apply([{ op: 'create', element: { id, kind, x, y, ...fields } }]);
    this.select([id]);
    return id;
  }

  /**
   * Set fields of one element (only those that differ are sent).
   * @param {string} id
   * @param {Record<string, unknown>} set
   * @param {'typed'|'estimate'|'measured'} [source] how the figures were arrived at (provenance)
   */
  update(id, set, source = 'typed') {
    const el = /** @type {Record<string, unknown>|undefined} */ (this.model.get(id));
    if (!el) return;
    const changed = Object.fromEntries(Object.entries(set).filter(([k, v]) => JSON.stringify(el[k] ?? null) !== JSON.stringify(v)));
    if (!Object.keys(changed).length) return;
    this.apply([source === 'typed' ? { op: 'update', id, set: changed } : { op: 'update', id, set: changed, source }]);
  }

  /**
   * @param {string} id
   * @param {string} text
   */
  setText(id, text) {
    const el = this.model.get(id);
    if (!el) return;
    let value = text;
    const chars = [...value];
    if (chars.length > MAX_TEXT) {
      value = chars.slice(0, MAX_TEXT).join('');
      this.notify(`Text is limited to ${MAX_TEXT} characters; the rest was cut.`);
    }
    if (value !== (el.text ?? '')) this.apply([{ op: 'update', id, set: { text: value } }]);
  }

  /**
   * @param {Iterable<string>} ids
   * @param {string} color a palette name
   */
  setColor(ids, color) {
    /** @type {Edit[]} */
    const edits = [];
    for (const id of ids) {
      const el = this.model.get(id);
      if (el && el.kind !== 'connector' && el.color !== color) edits.push({ op: 'update', id, set: { color } });
    }
    this.apply(edits);
  }

  /**
   * @param {string} id a connector
   * @param {'flow'|'rework'|'info'} kind
   */
  setConnectorKind(id, kind) {
    const el = this.model.get(id);
    if (el?.kind === 'connector' && el.connector !== kind) this.apply([{ op: 'update', id, set: { connector: kind } }]);
  }

  /** @param {Move[]} moves final positions after a drag or a nudge */
  move(moves) {
    /** @type {Edit[]} */
    const edits = [];
    for (const m of moves) {
      const el = this.model.get(m.id);
      if (el && (el.x !== m.x || el.y !== m.y)) edits.push({ op: 'update', id: m.id, set: { x: m.x, y: m.y } });
    }
    this.apply(edits);
  }

  /**
   * Line up or spread out the selected boxes: one undoable edit.
   * @param {import('./model/align.js').Arrangement} how
   */
  arrange(how) {
    this.move(arrange(boxesOf(this.model.view().elements.values()).filter((b) => this.selection.has(b.id)), how));
  }

  /**
   * Add copies of a clipboard's elements (fresh ids, arrows rewired) as one
   * undoable edit, and select them. Returns the new ids.
   * @param {import('./model/clipboard.js').Clip} clip
   * @param {{at?: Point|null, offset?: number}} where centred on a point, or shifted from the originals
   */
  paste(clip, where) {
    if (!this.canEdit) return [];
    const { edits, ids } = pasteEdits(clip, { ...where, newId: elementId });
    // A pasted step joins the lane it lands in, as a new one does.
    for (const edit of edits) if (edit.op === 'create') edit.element = this._inLane(edit.element);
    this.apply(edits);
    this.select(edits.flatMap((e) => (e.op === 'create' && e.element.kind !== 'connector' ? [e.element.id] : [])));
    return ids;
  }

  /**
   * Which of `ids` this page may delete, and why the first of the others may not
   * (model/may-delete.js): a cut copies only what it will take away.
   * @param {Iterable<string>} ids
   * @returns {{ids: string[], why: string|null}}
   */
  deletable(ids) {
    const elements = this.model.view().elements;
    /** @type {string[]} */
    const may = [];
    /** @type {string|null} */
    let why = null;
    for (const id of ids) {
      const refused = refusal(elements, id, this._who());
      if (refused) why ??= refused;
      else may.push(id);
    }
    return { ids: may, why };
  }

  /** Who this page deletes as (model/may-delete.js). */
  _who() {
    return { client: this.session.you?.client ?? null, facilitator: this.session.role === 'facilitator' };
  }

  /**
   * Delete elements (and the arrows on them, which the server removes too). The
   * flow that ran through a deleted step stays joined: arrows from the boxes before
   * it to the boxes after it are drawn in the same undoable edit (model/bridge.js).
   * What the server would refuse to delete is kept, and said why (model/may-delete.js):
   * the bridges are drawn around what really goes.
   * @param {Iterable<string>} ids
   */
  remove(ids) {
    const before = this.model.view().elements;
    const elements = new Map(before);
    const who = this._who();
    /** @type {Edit[]} */
    const edits = [];
    /** @type {Set<string>} */
    const gone = new Set();
    /** @type {string[]} */
    const kept = [];
    /** @type {string|null} */
    let why = null;
    for (const id of ids) {
      if (!elements.has(id)) continue; // already gone with an element deleted before it
      const refused = refusal(elements, id, who);
      if (refused) {
        kept.push(id);
        why ??= refused;
        continue;
      }
      edits.push({ op: 'delete', id });
      for (const removed of cascade(elements, id)) {
        elements.delete(removed);
        gone.add(removed);
      }
    }
    for (const { source, target, through } of bridges(before, gone)) {
      const element = { id: elementId('connector'), kind: 'connector', source, target, connector: 'flow' };
      edits.push({ op: 'create', element, replaces: through });
    }
    if (why) this.notify(`Not deleted: ${why}.`);
    this.apply(edits);
    this.select(kept);
  }

  /**
   * Draw an arrow; an identical one that already exists is selected instead. Only a
   * rework arrow may go from a step back to itself (part of its work redone by it, as
   * the server allows); the new loop is then selected, so its rate can be typed.
   * @param {string} source
   * @param {string} target
   * @param {'flow'|'rework'|'info'} [kind]
   */
  connect(source, target, kind = 'flow') {
    const elements = this.model.view().elements;
    const a = elements.get(source);
    const b = elements.get(target);
    if (!a || !b || a.kind === 'connector' || b.kind === 'connector') return null;
    if (source === target && !(kind === 'rework' && a.kind === 'step')) {
      const onto = arrowOnto(a, b);
      this.notify('refused' in onto ? onto.refused : 'Only a rework arrow may loop onto its own step.');
      return null;
    }
    for (const el of elements.values()) {
      if (el.kind === 'connector' && el.source === source && el.target === target && (el.connector ?? 'flow') === kind) {
        this.select([el.id]);
        return el.id;
      }
    }
    const id = elementId('connector');
    this.apply([{ op: 'create', element: { id, kind: 'connector', source, target, connector: kind } }]);
    this.select([source === target ? id : target]);
    return id;
  }

  /**
   * An arrow being drawn, its loose end dropped on `target` (by pointer, click or Enter): a flow
   * arrow to another box; back on its own step, that step's rework loop, and the status says so;
   * back on its own queue, note or card, nothing, and the status says why (model/rework.js).
   * @param {string} source
   * @param {string} target
   */
  dropArrow(source, target) {
    const elements = this.model.view().elements;
    const a = elements.get(source);
    const b = elements.get(target);
    if (!a || !b || a.kind === 'connector' || b.kind === 'connector') return null;
    const onto = arrowOnto(a, b);
    if ('refused' in onto) {
      this.notify(onto.refused);
      return null;
    }
    const id = this.connect(source, target, onto.kind);
    if (id && onto.said) this.notify(onto.said);
    return id;
  }
}
