// @ts-check
/**
 * The board page: builds the pieces and wires them together. Behaviour lives
 * in the modules; this file only decides who talks to whom.
 *
 * The page (app/templates/board.html) carries data-board-id, data-title,
 * data-role and data-protocol-version on <body>; the link token is in the URL.
 */

import { PROTOCOL_VERSION } from './protocol.js';
import { Editor } from './editor.js';
import { BoardModel } from './model/board.js';
import { opensField } from './model/boxes.js';
import { bounds, connectorPath, rectOf } from './model/geometry.js';
import { cidFactory, elementId, isOwnCid } from './model/ids.js';
import { frameLayout } from './model/frame-layout.js';
import { RUNG_GAP, ladderLayout } from './model/ladder.js';
import { LivePositions } from './model/live.js';
import { PendingStore } from './model/pending-store.js';
import { browserStorage, rememberBoard } from './model/recent-boards.js';
import { BoardApi } from './net/api.js';
import { Session } from './net/session.js';
import { ReconnectingSocket } from './net/socket.js';
import { ConnectTool } from './canvas/connect.js';
import { Cursors } from './canvas/cursors.js';
import { FrameLayer } from './canvas/frame-layer.js';
import { FarLayer } from './canvas/far-layer.js';
import { MetricsLayer } from './canvas/metrics-layer.js';
import { LanesLayer } from './canvas/lanes-layer.js';
import { OwnerMarks } from './canvas/owner-marks.js';
import { LANE_LABEL_W, laneBands } from './model/lanes.js';
import { OwnerPicker } from './ui/owner-picker.js';
import { TeamsSettings, teamsOf } from './ui/teams.js';
import { Renderer } from './canvas/render.js';
import { createScene } from './canvas/scene.js';
import { SelectTool } from './canvas/select.js';
import { TextEdit } from './canvas/text-edit.js';
import { Viewport } from './canvas/viewport.js';
import { ContextBar } from './ui/context-bar.js';
import { Inspector } from './ui/inspector.js';
import { WhatIfSection } from './ui/what-if.js';
import { Legend } from './ui/legend.js';
import { MapPanel } from './ui/map-panel.js';
import { showBoardGone } from './ui/delete-board.js';
import { bindShortcuts } from './ui/keyboard.js';
import { askName, storeName, storedName } from './ui/name-dialog.js';
import { PresenceList } from './ui/presence.js';
import { StatusPill } from './ui/status.js';
import { Toasts } from './ui/toast.js';
import { TotalsPanel } from './ui/totals.js';
import { SessionBar } from './ui/session-bar.js';
import { CommentsSection } from './ui/comments.js';
import { VotePanel } from './ui/votes.js';
import { Badges, badgeModel } from './canvas/badges.js';
import { bindTimerDialog } from './ui/timer-dialog.js';
import { bindShareDialog } from './ui/share-dialog.js';
import { TidyPreview } from './ui/tidy-preview.js';
import { createExportMenu } from './ui/export-menu.js';
import { whomToFollow } from './model/follow.js';
import { Controls } from './ui/toolbar.js';
import { ToolbarOverflow } from './ui/overflow.js';
import { ValidationPanel } from './ui/validation-panel.js';
import { byId } from './util/dom.js';

/** @typedef {import('./protocol.js').Role} Role */

// Running the session (lock, timer, presenting) is not an edit of the map: no undo for it.
const SESSION_OP = { record: false };
// A future-state map asks for the comparison this long after its metrics settle.
const COMPARE_DEBOUNCE_MS = 300;
// A published map asks whether it still says what was published this long after edits settle:
// each ask loads and compares a version on the server, and a dozen pages ask.
const CHANGED_SINCE_DEBOUNCE_MS = 2000;
// What the ladder's labels and totals need beyond its rungs, to fit it all on screen.
const LADDER_BELOW = 64;
const LADDER_TOTALS_WIDTH = 240;
// Below this width the panels sit at the bottom (board.css) and the map gets the whole width.
const WIDE_ENOUGH_FOR_PANELS = 720;
/** @type {Record<string, string>} */
const ROLE_LABEL = { facilitator: 'Facilitator', participant: 'Participant', viewer: 'View only' };
/** @type {Record<string, string>} the board's state after the workshop; 'mapping' shows no badge */
const STATE_LABEL = { mapping: 'Mapping', published: 'Published', validated: 'Validated' };

const page = document.body.dataset;
const boardId = page.boardId ?? '';
const token = new URLSearchParams(location.search).get('token') ?? '';
const api = new BoardApi({ boardId, token });
const storage = browserStorage();
const toasts = new Toasts(byId('toasts'));
const notify = (/** @type {string} */ m) => toasts.show(m, { kind: 'error' });
const hint = (/** @type {string} */ m) => toasts.show(m);

const model = new BoardModel();
const live = new LivePositions();
const store = new PendingStore(storage, boardId);
// A viewer never sends, so it must not adopt another tab's unsent edits.
const identity = storedIdentity();
const clientId = identity.client;
const nextCid = cidFactory(clientId);
// An older page may have left edits under ids that are not this client's: they get new ones.
if (page.role !== 'viewer') {
  for (const op of store.load()) model.addPending(isOwnCid(op.cid, clientId) ? op : { ...op, cid: nextCid() });
}
let name = storedName(storage) ?? '';
/** Following: a peer this page chose, and the presenter it stopped following. */
const follow = { chosen: /** @type {string|null} */ (null), leftPresenter: '' };
/** @type {string|null} the selected element last brought into view */
let revealed = null;
/** @type {{x: number, y: number, w: number, h: number}|null} the view last told to peers */
let sentView = null;

const socket = new ReconnectingSocket({
  url: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/boards/${encodeURIComponent(boardId)}?token=${encodeURIComponent(token)}`,
  onOpen: () => session.opened(),
  onMessage: (data) => session.received(data),
  onState: (state) => session.socketChanged(state),
  onRefused: linkRefused,
  onGone: showBoardGone,
});
const session = new Session({
  model, live, store, transport: socket, name: () => name, key: identity.key,
  role: /** @type {Role} */ (page.role ?? 'viewer'),
  hooks: {
    changed: () => editor.requestRender(),
    status: () => editor.requestRender(),
    peers: (peers, you) => {
      presence.render(peers, you, followed());
      cursors.setPeers(peers);
      editor.requestRender();
    },
    views: () => editor.requestRender(),
    cursors: (list) => cursors.update(list),
    welcomed: (you, first) => {
      if (first) {
        totals.render(model.metrics, stepNames(editor.elements())); // it takes room the fit must leave
        viewport.fit(contentBounds(), { animate: false });
      }
      showRole(you.role);
      rememberBoard(storage, { id: boardId, title: boardTitle(), role: you.role, url: location.href }, Date.now());
    },
    notify,
  },
});

const scene = createScene(byId('stage'));
const editor = new Editor({ model, live, session, nextCid, notify: hint });
const viewport = new Viewport(scene, () => editor.requestRender(), panelInsets);
const renderer = new Renderer(scene);
const overlay = byId('overlay');
const textEdit = new TextEdit({ host: overlay, viewport, editor });
const connect = new ConnectTool({ scene, viewport, editor,
  hints: { show: hint, dismiss: (m) => toasts.dismiss(m) } });
const select = new SelectTool({ scene, viewport, editor, session, connect, textEdit, inspect });
const metricsLayer = new MetricsLayer(scene);
const frameLayer = new FrameLayer(scene);
const farLayer = new FarLayer(scene);
const lanesLayer = new LanesLayer(scene, { bands: laneBands, labelWidth: LANE_LABEL_W });
const ownerMarks = new OwnerMarks(scene);
/** How this person looks at the map (kept in this browser): presentation view, others' pointers. */
const look = { far: false, cursors: true, ...readLook() };
const comments = new CommentsSection({
  create: (element) => editor.apply([{ op: 'create', element }]),
  remove: (id) => editor.apply([{ op: 'delete', id }]),
  canEdit: () => editor.canEdit,
  you: () => ({ client: clientId, facilitator: session.role === 'facilitator' }),
});
const inspector = new Inspector(byId('inspector'), {
  update: (id, set, source) => editor.update(id, set, source),
  canEdit: () => editor.canEdit,
  client: () => clientId,
  estimate: (target, field, minutes) => {
    const mine = [...model.view().elements.values()].find((e) => e.kind === 'estimate'
      && /** @type {any} */ (e).target === target && /** @type {any} */ (e).field === field
      && /** @type {any} */ (e).author_id === clientId);
    if (mine) editor.update(mine.id, { minutes });
    else if (minutes !== null) editor.apply([{ op: 'create', element: { id: elementId('estimate'), kind: 'estimate', target, field, minutes } }]);
  },
}, comments, new WhatIfSection({
  api, canEdit: () => editor.canEdit, notify: (message) => hint(message),
  makeExperiment: (card) => editor.addElement('experiment', viewport.center(), { metric: 'lead_time', ...card }),
  canStartFuture: () => session.role === 'facilitator', startFuture,
}), new OwnerPicker({ teams: () => teamsOf(model.view().frame), apply: (edits) => editor.apply(edits),
  canEdit: () => editor.canEdit, canAddTeams: () => session.role === 'facilitator' }));
const badges = new Badges(scene, { takeBack: (id) => editor.apply([{ op: 'delete', id }], SESSION_OP) });
const votePanel = new VotePanel(byId('vote-panel'), /** @type {HTMLDialogElement} */ (byId('vote-dialog')), {
  start: (text, dots) => editor.apply([{ op: 'create', element: { id: elementId('vote'), kind: 'vote', text, dots } }], SESSION_OP),
  setOpen: (id, open) => editor.apply([{ op: 'update', id, set: { open } }], SESSION_OP),
  remove: (id) => editor.apply([{ op: 'delete', id }], SESSION_OP),
  canEdit: () => editor.canEdit,
  facilitator: () => session.role === 'facilitator',
});
// While a vote is open, a click on a step or note places a dot there instead of selecting it.
scene.root.addEventListener('pointerdown', (e) => {
  if (!votePanel.placing || e.button !== 0 || !votePanel.vote) return;
  const id = /** @type {Element} */ (e.target).closest('[data-id]')?.getAttribute('data-id');
  const el = id ? editor.elements().get(id) : undefined;
  if (!el || (el.kind !== 'step' && el.kind !== 'note')) return;
  e.stopPropagation();
  e.preventDefault();
  editor.apply([{ op: 'create', element: { id: elementId('dot'), kind: 'dot', vote: votePanel.vote.id, target: el.id } }], SESSION_OP);
}, { capture: true });
const totals = new TotalsPanel(byId('totals'), { focus: showElement, calendar: () => editor.calendar() });
const tidyPreview = new TidyPreview({
  scene, bar: byId('tidy-bar'), elements: () => editor.elements(), notify: hint,
  fetchPlan: () => fetchTidyPlan(),
  // One batch: one change for everyone, one step to undo.
  apply: (ops) => editor.apply(/** @type {import('./commands/history.js').Edit[]} */ (ops)),
});
const sessionBar = new SessionBar(byId('session-bar'), {
  stopFollowing: stopFollowing,
  stopPresenting: () => editor.apply([{ op: 'board', set: { presenter: '' } }], SESSION_OP),
});
const mapPanel = new MapPanel(byId('map-panel'), {
  save: (set) => editor.apply([{ op: 'board', set }]),
  canEdit: () => editor.canEdit && session.role === 'facilitator',
  startFuture,
  notify: hint,
  api,
  teams: new TeamsSettings({ apply: (edits) => editor.apply(/** @type {any} */ (edits)), elements: () => editor.elements(),
    fetchPlan: () => fetchTidyPlan(true), notify: hint }),
});
const cursors = new Cursors(byId('cursors'), viewport);
const presence = new PresenceList(byId('presence'), rename, (peer) => {
  if (follow.chosen === peer || followed() === peer) stopFollowing();
  else follow.chosen = peer;
  editor.requestRender();
});
const statusPill = new StatusPill(byId('status'));
const contextBar = new ContextBar(overlay, {
  color: (c) => editor.setColor(editor.selection, c),
  kind: (k) => editor.selection.size === 1 && editor.setConnectorKind([...editor.selection][0], k),
  remove: () => editor.remove([...editor.selection]),
  arrange: (how) => editor.arrange(how),
  next: addNextStep,
});
const legend = new Legend(byId('legend-dialog'));
const validationPanel = new ValidationPanel({ api, notify: hint, storage, calendar: () => editor.calendar() });
const exportMenu = createExportMenu(document.body, { boardId, token });
const controls = new Controls(document.body, {
  'add-step': () => addStep(viewport.center()),
  'add-inventory': () => addElement('inventory', viewport.center()),
  'add-note': () => addElement('note', viewport.center()),
  'add-experiment': () => addExperiment(viewport.center()),
  vote: () => /** @type {HTMLDialogElement} */ (byId('vote-dialog')).showModal(),
  share: () => /** @type {HTMLDialogElement} */ (byId('share-dialog')).showModal(),
  validation: () => validationPanel.open(),
  tidy: () => tidyPreview.open(),
  lock: () => editor.apply([{ op: 'board', set: { locked: !model.view().frame.locked } }], SESSION_OP),
  timer: () => /** @type {HTMLDialogElement} */ (byId('timer-dialog')).showModal(),
  present: () => editor.apply([{ op: 'board', set: { presenter: presenting() ? '' : clientId } }], SESSION_OP),
  'map-settings': () => {
    editor.select([]);
    mapPanel.toggle();
  },
  connect: () => {
    const one = editor.single();
    if (one && one.kind !== 'connector') connect.startKeys(one.id);
  },
  undo: () => editor.undo(),
  redo: () => editor.redo(),
  help: () => /** @type {HTMLDialogElement} */ (byId('help-dialog')).showModal(),
  legend: () => legend.open(),
  export: () => exportMenu.open(),
  'zoom-in': () => viewport.zoomStep(1),
  'zoom-out': () => viewport.zoomStep(-1),
  'zoom-reset': () => viewport.zoomReset(),
  'zoom-fit': fit,
  'far-view': () => changeLook({ far: !look.far }),
  cursors: () => changeLook({ cursors: !look.cursors }),
}, () => overflow.fit());
const overflow = new ToolbarOverflow(byId('toolbar'), [byId('presence')]);

editor.onFrame((elements) => {
  const calendar = editor.calendar();
  renderer.render(elements, editor.renderState(), { calendar, estimates: model.metrics?.estimates,
    measured: model.metrics?.measured });
  metricsLayer.render(model.metrics, elements, calendar);
  lanesLayer.render(model.view().frame, elements, viewport.k);
  ownerMarks.render(model.view().frame, elements, model.metrics);
  frameLayer.render(model.view().frame, model.metrics, elements);
  farLayer.render(look.far, elements, viewport.k, model.metrics, calendar);
  connect.render(elements);
  select.resize.render(elements);
  textEdit.render(elements);
  cursors.render();
  const idle = editor.canEdit && !editor.editing && !editor.dragging.size && !editor.connecting && !select.busy;
  const selected = [...editor.selection].map((id) => elements.get(id)).filter((el) => el !== undefined);
  contextBar.render(selected, idle ? selectionBox(selected, elements) : null, viewport.size);
  const one = editor.single();
  if (one && mapPanel.isOpen) mapPanel.close(); // one panel on the right at a time
  inspector.render(one, model.metrics, calendar, model.view().elements);
  if (!editor.dragging.size) revealSelection(one);
  const marks = badgeModel(model.view().elements, clientId); // comments and dots, once a frame
  badges.render(marks, elements);
  scene.root.classList.toggle('is-voting', votePanel.placing);
  votePanel.render(marks, shapeNames(elements), session.peers.filter((p) => p.role !== 'viewer').length);
  mapPanel.render(model.view().frame);
  followAndTell();
  compareWithCurrent();
  sessionBar.render({ frame: model.view().frame, skew: session.clockSkew, role: session.role,
    following: nameOf(followed()), presenting: presenting() });
  totals.showForecast(model.forecast);
  totals.render(model.metrics, stepNames(elements));
  controls.update({ canEdit: editor.canEdit, canUndo: editor.history.canUndo, canRedo: editor.history.canRedo,
    zoom: viewport.k, connectable: Boolean(one && one.kind !== 'connector'),
    facilitator: session.role === 'facilitator', locked: Boolean(model.view().frame.locked), presenting: presenting(),
    far: look.far, cursors: look.cursors });
  showTitle();
  showState(model.view().frame.state);
  checkChangedSince();
  statusPill.show(session.status, model.pending.length);
});

select.attach();
bindShareDialog(/** @type {HTMLDialogElement} */ (byId('share-dialog')), {
  api, role: page.role ?? 'viewer', current: location.href, notify: hint,
  // Our own link was replaced: carry on with the new one (the old is refused from now on).
  moved: (link) => location.assign(link),
});
bindTimerDialog(/** @type {HTMLDialogElement} */ (byId('timer-dialog')), {
  start: (seconds, label) => editor.apply([{ op: 'board', set: { timer_seconds: seconds, timer_label: label } }], SESSION_OP),
  stop: () => editor.apply([{ op: 'board', set: { timer_seconds: null } }], SESSION_OP),
});
bindShortcuts({ editor, select, connect, textEdit, viewport, fit,
  addStep: () => addStep(select.pointer ?? viewport.center()),
  addNextStep,
  addInventory: () => addElement('inventory', select.pointer ?? viewport.center()),
  farView: () => changeLook({ far: !look.far }),
  inspect: () => {
    const one = editor.single();
    // A step's first figure; for the rest, what a double-click opens (a note: its text).
    if (one) inspect(one.id, one.kind === 'step' ? 'wait_minutes' : opensField(one) ?? 'text');
  },
  help: () => /** @type {HTMLDialogElement} */ (byId('help-dialog')).showModal() });
window.addEventListener('online', () => session.refreshStatus());
window.addEventListener('offline', () => session.refreshStatus());
window.addEventListener('resize', () => editor.requestRender());
window.addEventListener('beforeunload', (e) => {
  if (model.pending.length && session.canEdit) {
    e.preventDefault();
    e.returnValue = ''; // older browsers need it set to ask
  }
});
exposeDebugHook();
changeLook({});
showRole(session.role);
viewport.fit(null, { animate: false });
if (Number(page.protocolVersion ?? PROTOCOL_VERSION) !== PROTOCOL_VERSION) {
  notify('Flowmap was updated. Reload the page to keep working safely.');
}
start();

async function start() {
  if (!name) {
    name = (await askName(/** @type {HTMLDialogElement} */ (byId('name-dialog')), { required: true })) ?? 'Guest';
    storeName(storage, name);
  }
  socket.start();
}

async function rename() {
  const next = await askName(/** @type {HTMLDialogElement} */ (byId('name-dialog')), { initial: name });
  if (!next || next === name) return;
  name = next;
  storeName(storage, name);
  socket.restart(); // the name travels in hello
}

/** @param {import('./model/geometry.js').Point} at where the new step's centre is wanted (it goes to the nearest free spot) */
function addStep(at) {
  if (!editor.canEdit) return;
  textEdit.start(editor.addStep(at), { isNew: true });
}

/** The step after the selected step, joined to it by an arrow, ready to name. */
function addNextStep() {
  const one = editor.single();
  const id = one ? editor.addNextStep(one.id) : null;
  if (!id) return;
  const placed = editor.elements().get(id);
  if (placed) viewport.reveal(rectOf(placed));
  textEdit.start(id, { isNew: true });
}

/**
 * @param {'inventory'|'note'} kind
 * @param {import('./model/geometry.js').Point} at
 */
function addElement(kind, at) {
  if (!editor.canEdit) return;
  const id = editor.addElement(kind, { x: Math.round(at.x), y: Math.round(at.y) });
  if (kind === 'note') textEdit.start(id, { isNew: true });
  else inspect(id, 'count');
}

/**
 * A new experiment card, its baseline taken from the map as it is now.
 * @param {import('./model/geometry.js').Point} at
 */
function addExperiment(at) {
  if (!editor.canEdit) return;
  const baseline = model.metrics?.lead_time_minutes ?? null;
  const id = editor.addElement('experiment', { x: Math.round(at.x), y: Math.round(at.y) },
    { metric: 'lead_time', baseline: baseline || null });
  inspect(id, 'text');
}

/**
 * Open one figure of an element in the side panel, caret in it.
 * @param {string} id
 * @param {string} field
 */
function inspect(id, field) {
  const el = editor.elements().get(id);
  if (!el) return;
  editor.select([id]);
  inspector.render(el, model.metrics, editor.calendar(), model.view().elements);
  inspector.focusField(field);
}

/**
 * Select a step and bring it into view (from the totals panel's lists).
 * @param {string} id
 */
function showElement(id) {
  const el = editor.elements().get(id);
  if (!el) return;
  editor.select([id]);
  viewport.reveal(rectOf(el));
}

/** @param {Map<string, import('./protocol.js').Element>} elements */
function shapeNames(elements) {
  const names = new Map();
  for (const el of elements.values()) if (el.kind === 'step' || el.kind === 'note') names.set(el.id, el.text ?? '');
  return names;
}

/** @param {Map<string, import('./protocol.js').Element>} elements */
function stepNames(elements) {
  const names = new Map();
  for (const el of elements.values()) if (el.kind === 'step') names.set(el.id, el.text ?? '');
  return names;
}

/**
 * How tidy up would lay the map out (GET …/tidy); `lanes`: in swimlanes, for switching them on.
 * @param {boolean} [lanes]
 */
async function fetchTidyPlan(lanes = false) {
  return api.get('/tidy', lanes ? { swimlanes: 'true' } : undefined);
}

/** Start a future-state map from this one and open it in a new tab. */
/** @param {{step: string, change: string}} [tried] a what-if the new map starts with */
async function startFuture(tried) {
  const answer = await api.send('POST', '/future', { query: tried });
  if (!answer.ok) {
    notify(`Could not start the future-state map (${answer.status})`);
    return;
  }
  const { links } = answer.data;
  hint('Future-state map started: it opens in a new tab.');
  window.open(links.facilitator, '_blank', 'noopener');
}

/** On a future-state map: fetch the comparison with the current state when our metrics change. */
let comparedMetrics = /** @type {object|null} */ (null);
let compareTimer = 0;
function compareWithCurrent() {
  if (!model.view().frame.future_of || model.metrics === comparedMetrics) return;
  comparedMetrics = model.metrics;
  clearTimeout(compareTimer);
  compareTimer = window.setTimeout(async () => {
    try {
      const comparison = await api.get('/compare');
      if (!comparison) return;
      const first = !totals.comparison;
      totals.compare({ ...comparison, calendar: editor.calendar() });
      if (first) fit(); // the panel widened to compare: the map moves out from under it
    } catch {
      // Offline for a moment: the next change asks again.
    }
  }, COMPARE_DEBOUNCE_MS);
}

/**
 * This browser's identity, kept in its storage: the same person across reloads and
 * reconnects. The key is its secret (the server derives the client id from it); a
 * browser without one adopts the identity the server minted into this page.
 * @returns {{client: string, key: string}}
 */
function storedIdentity() {
  const slot = 'flowmap.identity';
  try {
    const saved = JSON.parse(storage?.getItem(slot) ?? 'null');
    if (typeof saved?.client === 'string' && typeof saved?.key === 'string' && saved.key) return saved;
  } catch { /* unreadable: start afresh */ }
  const minted = { client: page.client ?? '', key: page.key ?? '' };
  storage?.setItem(slot, JSON.stringify(minted));
  storage?.removeItem('flowmap.client'); // the declared id of older pages proves nothing
  return minted;
}

/** @returns {Partial<typeof look>} */
function readLook() {
  try {
    const saved = JSON.parse(storage?.getItem('flowmap.look') ?? '{}');
    return { far: saved?.far === true, cursors: saved?.cursors !== false };
  } catch {
    return {};
  }
}

/** @param {Partial<typeof look>} change */
function changeLook(change) {
  Object.assign(look, change);
  storage?.setItem('flowmap.look', JSON.stringify(look));
  byId('cursors').hidden = !look.cursors;
  editor.requestRender();
}

function presenting() {
  return Boolean(clientId) && model.view().frame.presenter === clientId;
}

/** The peer whose view this page follows now, if any. */
function followed() {
  return whomToFollow({ chosen: follow.chosen, presenter: String(model.view().frame.presenter ?? ''),
    leftPresenter: follow.leftPresenter, peers: session.peers, you: session.you });
}

function stopFollowing() {
  follow.chosen = null;
  follow.leftPresenter = String(model.view().frame.presenter ?? '');
  editor.requestRender();
}

/** @param {string|null} peer */
function nameOf(peer) {
  return peer ? session.peers.find((p) => p.peer === peer)?.name ?? 'someone' : null;
}

/** Follow whoever we follow; tell the others what we see when it changed. */
function followAndTell() {
  const leader = followed();
  const target = leader ? session.views.get(leader) : undefined;
  if (target) viewport.show(target);
  if (leader !== presence.followed) presence.render(session.peers, session.you, leader);
  const seen = viewport.visible();
  if (!sentView || ['x', 'y', 'w', 'h'].some((k) => Math.abs(sentView[k] - seen[k]) > 0.5)) {
    sentView = seen;
    session.view(seen);
  }
}

function fit() {
  viewport.fit(contentBounds());
}

/**
 * The screen the panels cover (the totals on the left, the top bar, an open side panel
 * on the right), so fitting and revealing the selection leave it free.
 */
function panelInsets() {
  const totalsPanel = byId('totals');
  const top = byId('toolbar').getBoundingClientRect().bottom;
  if (window.innerWidth < WIDE_ENOUGH_FOR_PANELS) return { left: 0, top };
  const left = totalsPanel.hidden ? 0 : totalsPanel.getBoundingClientRect().right;
  const open = [byId('inspector'), byId('map-panel')].filter((panel) => !panel.hidden);
  const right = Math.max(0, ...open.map((panel) => window.innerWidth - panel.getBoundingClientRect().left));
  return { left, top, right };
}

/**
 * A newly selected element that an open panel covers is brought into the free
 * part of the screen: nobody types into a step they cannot see.
 * @param {import('./protocol.js').Element|null} one the single selected element
 */
function revealSelection(one) {
  const id = one?.id ?? null;
  if (id === revealed) return;
  revealed = id;
  if (one && one.kind !== 'connector' && !followed()) viewport.reveal(rectOf(one));
}

/** The elements, plus the ladder and its totals under them. */
function contentBounds() {
  const elements = editor.elements();
  const box = bounds(elements.values());
  const frame = frameLayout(model.view().frame, model.metrics, elements);
  if (!box) return frame?.bounds ?? null; // before the first step: the frame and its lane
  const ladder = ladderLayout(model.metrics, elements, editor.calendar());
  const boxes = [box];
  if (ladder) boxes.push({ x: ladder.x0, y: ladder.top, w: ladder.x1 + LADDER_TOTALS_WIDTH - ladder.x0, h: RUNG_GAP + LADDER_BELOW });
  if (frame) boxes.push(frame.bounds);
  const lanes = lanesLayer.bounds(model.view().frame, elements);
  if (lanes) boxes.push(lanes);
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.w));
  const y1 = Math.max(...boxes.map((b) => b.y + b.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * The selection's box on screen (an arrow's is its label point).
 * @param {import('./protocol.js').Element[]} selected
 * @param {Map<string, import('./protocol.js').Element>} elements
 */
function selectionBox(selected, elements) {
  const boxes = selected.map((el) => {
    if (el.kind !== 'connector') return rectOf(el);
    const a = elements.get(el.source ?? '');
    const b = elements.get(el.target ?? '');
    if (!a || !b) return null;
    const { mid } = connectorPath(rectOf(a), rectOf(b), el.connector);
    return { x: mid.x, y: mid.y, w: 0, h: 0 };
  }).filter((r) => r !== null);
  if (!boxes.length) return null;
  const x0 = Math.min(...boxes.map((r) => r.x));
  const y0 = Math.min(...boxes.map((r) => r.y));
  const x1 = Math.max(...boxes.map((r) => r.x + r.w));
  const y1 = Math.max(...boxes.map((r) => r.y + r.h));
  const p = viewport.toScreen({ x: x0, y: y0 });
  return { x: p.x, y: p.y, w: (x1 - x0) * viewport.k, h: (y1 - y0) * viewport.k };
}

function boardTitle() {
  const title = model.view().frame.title;
  return typeof title === 'string' && title ? title : page.title ?? 'Untitled board';
}

function showTitle() {
  const title = boardTitle();
  const heading = byId('board-title');
  if (heading.textContent !== title) {
    heading.textContent = title;
    heading.title = title;
    document.title = `${title} · Flowmap`;
  }
}

/** Whether the map says something else than its latest published version (GET …/versions). */
const sinceVersion = { changed: false, seq: -1, timer: 0 };

/**
 * The board's state (published, validated) as a badge beside the role; "changed since"
 * when the map no longer says what was published (and validated).
 * @param {unknown} state
 */
function showState(state) {
  const value = typeof state === 'string' ? state : 'mapping';
  const changed = value !== 'mapping' && sinceVersion.changed;
  const text = `${STATE_LABEL[value] ?? value}${changed ? ' · changed since' : ''}`;
  const badge = byId('state-badge');
  if (badge.dataset.state === value && badge.textContent === text) return;
  if (badge.dataset.state !== value || !badge.textContent) validationPanel.stateChanged(value);
  badge.dataset.state = value;
  badge.dataset.changed = String(changed);
  badge.textContent = text;
  badge.title = changed ? `The map has changed since it was ${value}: publish a new version to have it ${value === 'validated' ? 'validated' : 'checked'} again` : '';
  badge.hidden = value === 'mapping';
}

/** After edits to a published map, ask (once they settle) whether it still says what was published. */
function checkChangedSince() {
  if (model.view().frame.state === 'mapping' || model.seq === sinceVersion.seq) return;
  sinceVersion.seq = model.seq;
  clearTimeout(sinceVersion.timer);
  sinceVersion.timer = window.setTimeout(async () => {
    try {
      sinceVersion.changed = Boolean((await api.get('/versions')).changed_since_latest);
      editor.requestRender();
    } catch {
      // Offline for a moment: the next change asks again.
    }
  }, CHANGED_SINCE_DEBOUNCE_MS);
}

/** @param {Role} role */
function showRole(role) {
  const badge = byId('role-badge');
  badge.textContent = ROLE_LABEL[role] ?? role;
  badge.dataset.role = role;
  document.body.dataset.role = role;
  editor.requestRender();
}

/** The handshake failed: a wrong or revoked link stops here instead of retrying forever. */
async function linkRefused() {
  if (!(await api.refusesLink())) return false; // unreachable, or refused for a moment: keep trying
  byId('fatal').hidden = false;
  return true;
}

/** Read-only state for tests and the console: window.flowmap. */
function exposeDebugHook() {
  const hook = {
    get status() { return session.status; },
    elements() { return [...editor.elements().values()].map((el) => structuredClone(el)); },
    get seq() { return model.seq; },
    get pendingCount() { return model.pending.length; },
    get role() { return session.role; },
    get you() { return session.you ? { ...session.you } : null; },
    peers() { return session.peers.map((p) => ({ ...p })); },
    selection() { return [...editor.selection]; },
    get zoom() { return viewport.k; },
    visible() { return viewport.visible(); },
    get following() { return followed(); },
    get connecting() { return Boolean(editor.connecting); },
  };
  Object.defineProperty(window, 'flowmap', { value: Object.freeze(hook), enumerable: true });
}
