// @ts-check
/**
 * The board page: builds the pieces and wires them together, in dependency
 * order. Behaviour lives in the modules (controllers/ for the page's own
 * behaviour, net/api.js for every HTTP call); this file only decides who talks
 * to whom.
 *
 * The page (app/templates/board.html) carries data-board-id, data-title,
 * data-role, data-client, data-key and data-protocol-version on <body>; the
 * link token is in the URL.
 */

import { PROTOCOL_VERSION } from './protocol.js';
import { Editor } from './editor.js';
import { BoardModel } from './model/board.js';
import { adoptOps, cidFactory } from './model/ids.js';
import { storedIdentity } from './model/identity.js';
import { LivePositions } from './model/live.js';
import { LANE_LABEL_W, laneBands } from './model/lanes.js';
import { namesOf } from './model/names.js';
import { PendingStore } from './model/pending-store.js';
import { browserStorage, rememberBoard } from './model/recent-boards.js';
import { BoardApi } from './net/api.js';
import { Session } from './net/session.js';
import { ReconnectingSocket } from './net/socket.js';
import { Badges } from './canvas/badges.js';
import { ConnectTool } from './canvas/connect.js';
import { Cursors } from './canvas/cursors.js';
import { FarLayer } from './canvas/far-layer.js';
import { FrameLayer } from './canvas/frame-layer.js';
import { LanesLayer } from './canvas/lanes-layer.js';
import { MetricsLayer } from './canvas/metrics-layer.js';
import { OwnerMarks } from './canvas/owner-marks.js';
import { Renderer } from './canvas/render.js';
import { createScene } from './canvas/scene.js';
import { SelectTool } from './canvas/select.js';
import { TextEdit } from './canvas/text-edit.js';
import { Viewport } from './canvas/viewport.js';
import { exposeDebugHook } from './controllers/debug-hook.js';
import { Estimates } from './controllers/estimates.js';
import { Following } from './controllers/follow.js';
import { frameDrawer } from './controllers/frame.js';
import { Framing, panelInsets } from './controllers/framing.js';
import { FutureState } from './controllers/future.js';
import { Header } from './controllers/header.js';
import { LookControl } from './controllers/look.js';
import { Naming } from './controllers/naming.js';
import { Placement } from './controllers/placement.js';
import { Running } from './controllers/running.js';
import { Voting } from './controllers/votes.js';
import { CommentsSection } from './ui/comments.js';
import { ContextBar } from './ui/context-bar.js';
import { showBoardGone, showLinkRefused } from './ui/delete-board.js';
import { createExportMenu } from './ui/export-menu.js';
import { Inspector } from './ui/inspector.js';
import { bindShortcuts } from './ui/keyboard.js';
import { Legend } from './ui/legend.js';
import { MapPanel } from './ui/map-panel.js';
import { ToolbarOverflow } from './ui/overflow.js';
import { OwnerPicker } from './ui/owner-picker.js';
import { SessionBar } from './ui/session-bar.js';
import { bindShareDialog } from './ui/share-dialog.js';
import { StatusPill } from './ui/status.js';
import { TeamsSettings, teamsOf } from './ui/teams.js';
import { TidyPreview } from './ui/tidy-preview.js';
import { bindTimerDialog } from './ui/timer-dialog.js';
import { Toasts } from './ui/toast.js';
import { Controls } from './ui/toolbar.js';
import { TotalsPanel } from './ui/totals.js';
import { ValidationPanel } from './ui/validation-panel.js';
import { WhatIfSection } from './ui/what-if.js';
import { byId } from './util/dom.js';

/** @typedef {import('./protocol.js').Role} Role */

const dialog = (/** @type {string} */ id) => /** @type {HTMLDialogElement} */ (byId(id));
const page = document.body.dataset;
const boardId = page.boardId ?? '';
const api = new BoardApi({ boardId, token: new URLSearchParams(location.search).get('token') ?? '' });
const storage = browserStorage();
const toasts = new Toasts(byId('toasts'));
const notify = (/** @type {string} */ m) => toasts.show(m, { kind: 'error' });
const hint = (/** @type {string} */ m) => toasts.show(m);

const model = new BoardModel();
const live = new LivePositions();
const store = new PendingStore(storage, boardId);
const { client: clientId, key } = storedIdentity(storage, { client: page.client ?? '', key: page.key ?? '' });
const nextCid = cidFactory(clientId);
// A viewer never sends, so it must not adopt another tab's unsent edits.
if (page.role !== 'viewer') for (const op of adoptOps(store.load(), clientId, nextCid)) model.addPending(op);
const naming = new Naming({ storage, dialog: dialog('name-dialog'), restart: () => socket.restart() });

// The socket and the session call back into the parts built below: none of them
// calls before socket.start(), at the end of this file.
const socket = new ReconnectingSocket({
  url: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/boards/${encodeURIComponent(boardId)}?token=${encodeURIComponent(api.token)}`,
  onOpen: () => session.opened(),
  onMessage: (data) => session.received(data),
  onState: (state) => session.socketChanged(state),
  onRefused: async () => (await api.refusesLink()) && showLinkRefused(),
  onGone: showBoardGone,
});
const session = new Session({
  model, live, store, transport: socket, name: () => naming.name, key,
  role: /** @type {Role} */ (page.role ?? 'viewer'),
  hooks: {
    changed: () => editor.requestRender(),
    status: () => editor.requestRender(),
    peers: (peers, you) => {
      following.peersChanged(peers, you);
      cursors.setPeers(peers);
      editor.requestRender();
    },
    views: () => editor.requestRender(),
    cursors: (list) => cursors.update(list),
    welcomed: (you, first) => {
      if (first) {
        totals.render(model.metrics, namesOf(editor.elements(), ['step'])); // it takes room the fit must leave
        framing.fit({ animate: false });
      }
      header.showRole(you.role);
      rememberBoard(storage, { id: boardId, title: header.title(), role: you.role, url: location.href }, Date.now());
    },
    notify,
  },
});

const scene = createScene(byId('stage'));
const editor = new Editor({ model, live, session, nextCid, notify: hint });
const render = () => editor.requestRender();
const viewport = new Viewport(scene, render, panelInsets);
const renderer = new Renderer(scene, viewport);
const overlay = byId('overlay');
const textEdit = new TextEdit({ host: overlay, viewport, editor });
const connect = new ConnectTool({ scene, viewport, editor, hints: { show: hint, dismiss: (m) => toasts.dismiss(m) } });
const metricsLayer = new MetricsLayer(scene, viewport);
const frameLayer = new FrameLayer(scene);
const farLayer = new FarLayer(scene);
const lanesLayer = new LanesLayer(scene, { bands: laneBands, labelWidth: LANE_LABEL_W });
const ownerMarks = new OwnerMarks(scene);
const cursors = new Cursors(byId('cursors'), viewport);
const look = new LookControl({ storage, cursorsLayer: byId('cursors'), requestRender: render });
const running = new Running({ editor, model, client: clientId });
const following = new Following({ model, session, viewport, presenceRoot: byId('presence'), rename: () => naming.rename(), requestRender: render });
const framing = new Framing({ editor, model, viewport, lanesLayer, following });
const fit = () => framing.fit();
const totals = new TotalsPanel(byId('totals'), { focus: (id) => placement.show(id), calendar: () => editor.calendar() });
const future = new FutureState({ api, model, totals, calendar: () => editor.calendar(), fit, notify, hint });
const startFuture = (/** @type {{step: string, change: string}|undefined} */ tried) => future.start(tried);
const validationPanel = new ValidationPanel({ api, notify: hint, storage, calendar: () => editor.calendar() });
const header = new Header({ model, api, validationPanel, pageTitle: page.title ?? 'Untitled board', requestRender: render });
const estimates = new Estimates({ editor, model, client: clientId });
const inspector = new Inspector(byId('inspector'), {
  update: (id, set, source) => editor.update(id, set, source),
  canEdit: () => editor.canEdit,
  client: () => clientId,
  estimate: (target, field, minutes) => estimates.set(target, field, minutes),
}, new CommentsSection({
  create: (element) => editor.apply([{ op: 'create', element }]),
  remove: (id) => editor.apply([{ op: 'delete', id }]),
  canEdit: () => editor.canEdit,
  you: () => ({ client: clientId, facilitator: session.role === 'facilitator' }),
}), new WhatIfSection({
  api, canEdit: () => editor.canEdit, notify: (message) => hint(message),
  makeExperiment: (card) => editor.addElement('experiment', viewport.center(), { metric: 'lead_time', ...card }),
  canStartFuture: () => session.role === 'facilitator', startFuture,
}), new OwnerPicker({ teams: () => teamsOf(model.view().frame), apply: (edits) => editor.apply(edits),
  canEdit: () => editor.canEdit, canAddTeams: () => session.role === 'facilitator' }));
const placement = new Placement({ editor, model, viewport, textEdit, inspector });
const select = new SelectTool({ scene, viewport, editor, session, connect, textEdit,
  inspect: (id, field) => placement.inspect(id, field) });
const badges = new Badges(scene, { takeBack: (id) => running.apply([{ op: 'delete', id }]) });
const voting = new Voting({ scene, panelRoot: byId('vote-panel'), dialog: dialog('vote-dialog'), editor, session, running });
const tidyPlan = (lanes = false) => api.get('/tidy', lanes ? { swimlanes: 'true' } : undefined);
const tidyPreview = new TidyPreview({
  scene, bar: byId('tidy-bar'), elements: () => editor.elements(), notify: hint, fetchPlan: () => tidyPlan(),
  // One batch: one change for everyone, one step to undo.
  apply: (ops) => editor.apply(/** @type {import('./commands/history.js').Edit[]} */ (ops)),
});
const sessionBar = new SessionBar(byId('session-bar'), {
  stopFollowing: () => following.stop(), stopPresenting: () => running.stopPresenting(),
});
const mapPanel = new MapPanel(byId('map-panel'), {
  save: (set) => editor.apply([{ op: 'board', set }]),
  canEdit: () => editor.canEdit && session.role === 'facilitator',
  startFuture, notify: hint, api,
  teams: new TeamsSettings({ apply: (edits) => editor.apply(/** @type {any} */ (edits)), elements: () => editor.elements(),
    fetchPlan: () => tidyPlan(true), notify: hint }),
});
const statusPill = new StatusPill(byId('status'));
const contextBar = new ContextBar(overlay, {
  color: (c) => editor.setColor(editor.selection, c),
  kind: (k) => editor.selection.size === 1 && editor.setConnectorKind([...editor.selection][0], k),
  remove: () => editor.remove([...editor.selection]),
  arrange: (how) => editor.arrange(how),
  next: () => placement.addNextStep(),
});
const legend = new Legend(byId('legend-dialog'));
const exportMenu = createExportMenu(document.body, { boardId, token: api.token });
const overflow = new ToolbarOverflow(byId('toolbar'), [byId('presence')]);
const controls = new Controls(document.body, {
  'add-step': () => placement.addStep(viewport.center()),
  'add-inventory': () => placement.addElement('inventory', viewport.center()),
  'add-note': () => placement.addElement('note', viewport.center()),
  'add-experiment': () => placement.addExperiment(viewport.center()),
  vote: () => dialog('vote-dialog').showModal(),
  share: () => dialog('share-dialog').showModal(),
  validation: () => validationPanel.open(),
  tidy: () => tidyPreview.open(),
  lock: () => running.toggleLock(),
  timer: () => dialog('timer-dialog').showModal(),
  present: () => running.togglePresenting(),
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
  help: () => dialog('help-dialog').showModal(),
  legend: () => legend.open(),
  export: () => exportMenu.open(),
  'zoom-in': () => viewport.zoomStep(1),
  'zoom-out': () => viewport.zoomStep(-1),
  'zoom-reset': () => viewport.zoomReset(),
  'zoom-fit': fit,
  'far-view': () => look.change({ far: !look.far }),
  cursors: () => look.change({ cursors: !look.cursors }),
}, () => overflow.fit());

editor.onFrame(frameDrawer({ editor, model, session, viewport, clientId, renderer, metricsLayer, lanesLayer, ownerMarks,
  frameLayer, farLayer, connect, select, textEdit, cursors, badges, contextBar, mapPanel, inspector, sessionBar, totals,
  controls, statusPill, framing, voting, following, future, header, look, running }));

select.attach();
bindShareDialog(dialog('share-dialog'), {
  api, role: page.role ?? 'viewer', current: location.href, notify: hint,
  // Our own link was replaced: carry on with the new one (the old is refused from now on).
  moved: (link) => location.assign(link),
});
bindTimerDialog(dialog('timer-dialog'), {
  start: (seconds, label) => running.startTimer(seconds, label), stop: () => running.stopTimer(),
});
bindShortcuts({ editor, select, connect, textEdit, viewport, fit,
  addStep: () => placement.addStep(select.pointer ?? viewport.center()),
  addNextStep: () => placement.addNextStep(),
  addInventory: () => placement.addElement('inventory', select.pointer ?? viewport.center()),
  farView: () => look.change({ far: !look.far }),
  inspect: () => placement.inspectSelected(),
  help: () => dialog('help-dialog').showModal() });
window.addEventListener('online', () => session.refreshStatus());
window.addEventListener('offline', () => session.refreshStatus());
window.addEventListener('resize', render);
window.addEventListener('beforeunload', (e) => {
  if (model.pending.length && session.canEdit) {
    e.preventDefault();
    e.returnValue = ''; // older browsers need it set to ask
  }
});
exposeDebugHook({ session, editor, model, viewport, following });
look.change({});
header.showRole(session.role);
viewport.fit(null, { animate: false });
if (Number(page.protocolVersion ?? PROTOCOL_VERSION) !== PROTOCOL_VERSION) {
  notify('Flowmap was updated. Reload the page to keep working safely.');
}
naming.ensure().then(() => socket.start());
