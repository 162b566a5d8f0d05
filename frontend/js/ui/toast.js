// @ts-check
/**
 * Short messages at the bottom of the screen: a rejected edit, a server
 * error, a hint. The host is a polite live region, so screen readers hear them.
 * They go where `room` says, and go there again while one is up and the room changes:
 * a panel opened or folded, the window resized or a phone turned (each of `watch`
 * changing size, or the window).
 *
 *   const toasts = new Toasts(document.getElementById('toasts'), {room: toastRoom, watch: [panel, zoom]});
 *   toasts.show('Not saved: pca must be between 0 and 100', {kind: 'error'});
 */

import { html } from '../util/dom.js';

// Long enough to read a sentence twice.
const SHOW_MS = 5000;
// Never bury the canvas under messages.
const MAX_VISIBLE = 3;

export class Toasts {
  /**
   * @param {HTMLElement} host
   * @param {{room: () => {left: number, right: number, bottom: number}, watch: Element[]}} [layout]
   *   `room`: where they go, clear of the controls (screen px from the edges), asked when one
   *   shows and whenever one of `watch` or the window changes size while one is up
   */
  constructor(host, layout) {
    this.host = host;
    this.room = layout?.room;
    /** @type {Map<string, {node: HTMLElement, timer: ReturnType<typeof setTimeout>}>} */
    this.visible = new Map();
    if (!layout) return;
    // Read only while a toast is up: most of the time there is none to place.
    const place = () => this.place();
    const watch = new ResizeObserver(place);
    for (const el of layout.watch) watch.observe(el);
    window.addEventListener('resize', place);
  }

  /** Placed again where `room` says, if one is up (a field over the canvas opened or moved). */
  place() {
    if (this.visible.size) this._place();
  }

  _place() {
    const room = this.room?.();
    if (room) Object.assign(this.host.style, { left: `${room.left}px`, right: `${room.right}px`, bottom: `${room.bottom}px` });
  }

  /**
   * @param {string} message
   * @param {{kind?: 'info'|'error', timeout?: number}} [opts]
   */
  show(message, opts = {}) {
    const existing = this.visible.get(message);
    if (existing) {
      clearTimeout(existing.timer);
      existing.timer = setTimeout(() => this.dismiss(message), opts.timeout ?? SHOW_MS);
      return;
    }
    const close = html('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss' }, ['×']);
    const node = html('div', { class: `toast toast-${opts.kind ?? 'info'}` }, [html('span', { class: 'toast-text' }, [message]), close]);
    close.addEventListener('click', () => this.dismiss(message));
    this._place();
    this.host.append(node);
    this.visible.set(message, { node, timer: setTimeout(() => this.dismiss(message), opts.timeout ?? SHOW_MS) });
    while (this.visible.size > MAX_VISIBLE) this.dismiss(this.visible.keys().next().value ?? '');
  }

  /** @param {string} message */
  dismiss(message) {
    const entry = this.visible.get(message);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.node.remove();
    this.visible.delete(message);
  }
}
