// @ts-check
/**
 * Dot voting on the canvas: the vote panel (ui/votes.js) starts, closes and
 * removes votes; while a vote is open and this person has dots left, a click
 * on a step or note places a dot there instead of selecting it; a click on
 * one's own dot (canvas/badges.js) takes it back. Votes and dots are sent
 * without an undo step (controllers/running.js).
 *
 *   const voting = new Voting({ scene, panelRoot, dialog, editor, session, running });
 *   voting.render(marks, elements);   // each frame, with badgeModel's marks
 */

import { pressedId } from '../canvas/select.js';
import { dotTarget, namesOf, VOTABLE } from '../model/names.js';
import { elementId } from '../model/ids.js';
import { VotePanel } from '../ui/votes.js';

/** @typedef {import('../protocol.js').Element} BoardElement */

export class Voting {
  /**
   * @param {object} deps
   * @param {import('../canvas/scene.js').Scene} deps.scene
   * @param {HTMLElement} deps.panelRoot the vote panel, bottom centre
   * @param {HTMLDialogElement} deps.dialog where the facilitator starts a vote
   * @param {import('../editor.js').Editor} deps.editor
   * @param {import('../net/session.js').Session} deps.session
   * @param {import('./running.js').Running} deps.running
   */
  constructor({ scene, panelRoot, dialog, editor, session, running }) {
    this.scene = scene;
    this.editor = editor;
    this.session = session;
    this.running = running;
    this.panel = new VotePanel(panelRoot, dialog, {
      start: (text, dots) => running.apply([{ op: 'create', element: { id: elementId('vote'), kind: 'vote', text, dots } }]),
      setOpen: (id, open) => running.apply([{ op: 'update', id, set: { open } }]),
      remove: (id) => running.apply([{ op: 'delete', id }]),
      takeBack: (ids) => running.apply(ids.map((id) => ({ op: 'delete', id }))),
      canEdit: () => editor.canEdit,
      facilitator: () => session.role === 'facilitator',
    });
    // Capture: the dot is placed before the select tool sees the click.
    scene.root.addEventListener('pointerdown', (e) => this.placeDot(e), { capture: true });
  }

  /** @param {PointerEvent} e a press on the canvas */
  placeDot(e) {
    const vote = this.panel.vote;
    if (!this.panel.placing || e.button !== 0 || !vote) return;
    const id = pressedId(/** @type {Element} */ (e.target));
    const el = dotTarget(this.editor.elements(), id);
    if (!el) return;
    e.stopPropagation();
    e.preventDefault();
    this.running.apply([{ op: 'create', element: { id: elementId('dot'), kind: 'dot', vote: vote.id, target: el.id } }]);
  }

  /**
   * @param {ReturnType<typeof import('../canvas/badges.js').badgeModel>} marks this frame's comments and dots
   * @param {Map<string, BoardElement>} elements the drawn elements
   */
  render(marks, elements) {
    this.scene.root.classList.toggle('is-voting', this.panel.placing);
    const voters = this.session.peers.filter((p) => p.role !== 'viewer').length;
    this.panel.render(marks, namesOf(elements, VOTABLE), voters);
  }
}
