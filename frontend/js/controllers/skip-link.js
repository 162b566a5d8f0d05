// @ts-check
/**
 * "Skip to the map": the page's first stop for the keyboard (app/templates/board.html),
 * shown only when it has the focus. It jumps past the tool bar, the people and the Flow
 * panel (twenty-odd stops on a facilitator's page) to the map's canvas, from which Tab
 * goes on to the first step, then step to step.
 *
 *   bindSkipLink(byId('skip-to-map'), scene.root);
 */

/**
 * @param {HTMLElement} link
 * @param {SVGElement} canvas the map's canvas (focusable, the steps inside it)
 */
export function bindSkipLink(link, canvas) {
  link.addEventListener('click', (e) => {
    // The focus, not the address: no "#stage" in the link people copy from the address bar.
    e.preventDefault();
    canvas.focus({ preventScroll: true });
  });
}
