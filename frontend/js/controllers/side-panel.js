// @ts-check
/**
 * The side panel (ui/inspector.js) and its sections, joined to the editor: a
 * figure typed goes to the board, a comment is an element created or deleted,
 * a what-if can become an experiment card or a future-state map, and a step's
 * team is picked from the board's teams.
 *
 *   const inspector = createInspector(byId('inspector'), { api, editor, session, estimates, model,
 *     viewport, clientId, hint, startFuture });
 */

import { CommentsSection } from '../ui/comments.js';
import { Inspector } from '../ui/inspector.js';
import { OwnerPicker } from '../ui/owner-picker.js';
import { teamsOf } from '../ui/teams.js';
import { WhatIfSection } from '../ui/what-if.js';

/**
 * @param {HTMLElement} root
 * @param {object} p
 * @param {import('../net/api.js').BoardApi} p.api
 * @param {import('../editor.js').Editor} p.editor
 * @param {import('../net/session.js').Session} p.session
 * @param {import('./estimates.js').Estimates} p.estimates
 * @param {import('../model/board.js').BoardModel} p.model
 * @param {import('../canvas/viewport.js').Viewport} p.viewport
 * @param {string} p.clientId
 * @param {(message: string) => void} p.hint
 * @param {(tried?: {step: string, change: string}) => void} p.startFuture
 */
export function createInspector(root, { api, editor, session, estimates, model, viewport, clientId, hint, startFuture }) {
  const canEdit = () => editor.canEdit;
  const facilitator = () => session.role === 'facilitator';
  return new Inspector(root, {
    update: (id, set, source) => editor.update(id, set, source),
    canEdit,
    client: () => clientId,
    estimate: (target, field, minutes) => estimates.set(target, field, minutes),
    notify: hint,
    reworkItself: (step) => editor.connect(step, step, 'rework'),
  }, new CommentsSection({
    create: (element) => editor.apply([{ op: 'create', element }]),
    remove: (id) => editor.apply([{ op: 'delete', id }]),
    canEdit,
    you: () => ({ client: clientId, facilitator: facilitator() }),
  }), new WhatIfSection({
    api, canEdit, notify: (message) => hint(message),
    makeExperiment: (card) => editor.addElement('experiment', viewport.center(), { metric: 'lead_time', ...card }),
    canStartFuture: facilitator, startFuture,
  }), new OwnerPicker({
    teams: () => teamsOf(model.view().frame), apply: (edits) => editor.apply(editor.withLanesApart(edits)),
    canEdit, canAddTeams: facilitator,
  }));
}
