// @ts-check
/**
 * Apply a metrics patch: the mirror of app/domain/patch.py's `apply`, held to
 * the same golden cases (tests/fixtures/patch/cases.json).
 *
 * A patch is a list of changes, each a path of object keys and list indices
 * followed by the new value. The document is never changed in place: the
 * objects along each path are copied, so whoever compares metrics by identity
 * sees new ones.
 *
 *   applyPatch({lt: 10, steps: [{w: 1}]}, [['lt', 12], ['steps', 0, 'w', 3]]);
 *   // -> {lt: 12, steps: [{w: 3}]}
 */

export class PatchError extends Error {}

/**
 * @param {Record<string, any>} document
 * @param {any[][]} changes
 * @returns {Record<string, any>}
 */
export function applyPatch(document, changes) {
  /** @type {Record<string, any>} */
  const result = { ...document };
  // The containers this made: each is copied once, and nothing of the caller's is changed.
  const fresh = new WeakSet([result]);
  for (const change of changes) {
    if (!Array.isArray(change) || change.length < 2) throw new PatchError(`a change is [path..., value], not ${JSON.stringify(change)}`);
    const path = change.slice(0, -1);
    const last = path[path.length - 1];
    /** @type {any} */
    let parent = result;
    for (const key of path.slice(0, -1)) {
      let child = childOf(parent, key);
      if (!fresh.has(child)) {
        if (child === null || typeof child !== 'object') throw new PatchError(`nothing to go into at ${JSON.stringify(key)}`);
        child = Array.isArray(child) ? [...child] : { ...child };
        fresh.add(child);
        parent[key] = child;
      }
      parent = child;
    }
    childOf(parent, last); // the place must exist: a patch never adds keys
    parent[last] = change[change.length - 1];
  }
  return result;
}

/**
 * @param {any} container
 * @param {any} key
 */
function childOf(container, key) {
  if (Array.isArray(container)) {
    if (Number.isInteger(key) && key >= 0 && key < container.length) return container[key];
  } else if (container !== null && typeof container === 'object') {
    if (typeof key === 'string' && Object.hasOwn(container, key)) return container[key];
  }
  throw new PatchError(`no ${JSON.stringify(key)} to change`);
}
