// @ts-check
/**
 * Read-only state for tests and the console: window.flowmap. The e2e tests
 * (e2e/utils/board.py) read it; nothing on the page does.
 *
 *   exposeDebugHook({ session, editor, model, viewport, following });
 *   window.flowmap.elements();   // copies of the drawn elements
 */

/**
 * @param {object} parts
 * @param {import('../net/session.js').Session} parts.session
 * @param {import('../editor.js').Editor} parts.editor
 * @param {import('../model/board.js').BoardModel} parts.model
 * @param {import('../canvas/viewport.js').Viewport} parts.viewport
 * @param {import('./follow.js').Following} parts.following
 */
export function exposeDebugHook({ session, editor, model, viewport, following }) {
  const hook = {
    get status() { return session.status; },
    /**
     * Copies of the elements as drawn: a frame waiting to draw is drawn first, so a test
     * that waits for a state here finds the page showing it (not a frame behind).
     */
    elements() {
      editor.drawNow();
      return [...editor.elements().values()].map((el) => structuredClone(el));
    },
    get seq() { return model.seq; },
    get pendingCount() { return model.pending.length; },
    get role() { return session.role; },
    get you() { return session.you ? { ...session.you } : null; },
    peers() { return session.peers.map((p) => ({ ...p })); },
    selection() {
      editor.drawNow();
      return [...editor.selection];
    },
    get zoom() { return viewport.k; },
    /** The zoom culling and the zoom-sized layers were worked out for (it lags during a zoom gesture). */
    get drawnZoom() { return viewport.drawn.k; },
    get zooming() { return viewport.previewing; },
    visible() { return viewport.visible(); },
    /** What this person sees: the screen less its panels, in canvas units (what peers follow). */
    seen() { return viewport.seen(); },
    get following() { return following.leader(); },
    get connecting() { return Boolean(editor.connecting); },
  };
  Object.defineProperty(window, 'flowmap', { value: Object.freeze(hook), enumerable: true });
}
