// @ts-check
/**
 * A rework arrow loops back: from a step to an earlier one that work is sent back to.
 * Drawn forward (a flow arrow switched to Rework by mistake, or drawn the wrong way),
 * it is not a loop, and the link it was in the flow is gone: the steps after it leave
 * the path and the metrics change for no reason anyone can see. The step panel says so.
 * Pure.
 *
 *   loopsBack(arrow, elements);   // true when the flow leads from its target back to its source
 */

/** @typedef {import('../protocol.js').Element} Element */

/**
 * Whether the flow (its flow arrows) leads from the arrow's target to its source: the
 * arrow sends work back to a step it already passed. A rework arrow of a step onto
 * itself loops back too.
 * @param {Element} arrow a rework arrow
 * @param {Map<string, Element>} elements
 */
export function loopsBack(arrow, elements) {
  // The panel asks at every frame while a rework arrow is selected: once per board state.
  let known = ASKED.get(elements);
  if (!known) ASKED.set(elements, (known = new Map()));
  const key = `${arrow.source}>${arrow.target}`;
  let answer = known.get(key);
  if (answer === undefined) known.set(key, (answer = walksBack(arrow, elements)));
  return answer;
}

/** @type {WeakMap<Map<string, Element>, Map<string, boolean>>} */
const ASKED = new WeakMap();

/** @param {Element} arrow @param {Map<string, Element>} elements */
function walksBack(arrow, elements) {
  const { source, target } = arrow;
  if (!source || !target) return true; // half an arrow: nothing to say about its direction
  if (source === target) return true;
  /** @type {Map<string, string[]>} */
  const next = new Map();
  for (const el of elements.values()) {
    if (el.kind !== 'connector' || (el.connector ?? 'flow') !== 'flow' || !el.source || !el.target) continue;
    next.set(el.source, [...(next.get(el.source) ?? []), el.target]);
  }
  const seen = new Set([target]);
  const queue = [target];
  while (queue.length) {
    const at = /** @type {string} */ (queue.shift());
    for (const to of next.get(at) ?? []) {
      if (to === source) return true;
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return false;
}

// What a box is called in a sentence saying why an arrow cannot loop onto it.
const CALLED = Object.freeze({ inventory: 'a queue', note: 'a note', experiment: 'an experiment card' });

/**
 * What an arrow drawn from `source` becomes when its loose end is dropped on `target`: a flow
 * arrow between two boxes. Dropped back on its own step it is that step's rework loop (part of
 * its work redone by itself: the one arrow a step may have onto itself, as the side panel's
 * "Rework within this step" makes), said in words; on its own queue, note or card it is
 * nothing, and the words say why: never a silent cancel.
 *
 *   arrowOnto(build, test);    // {kind: 'flow'}
 *   arrowOnto(build, build);   // {kind: 'rework', said: 'An arrow back onto its own step is rework…'}
 *   arrowOnto(note, note);     // {refused: 'No arrow drawn: an arrow joins two boxes…'}
 *
 * @param {Element} source
 * @param {Element} target
 * @returns {{kind: 'flow'|'rework', said?: string} | {refused: string}}
 */
export function arrowOnto(source, target) {
  if (source.id !== target.id) return { kind: 'flow' };
  if (source.kind === 'step') {
    return { kind: 'rework', said: 'An arrow back onto its own step is rework: part of its work redone by itself. '
      + 'Type its rate in the panel; undo takes the loop away.' };
  }
  const called = /** @type {Record<string, string>} */ (CALLED)[source.kind] ?? 'a box';
  return { refused: `No arrow drawn: an arrow joins two boxes, and ${called} cannot send work back to itself `
    + '(only a step can, as rework).' };
}
