// @ts-check
/**
 * Each person's own estimate of a step's figure (wait, process time) is an
 * element of kind 'estimate', one per person, step and figure. Pure lookups,
 * so node tests read them.
 *
 *   ownEstimate(model.view().elements, 's1', 'wait_minutes', 'c-ada');   // her estimate element, or undefined
 */

/**
 * @param {Map<string, import('../protocol.js').Element>} elements every element, estimates included
 * @param {string} target the step's id
 * @param {string} field the figure, e.g. 'wait_minutes'
 * @param {string} client whose estimate
 */
export function ownEstimate(elements, target, field, client) {
  for (const el of elements.values()) {
    const e = /** @type {any} */ (el);
    if (el.kind === 'estimate' && e.target === target && e.field === field && e.author_id === client) return el;
  }
  return undefined;
}
