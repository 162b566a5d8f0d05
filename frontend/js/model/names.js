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
 * @param {Map<string, import('../protocol.js').Element>} elements
 * @param {readonly string[]} kinds
 * @returns {Map<string, string>} id -> text ('' when it has none)
 */
export function namesOf(elements, kinds) {
  const names = new Map();
  for (const el of elements.values()) if (kinds.includes(el.kind)) names.set(el.id, el.text ?? '');
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
