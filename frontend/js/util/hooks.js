// @ts-check
/**
 * Named hooks that parts subscribe to once they exist. The session is built
 * before the parts it tells about changes (the editor, the cursors and the
 * following all need the session), so it is handed `hooks.call`, and each part
 * listens with `hooks.on` after it is built. A hook called before anyone
 * listens does nothing: the page wires everything before the socket starts.
 *
 *   const hooks = new Hooks(['changed', 'notify']);
 *   const session = new Session({ ..., hooks: hooks.call });
 *   hooks.on('changed', () => editor.requestRender());
 *
 * @template {Record<string, (...args: any[]) => void>} H
 */
export class Hooks {
  /** @param {readonly (keyof H & string)[]} names every hook there is; `on` refuses others (a typo) */
  constructor(names) {
    /** @type {Map<string, ((...args: any[]) => void)[]>} */
    this.listeners = new Map(names.map((name) => [name, []]));
    /** What the caller calls: each hook runs its listeners in the order they subscribed. */
    this.call = /** @type {H} */ (Object.fromEntries(names.map((name) => [
      name, (/** @type {any[]} */ ...args) => { for (const listener of this.listeners.get(name) ?? []) listener(...args); },
    ])));
  }

  /**
   * @template {keyof H & string} K
   * @param {K} name
   * @param {H[K]} listener
   * @returns {this}
   */
  on(name, listener) {
    const list = this.listeners.get(name);
    if (!list) throw new Error(`there is no hook named ${name}`);
    list.push(listener);
    return this;
  }
}
