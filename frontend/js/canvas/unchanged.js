// @ts-check
/**
 * What a layer last drew from, to skip a frame that changes none of it. The
 * board model replaces what changes (elements, metrics, the frame) and keeps
 * the rest, so comparing by identity is enough: a pan, a zoom or a hover
 * leaves every input the same object.
 *
 *   this._last = new LastInputs();
 *   render(metrics, elements) {
 *     if (this._last.same(metrics, elements)) return;   // true: nothing to draw
 *     ...
 *   }
 */

export class LastInputs {
  constructor() {
    /** @type {unknown[]|null} */
    this.items = null;
  }

  /**
   * Whether these are the very inputs of last time; remembers them when not.
   * @param {...unknown} items
   */
  same(...items) {
    const last = this.items;
    if (last && last.length === items.length && last.every((v, i) => v === items[i])) return true;
    this.items = items;
    return false;
  }
}
