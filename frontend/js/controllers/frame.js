// @ts-check
/**
 * What each frame draws: the editor calls this once per animation frame after a
 * change, with the elements as drawn (live drags included). Every part draws
 * from the same elements; the canvas layers first, in their stacking order,
 * then the panels and the header. Keeping it in one place keeps the order
 * visible and main.js free of behaviour.
 *
 *   const layers = drawingLayers(scene, viewport, requestRender);
 *   editor.onFrame(frameDrawer({ ...layers, ...parts }));   // parts: everything else main.js built
 */

import { badgeModel } from '../canvas/badges.js';
import { FarLayer } from '../canvas/far-layer.js';
import { FrameLayer } from '../canvas/frame-layer.js';
import { LanesLayer } from '../canvas/lanes-layer.js';
import { MetricsLayer } from '../canvas/metrics-layer.js';
import { OwnerMarks } from '../canvas/owner-marks.js';
import { Renderer } from '../canvas/render.js';
import { LANE_LABEL_W, laneBands } from '../model/lanes.js';
import { namesOf } from '../model/names.js';

/**
 * @typedef {object} FrameParts
 * @property {import('../editor.js').Editor} editor
 * @property {import('../model/board.js').BoardModel} model
 * @property {import('../net/session.js').Session} session
 * @property {import('../canvas/viewport.js').Viewport} viewport
 * @property {string} clientId
 * @property {import('../canvas/render.js').Renderer} renderer
 * @property {import('../canvas/metrics-layer.js').MetricsLayer} metricsLayer
 * @property {import('../canvas/lanes-layer.js').LanesLayer} lanesLayer
 * @property {import('../canvas/owner-marks.js').OwnerMarks} ownerMarks
 * @property {import('../canvas/frame-layer.js').FrameLayer} frameLayer
 * @property {import('../canvas/far-layer.js').FarLayer} farLayer
 * @property {import('../canvas/connect.js').ConnectTool} connect
 * @property {import('../canvas/select.js').SelectTool} select
 * @property {import('../canvas/text-edit.js').TextEdit} textEdit
 * @property {import('../canvas/cursors.js').Cursors} cursors
 * @property {import('../canvas/badges.js').Badges} badges
 * @property {import('../ui/context-bar.js').ContextBar} contextBar
 * @property {import('../ui/map-panel.js').MapPanel} mapPanel
 * @property {import('../ui/inspector.js').Inspector} inspector
 * @property {import('../ui/session-bar.js').SessionBar} sessionBar
 * @property {import('../ui/totals.js').TotalsPanel} totals
 * @property {import('../ui/toolbar.js').Controls} controls
 * @property {import('../ui/status.js').StatusPill} statusPill
 * @property {import('./framing.js').Framing} framing
 * @property {import('./votes.js').Voting} voting
 * @property {import('./follow.js').Following} following
 * @property {import('./future.js').FutureState} future
 * @property {import('./header.js').Header} header
 * @property {import('./look.js').LookControl} look
 * @property {import('./running.js').Running} running
 */

/**
 * The canvas layers that only draw what each frame gives them, built in their
 * stacking order: each puts its group into the scene's underlay or annotations
 * as it is built (the lanes go behind the rest of the underlay on their own).
 * @param {import('../canvas/scene.js').Scene} scene
 * @param {import('../canvas/viewport.js').Viewport} viewport
 * @param {() => void} requestRender another frame: the renderer builds words a slice a frame
 */
export function drawingLayers(scene, viewport, requestRender) {
  // What is far off screen is set aside by the view the SVG is drawn at: while a zoom gesture's
  // preview scales the drawing, nothing beyond it shows, and a change would cost a layout.
  const drawn = {
    get x() { return viewport.drawn.x; }, get y() { return viewport.drawn.y; }, get k() { return viewport.drawn.k; },
    get size() { return viewport.size; }, visible: () => viewport.visible(viewport.drawn),
  };
  return {
    renderer: new Renderer(scene, drawn, requestRender),
    metricsLayer: new MetricsLayer(scene, drawn),
    frameLayer: new FrameLayer(scene),
    farLayer: new FarLayer(scene),
    lanesLayer: new LanesLayer(scene, { bands: laneBands, labelWidth: LANE_LABEL_W }),
    ownerMarks: new OwnerMarks(scene),
  };
}

/**
 * @param {FrameParts} p
 * @returns {(elements: Map<string, import('../protocol.js').Element>) => void}
 */
export function frameDrawer(p) {
  const { editor, model, session, viewport } = p;
  return (elements) => {
    const calendar = editor.calendar();
    p.renderer.render(elements, editor.renderState(), { calendar, estimates: model.metrics?.estimates,
      measured: model.metrics?.measured });
    p.metricsLayer.render(model.metrics, elements, calendar, editor.landed());
    // Sized for the zoom the SVG is drawn at: during a zoom gesture the compositor scales them with the rest.
    p.lanesLayer.render(model.view().frame, elements, viewport.drawn.k, { measured: model.metrics?.measured, calendar });
    p.ownerMarks.render(model.view().frame, elements, model.metrics, calendar);
    p.frameLayer.render(model.view().frame, model.metrics, elements, editor.canEdit);
    p.farLayer.render(p.look.far, elements, viewport.drawn.k, model.metrics, calendar, editor.selection);
    p.connect.render(elements);
    p.select.resize.render(elements);
    p.textEdit.render(elements);
    p.cursors.render();
    const one = editor.single();
    if (one && p.mapPanel.isOpen) p.mapPanel.close(); // one panel on the right at a time
    p.inspector.render(one, model.metrics, calendar, model.view().elements);
    // After the side panel opened or closed: the bar keeps to the screen it leaves free.
    const idle = editor.canEdit && !editor.editing && !editor.dragging.size && !editor.connecting && !p.select.busy;
    const selected = [...editor.selection].map((id) => elements.get(id)).filter((el) => el !== undefined);
    p.contextBar.render(selected, idle ? p.framing.selectionBox(selected, elements) : null, () => viewport.free(),
      viewport.size, () => p.framing.barObstacles(selected));
    p.framing.notice(elements);
    if (!editor.dragging.size) p.framing.revealSelection(one);
    const marks = badgeModel(model.view().elements, p.clientId); // comments and dots, once a frame
    p.badges.render(marks, elements);
    p.voting.render(marks, elements);
    p.mapPanel.render(model.view().frame);
    p.following.update();
    p.future.compare();
    p.sessionBar.render({ frame: model.view().frame, skew: session.clockSkew, role: session.role,
      following: p.following.leaderName(), presenting: p.running.presenting() });
    p.totals.showForecast(model.forecast);
    p.totals.render(model.metrics, namesOf(elements, ['step']));
    p.controls.update({ canEdit: editor.canEdit, canUndo: editor.history.canUndo, canRedo: editor.history.canRedo,
      zoom: viewport.k, connectable: Boolean(one && one.kind !== 'connector'),
      facilitator: session.role === 'facilitator', locked: Boolean(model.view().frame.locked),
      presenting: p.running.presenting(), far: p.look.far, cursors: p.look.cursors });
    p.header.render();
    p.statusPill.show(session.status, model.pending.length);
  };
}
