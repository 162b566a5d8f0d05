// @ts-check
/**
 * What the panels call the elements: the totals list steps by their text, the
 * vote results steps and notes. Pure, so node tests read it.
 *
 *   namesOf(elements, ['step']);           // Map {'s1' => 'Pick', 's2' => 'Pack'}
 *   namesOf(elements, ['step', 'note']);   // what a vote can be placed on
 */

/** What a dot vote can be placed on. */
export const VOTABLE = /** @type {const} */ (['step', 'note']);

/**
 * The names of each board's elements, per list of kinds asked for: the page asks every
 * frame (a pan, a zoom, a cursor going by), and a changed board is a new map.
 * @type {WeakMap<Map<string, import('../protocol.js').Element>, Map<string, Map<string, string>>>}
 */
const KNOWN = new WeakMap();

/**
 * @param {Map<string, import('../protocol.js').Element>} elements
 * @param {readonly string[]} kinds
 * @returns {Map<string, string>} id -> text ('' when it has none); the same map while `elements` is
 */
export function namesOf(elements, kinds) {
  let known = KNOWN.get(elements);
  if (!known) KNOWN.set(elements, (known = new Map()));
  const key = kinds.join(' ');
  let names = known.get(key);
  if (!names) {
    names = new Map();
    for (const el of elements.values()) if (kinds.includes(el.kind)) names.set(el.id, el.text ?? '');
    known.set(key, names);
  }
  return names;
}

/**
 * The element a click placed a dot on: a step or a note, else null.
 * @param {Map<string, import('../protocol.js').Element>} elements
 * @param {string|null|undefined} id the clicked element's id
 */
export function dotTarget(elements, id) {
  const el = id ? elements.get(id) : undefined;
  return el && VOTABLE.includes(/** @type {any} */ (el.kind)) ? el : null;
}
