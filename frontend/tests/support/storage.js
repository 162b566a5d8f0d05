// @ts-check
/**
 * A storage that keeps strings in a Map, as localStorage does, for the tests of what
 * the page keeps in the browser (a name, an identity, unsent edits, recent boards).
 *
 *   const storage = memoryStorage({ 'flowmap.name': 'Ada' });
 *   storage.items.get('flowmap.identity');
 */

/** @param {Record<string, string>} [initial] */
export function memoryStorage(initial = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (/** @type {string} */ k) => items.get(k) ?? null,
    setItem: (/** @type {string} */ k, /** @type {string} */ v) => { items.set(k, v); },
    removeItem: (/** @type {string} */ k) => { items.delete(k); },
  };
}
