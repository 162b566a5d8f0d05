// @ts-check
/**
 * The page's own window events: the network coming and going changes the
 * status pill, a resize redraws, and leaving with unsent edits asks first.
 *
 *   bindWindowEvents({ session, model, render });
 */

/**
 * Whether leaving now would lose edits: some are unsent and this page may still send them.
 * @param {number} pending how many edits the server has not confirmed
 * @param {boolean} canEdit
 */
export function leavingLosesEdits(pending, canEdit) {
  return pending > 0 && canEdit;
}

/**
 * @param {object} p
 * @param {import('../net/session.js').Session} p.session
 * @param {import('../model/board.js').BoardModel} p.model
 * @param {() => void} p.render
 */
export function bindWindowEvents({ session, model, render }) {
  window.addEventListener('online', () => session.refreshStatus());
  window.addEventListener('offline', () => session.refreshStatus());
  window.addEventListener('resize', render);
  window.addEventListener('beforeunload', (e) => {
    if (leavingLosesEdits(model.pending.length, session.canEdit)) {
      e.preventDefault();
      e.returnValue = ''; // older browsers need it set to ask
    }
  });
}
