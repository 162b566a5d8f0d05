// @ts-check
/**
 * The board page: builds the pieces and wires them together, in dependency
 * order: each is built after what it uses. Behaviour lives in the modules
 * (controllers/ for the page's own behaviour, net/api.js for every HTTP call);
 * this file only decides who talks to whom. The session is built before the
 * parts it tells about changes, so it calls `hooks`, which they listen to below.
 *
 * The page (app/templates/board.html) carries data-board-id, data-title,
 * data-role, data-client, data-key and data-protocol-version on <body>; the
 * link token is in the URL.
 */

import { Editor } from './editor.js';
import { BoardModel } from './model/board.js';
import { cidFactory } from './model/ids.js';
import { storedIdentity } from './model/identity.js';
import { LivePositions } from './model/live.js';
import { PendingStore } from './model/pending-store.js';
import { browserStorage } from './model/recent-boards.js';
import { BoardApi } from './net/api.js';
import { pageToken } from './net/early.js';
import { Badges } from './canvas/badges.js';
import { ConnectTool } from './canvas/connect.js';
import { Cursors } from './canvas/cursors.js';
import { TEXTLESS_BELOW } from './canvas/render.js';
import { createScene } from './canvas/scene.js';
import { SelectTool } from './canvas/select.js';
import { TextEdit } from './canvas/text-edit.js';
import { Viewport } from './canvas/viewport.js';
import { contextActions, shortcutTargets, toolbarActions } from './controllers/actions.js';
import { Connection } from './controllers/connection.js';
import { exposeDebugHook } from './controllers/debug-hook.js';
import { Estimates } from './controllers/estimates.js';
import { Following } from './controllers/follow.js';
import { drawingLayers, frameDrawer } from './controllers/frame.js';
import { Framing, barRoom, panelInsets, toastNeighbours, toastRoom } from './controllers/framing.js';
import { FutureState } from './controllers/future.js';
import { Header } from './controllers/header.js';
import { bindSkipLink } from './controllers/skip-link.js';
import { LookControl } from './controllers/look.js';
import { Placement } from './controllers/placement.js';
import { Running } from './controllers/running.js';
import { listenToSession, sessionHooks } from './controllers/session-hooks.js';
import { createInspector } from './controllers/side-panel.js';
import { Voting } from './controllers/votes.js';
import { bindWindowEvents } from './controllers/window-events.js';
import { ContextBar } from './ui/context-bar.js';
import { createExportMenu } from './ui/export-menu.js';
import { bindShortcuts } from './ui/keyboard.js';
import { Legend } from './ui/legend.js';
import { MapPanel } from './ui/map-panel.js';
import { ToolbarOverflow } from './ui/overflow.js';
import { SessionBar } from './ui/session-bar.js';
import { bindShareDialog } from './ui/share-dialog.js';
import { StatusPill } from './ui/status.js';
import { TeamsSettings } from './ui/teams.js';
import { TidyPreview } from './ui/tidy-preview.js';
import { bindTimerDialog } from './ui/timer-dialog.js';
import { Toasts } from './ui/toast.js';
import { Controls } from './ui/toolbar.js';
import { FOLDED_ON, TotalsPanel } from './ui/totals.js';
import { ValidationPanel } from './ui/validation-panel.js';
import { byId } from './util/dom.js';

/** @typedef {import('./protocol.js').Role} Role */

const dialog = (/** @type {string} */ id) => /** @type {HTMLDialogElement} */ (byId(id));
const page = document.body.dataset;
const boardId = page.boardId ?? '';
const role = /** @type {Role} */ (page.role ?? 'viewer');
const api = new BoardApi({ boardId, token: pageToken(location) });
const storage = browserStorage();
const toasts = new Toasts(byId('toasts'), { room: toastRoom, watch: toastNeighbours() }); // clear of the controls
const notify = (/** @type {string} */ m) => toasts.show(m, { kind: 'error' });
const hint = (/** @type {string} */ m) => toasts.show(m);

const model = new BoardModel();
const live = new LivePositions();
const store = new PendingStore(storage, boardId);
const { client: clientId, key } = storedIdentity(storage, { client: page.client ?? '', key: page.key ?? '' });
const nextCid = cidFactory(clientId);
for (const op of store.resume({ role, client: clientId, nextCid })) model.addPending(op);
const hooks = sessionHooks();
const connection = new Connection({ api, role, model, live, store, key, storage, nameDialog: dialog('name-dialog'),
  hooks: hooks.call, notify });
const { session, naming } = connection;

const scene = createScene(byId('stage'));
bindSkipLink(byId('skip-to-map'), scene.root);
const editor = new Editor({ model, live, session, nextCid, notify: hint });
// The far-out hint (below) goes once the view is close enough to read, or the presentation
// view it points to is on.
let farOutHint = '';
const render = () => {
  // Not mid-animation: a zoom to fit starts near where it was (100 %) on its way out.
  if (farOutHint && (look.far || (!viewport.animating && viewport.k >= TEXTLESS_BELOW))) {
    toasts.dismiss(farOutHint);
    farOutHint = '';
  }
  editor.requestRender();
};
const viewport = new Viewport(scene, render, panelInsets);
const layers = drawingLayers(scene, viewport, render);
const overlay = byId('overlay');
const textEdit = new TextEdit({ host: overlay, viewport, editor, room: panelInsets, moved: () => toasts.place() });
const connect = new ConnectTool({ scene, viewport, editor, hints: { show: hint, dismiss: (m) => toasts.dismiss(m) } });
const cursors = new Cursors(byId('cursors'), viewport);
const look = new LookControl({ storage, cursorsLayer: byId('cursors'), requestRender: render });
const running = new Running({ editor, model, client: clientId });
const following = new Following({ model, session, viewport, presenceRoot: byId('presence'), rename: () => naming.rename(), requestRender: render });
const framing = new Framing({ editor, model, viewport, lanesLayer: layers.lanesLayer, following, far: () => look.far });
// A phone turned sideways, a window resized: a view nobody has moved since it was fitted is
// fitted to the new screen once the resizing settles (one that was panned or zoomed stays).
let resizing = 0;
addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => framing.refit(), 150);
});
// The whole map too small to read on this screen (its words are not drawn so far out):
// once a page, zoom to fit says where the names are.
let toldFarOut = false;
const fit = () => {
  const k = framing.fit();
  if (k >= TEXTLESS_BELOW || look.far || toldFarOut) return;
  toldFarOut = true;
  const how = matchMedia('(pointer: coarse)').matches ? 'the presentation view button by the zoom shows' : 'press P for';
  farOutHint = `The whole map is too small to read here: ${how} large names and figures, or zoom in.`;
  hint(farOutHint);
};
const totals = new TotalsPanel(byId('totals'), { focus: (id) => framing.show(id), calendar: () => editor.calendar(),
  resized: () => framing.refit() }, matchMedia(FOLDED_ON).matches);
const future = new FutureState({ api, model, totals, calendar: () => editor.calendar(), fit, notify, hint });
const startFuture = (/** @type {{step: string, change: string}|undefined} */ tried) => future.start(tried);
const validationPanel = new ValidationPanel({ api, notify: hint, storage, calendar: () => editor.calendar() });
const header = new Header({ model, api, validationPanel, pageTitle: page.title ?? 'Untitled board', requestRender: render });
const estimates = new Estimates({ editor, model, client: clientId });
const inspector = createInspector(byId('inspector'), { api, editor, session, estimates, model, viewport, clientId, hint, startFuture });
const placement = new Placement({ editor, model, viewport, textEdit, inspector });
const select = new SelectTool({ scene, viewport, editor, session, connect, textEdit,
  inspect: (id, field) => placement.inspect(id, field) });
const badges = new Badges(scene, { takeBack: (id) => running.apply([{ op: 'delete', id }]) });
const voting = new Voting({ scene, panelRoot: byId('vote-panel'), dialog: dialog('vote-dialog'), editor, session, running });
// One batch: one change for everyone, one step to undo.
const applyBatch = (/** @type {any[]} */ ops) => editor.apply(/** @type {import('./commands/history.js').Edit[]} */ (ops));
const tidyPreview = new TidyPreview({ scene, bar: byId('tidy-bar'), elements: () => editor.elements(), notify: hint,
  fetchPlan: () => api.tidyPlan(), apply: applyBatch });
const sessionBar = new SessionBar(byId('session-bar'), {
  stopFollowing: () => following.stop(), stopPresenting: () => running.stopPresenting(),
}, { room: barRoom,
  watch: [...document.querySelectorAll('.topbar > *'), byId('totals'), byId('inspector'), byId('map-panel')] });
const mapPanel = new MapPanel(byId('map-panel'), {
  save: (set) => editor.apply([{ op: 'board', set }]),
  canEdit: () => editor.canEdit && session.role === 'facilitator',
  startFuture, notify: hint, api,
  teams: new TeamsSettings({ apply: applyBatch, elements: () => editor.elements(),
    fetchPlan: () => api.tidyPlan({ swimlanes: true }), notify: hint }),
});
const statusPill = new StatusPill(byId('status'));
const legend = new Legend(byId('legend-dialog'));
const exportMenu = createExportMenu(document.body, { boardId, token: api.token });
const actionParts = { editor, viewport, select, connect, textEdit, placement, running, look, validationPanel,
  tidyPreview, mapPanel, legend, exportMenu, fit, dialog };
const contextBar = new ContextBar(document.body, contextActions(actionParts)); // over the panels when it must be
const overflow = new ToolbarOverflow(byId('toolbar')); // refits when the name card or the people change size
const controls = new Controls(document.body, toolbarActions(actionParts), () => overflow.fit());

listenToSession(hooks, { model, editor, cursors, following, totals, framing, header, storage, boardId, notify });
editor.onFrame(frameDrawer({ ...layers, editor, model, session, viewport, clientId, connect, select, textEdit, cursors,
  badges, contextBar, mapPanel, inspector, sessionBar, totals, controls, statusPill, framing, voting, following, future,
  header, look, running }));
select.attach();
bindShareDialog(dialog('share-dialog'), {
  api, role, current: location.href, notify: hint, storage, boardId,
  // Our own link was replaced: carry on with the new one (the old is refused from now on).
  moved: (link) => location.assign(link),
});
bindTimerDialog(dialog('timer-dialog'), {
  start: (seconds, label) => running.startTimer(seconds, label), stop: () => running.stopTimer(),
  timer: () => ({ frame: model.view().frame, skew: session.clockSkew }),
});
bindShortcuts(shortcutTargets(actionParts));
bindWindowEvents({ session, model, render });
exposeDebugHook({ session, editor, model, viewport, following });
look.change({});
header.showRole(session.role);
viewport.fit(null, { animate: false });
connection.start(page.protocolVersion);
