// @ts-check
/**
 * What a peer is dragging is drawn in the SVG over the map (scene.js liveScene)
 * while they drag, and goes back to its place in the map's stacking order when
 * they drop it (or their drag expires): each frame of their drag then repaints
 * that small SVG, not the whole map (issue 20: idle with remote people). This
 * module picks what goes up: the boxes they move and the arrows that follow them.
 *
 *   liftedIds(new Set(['s-1']), elements);   // Set {'s-1', 'c-7'}: c-7 joins s-1 to s-2
 */

/** @typedef {import('../protocol.js').Element} BoardElement */

/**
 * @param {Iterable<string>} moving ids a peer is dragging (and we are not)
 * @param {Map<string, BoardElement>} elements
 * @returns {Set<string>} the boxes among them, and every arrow with an end on one
 */
export function liftedIds(moving, elements) {
  const out = new Set();
  for (const id of moving) {
    const el = elements.get(id);
    if (el && el.kind !== 'connector') out.add(id);
  }
  if (!out.size) return out;
  for (const el of elements.values()) {
    if (el.kind === 'connector' && (out.has(el.source ?? '') || out.has(el.target ?? ''))) out.add(el.id);
  }
  return out;
}

/**
 * Where a node goes back in its layer: before the first later element of the same
 * layer that is in the map, so the stacking order is the elements' order again.
 * @param {string} id
 * @param {Map<string, BoardElement>} elements in drawing order
 * @param {(id: string) => boolean} inMap whether that element's node is in the map's layer now
 * @returns {string|null} the id to insert before; null: at the end
 */
export function placeBefore(id, elements, inMap) {
  const el = elements.get(id);
  if (!el) return null;
  const connector = el.kind === 'connector';
  let after = false;
  for (const other of elements.values()) {
    if (other.id === id) {
      after = true;
      continue;
    }
    if (after && (other.kind === 'connector') === connector && inMap(other.id)) return other.id;
  }
  return null;
}
