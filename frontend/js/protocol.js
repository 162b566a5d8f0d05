// @ts-check
/**
 * The live protocol, as the browser sees it: a mirror of app/protocol.py.
 * docs/protocol.md is the prose; keep the three in step (the golden fixtures in
 * tests/fixtures/protocol/ are read by frontend/tests/protocol.test.js).
 *
 *   socket.send(JSON.stringify(hello('Ada', null)));
 *   // -> {"type":"hello","protocol":1,"name":"Ada","since":null,"features":["metrics-patch"]}
 */

export const PROTOCOL_VERSION = 1;

/**
 * What this browser takes beyond version 1, named in its hello. "metrics-patch":
 * a `metrics` message may carry a `patch` against the metrics we hold
 * (model/patch.js) instead of the whole `metrics`.
 */
export const FEATURES = Object.freeze(['metrics-patch']);

/** Message types the browser sends. */
export const CLIENT = Object.freeze({
  hello: 'hello',
  ops: 'ops',
  drag: 'drag',
  cursor: 'cursor',
  ping: 'ping',
  view: 'view',
});

/** Message types the server sends. */
export const SERVER = Object.freeze({
  welcome: 'welcome',
  ops: 'ops',
  metrics: 'metrics',
  forecast: 'forecast',
  ack: 'ack',
  error: 'error',
  presence: 'presence',
  transient: 'transient',
  pong: 'pong',
  // A vote closed: its dots whole, as everyone may now see them (their targets were
  // sealed for all but their authors while it was open: app/domain/secrecy.py).
  reveal: 'reveal',
});

// Server limits (app/protocol.py, app/domain/fields.py): staying under them
// means the server never has to refuse a well-meant message.
export const MAX_OPS_PER_MESSAGE = 200;
export const MAX_MOVES_PER_MESSAGE = 200;
export const MAX_TEXT = 2000;
export const MAX_NAME = 60;
export const MAX_COORD = 1_000_000;

export const PALETTE = Object.freeze([
  'yellow', 'orange', 'pink', 'red', 'green', 'teal', 'blue', 'purple', 'grey', 'white',
]);

export const CONNECTOR_KINDS = Object.freeze(['flow', 'rework', 'info']);

export const NOTE_VARIANTS = Object.freeze(['comment', 'hypothesis', 'kaizen']);

/** The eight wastes of lean, in the order app/domain/elements.py lists them. */
export const WASTES = Object.freeze([
  'defects', 'overproduction', 'waiting', 'non-utilised-talent',
  'transportation', 'inventory', 'motion', 'extra-processing',
]);

/** Server-side defaults for fields a `create` leaves out (docs/protocol.md, Element fields). */
export const DEFAULTS = Object.freeze({
  step: { x: 0, y: 0, w: 168, h: 96, text: '', color: 'yellow', wait_minutes: null,
    process_minutes: null, wait_text: null, process_text: null, pca: null, people: null, waste: [],
    walk_ready: null, walk_start: null, walk_end: null, owner: null, provenance: {} },
  inventory: { x: 0, y: 0, w: 72, h: 64, text: '', color: 'orange', count: null, provenance: {} },
  note: { x: 0, y: 0, w: 168, h: 120, text: '', color: 'pink', variant: 'comment' },
  connector: { text: '', color: 'grey', connector: 'flow', rework_rate: null, provenance: {} },
  experiment: { x: 0, y: 0, w: 240, h: 150, text: '', color: 'green', metric: 'lead_time', baseline: null,
    target: null, review: null, status: 'planned', result: '' },
});

/** What an experiment can aim to move, and how each reads. */
export const EXPERIMENT_METRICS = Object.freeze({
  lead_time: 'lead time', process_time: 'process time', activity_ratio: 'activity ratio',
  rolled_pca: 'rolled %C/A', work_content: 'work content', expected_lead_time: 'expected lead time',
});

/** Every element kind; the canvas draws the first four, the rest hang off them. */
export const KINDS = Object.freeze(['step', 'inventory', 'note', 'connector', 'comment', 'estimate', 'vote', 'dot', 'experiment']);

/**
 * @typedef {'step'|'inventory'|'note'|'connector'|'comment'|'estimate'|'vote'|'dot'|'experiment'} ElementKind
 * @typedef {'facilitator'|'participant'|'viewer'} Role
 *
 * @typedef {object} Element  One thing on the board (fields per kind; see DEFAULTS).
 * @property {string} id
 * @property {ElementKind} kind
 * @property {number} [x]
 * @property {number} [y]
 * @property {number} [w]
 * @property {number} [h]
 * @property {string} [text]
 * @property {string} [color]
 * @property {string} [source]
 * @property {string} [target]
 * @property {'flow'|'rework'|'info'} [connector]
 * @property {number|null} [rework_rate]
 * @property {number|null} [count]
 * @property {string} [variant]
 * @property {number|null} [wait_minutes]
 * @property {number|null} [process_minutes]
 * @property {string|null} [wait_text]  the wait as typed ("5d"); the server checks it says wait_minutes
 * @property {string|null} [process_text]  the process time as typed
 * @property {number|null} [pca]
 * @property {number|null} [people]
 * @property {string[]} [waste]
 * @property {string|null} [walk_ready]  example walk: local "YYYY-MM-DDTHH:MM"
 * @property {string|null} [walk_start]
 * @property {string|null} [walk_end]
 *
 * @typedef {{title?: string, scope?: string, demand_per_day?: number|null, [key: string]: unknown}} BoardFrame
 *
 * @typedef {{cid: string, op: 'create', element: Element, replaces?: string[]}} CreateOp
 * @typedef {{cid: string, op: 'update', id: string, set: Partial<Element>, source?: 'typed'|'estimate'|'measured'}} UpdateOp
 * @typedef {{cid: string, op: 'delete', id: string}} DeleteOp
 * @typedef {{cid: string, op: 'board', set: BoardFrame}} BoardOp
 * @typedef {{name?: string, color?: string}} TeamFields
 * @typedef {{cid: string, op: 'team', id: string, set?: TeamFields, remove?: boolean, at?: number}} TeamOp
 *   one team added, changed or removed; the server answers with the whole list as a `board` entry
 * @typedef {CreateOp|UpdateOp|DeleteOp|BoardOp|TeamOp} Op
 *
 * @typedef {object} Entry  An accepted operation with its place in the board's history.
 * @property {number} seq
 * @property {string|null} cid
 * @property {string} by
 * @property {string} name
 * @property {'create'|'update'|'delete'|'board'} op
 * @property {Element} [element]
 * @property {string} [id]
 * @property {Record<string, unknown>} [set]
 * @property {string[]} [removed]
 * @property {Record<string, Record<string, string>>} [retyped]  a calendar change: each range typed on the old calendar, said anew
 *
 * @typedef {{peer: string, name: string, color: string, role: Role, client?: string|null}} Peer
 * @typedef {{board: BoardFrame, elements: Element[]}} Snapshot
 * @typedef {{id: string, x: number, y: number}} Move
 *
 * @typedef {{type: 'welcome', protocol: number, you: Peer, seq: number,
 *   snapshot: Snapshot|null, missed: Entry[]|null, peers: Peer[], metrics: object|null,
 *   forecast?: object|null, now?: string|null, last_cid?: string|null}} Welcome
 * @typedef {{type: 'ops', ops: Entry[]}} OpsBroadcast
 * @typedef {{type: 'metrics', seq: number, metrics?: object|null, patch?: any[][]|null}} MetricsMessage
 * @typedef {{type: 'forecast', seq: number, forecast: object|null}} ForecastMessage
 * @typedef {{type: 'ack', cid: string, seq: number, duplicate: boolean}} Ack
 * @typedef {{type: 'error', code: string, reason: string, cid: string|null}} ErrorMessage
 * @typedef {{type: 'presence', peers: Peer[]}} Presence
 * @typedef {{type: 'transient', cursors: {peer: string, x: number|null, y: number|null}[],
 *   drags: {peer: string, moves: Move[]}[],
 *   views?: {peer: string, x: number, y: number, w: number, h: number}[]}} Transient
 * @typedef {{type: 'pong', t: number}} Pong
 * @typedef {Welcome|OpsBroadcast|MetricsMessage|ForecastMessage|Ack|ErrorMessage|Presence|Transient|Pong} ServerMessage
 */

// The name a viewer who just looks (no name typed) joins under. The hello then says `guest`
// and the server names this peer itself ("Guest", "Guest 2"...: app/hub/guests.py), so
// several people looking on are told apart; welcome's `you.name` is the name it gave.
export const GUEST = 'Guest';

/**
 * First message on every connection.
 * @param {string} name GUEST for a viewer who just looks
 * @param {number|null} since the last seq this client applied, or null when fresh
 * @param {string|null} [key] this browser's identity key (kept in its storage, never shown):
 *   the server derives the client id from it, the same across reconnects
 * @param {string|null} [sinceCid] the cid of the entry at `since`, when it had one: a server
 *   whose history there is another (restored from a backup) sends a snapshot instead
 */
export function hello(name, since, key = null, sinceCid = null) {
  /** @type {Record<string, unknown>} */
  const message = { type: CLIENT.hello, protocol: PROTOCOL_VERSION, name, since, features: [...FEATURES] };
  if (name === GUEST) message.guest = true;
  if (key) message.key = key;
  if (since !== null && sinceCid) message.since_cid = sinceCid;
  return message;
}

/**
 * The part of the canvas I see, for others to follow.
 * @param {{x: number, y: number, w: number, h: number}} rect
 */
export function viewMessage(rect) {
  return { type: CLIENT.view, x: onCanvas(rect.x), y: onCanvas(rect.y), w: rect.w, h: rect.h };
}

/**
 * A coordinate within the canvas the server takes (±MAX_COORD): a pointer panned further
 * out is sent at the edge, not refused.
 * @param {number} v
 */
function onCanvas(v) {
  return Math.max(-MAX_COORD, Math.min(MAX_COORD, v));
}

/** @param {Op[]} ops 1..MAX_OPS_PER_MESSAGE operations, each with a cid */
export function opsMessage(ops) {
  return { type: CLIENT.ops, ops };
}

/** @param {Move[]} moves live positions while dragging; not stored */
export function dragMessage(moves) {
  return { type: CLIENT.drag, moves };
}

/** @param {number|null} x @param {number|null} y canvas coordinates, or both null to hide */
export function cursorMessage(x, y) {
  return { type: CLIENT.cursor, x: x === null ? null : onCanvas(x), y: y === null ? null : onCanvas(y) };
}

/** @param {number} t */
export function ping(t) {
  return { type: CLIENT.ping, t };
}

/**
 * Parse one server frame; null for anything that is not a known message.
 * @param {string} raw
 * @returns {ServerMessage|null}
 */
export function parseServerMessage(raw) {
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object' || !Object.values(SERVER).includes(data.type)) return null;
  return /** @type {ServerMessage} */ (data);
}
