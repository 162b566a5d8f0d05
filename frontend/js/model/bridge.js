// @ts-check
/**
 * Taking a step out of the flow keeps the flow joined: deleting a box that flow
 * arrows run through (a step, or a queue between two steps) would otherwise take
 * its arrows with it and cut the map in two, and everything before the cut drops
 * off the path. On a future-state map that read as a lead time cut in half. So a
 * delete also draws the flow arrows that ran through what goes: from each box
 * that is kept, through the deleted ones, to each kept box they led to.
 *
 *   // a -> b -> c, b deleted:
 *   bridges(elements, new Set(['b']));   // [{source: 'a', target: 'c', through: ['b']}]
 *
 * Each bridge names the deleted boxes it stands for (`through`): the editor sends it
 * with `replaces`, so the server draws it only if they are gone (a refused delete
 * leaves no arrow beside the step, docs/protocol.md).
 */

/**
 * @typedef {import('../protocol.js').Element} Element
 * @typedef {{source: string, target: string, through: string[]}} Bridge
 */

// A create names at most this many elements it replaces (app/protocol.py CreateOp).
const MAX_THROUGH = 200;

/** @param {Element} el */
function isFlow(el) {
  return el.kind === 'connector' && (el.connector ?? 'flow') === 'flow';
}

/**
 * The flow arrows to draw so that what flowed through `gone` still flows: kept
 * source to kept target, none that exists already, none from a box to itself.
 * @param {Map<string, Element>} elements the board before the delete
 * @param {Set<string>} gone every id the delete removes (its cascade included)
 * @returns {Bridge[]}
 */
export function bridges(elements, gone) {
  /** @type {Map<string, string[]>} */
  const next = new Map();
  /** @type {Set<string>} */
  const existing = new Set();
  for (const el of elements.values()) {
    if (!isFlow(el) || typeof el.source !== 'string' || typeof el.target !== 'string') continue;
    existing.add(`${el.source}\u0000${el.target}`);
    next.set(el.source, [...(next.get(el.source) ?? []), el.target]);
  }
  /** @type {Map<string, string[]>} the flow as it stays: kept arrows between kept boxes */
  const kept = new Map();
  for (const el of elements.values()) {
    if (!isFlow(el) || gone.has(el.id) || typeof el.source !== 'string' || typeof el.target !== 'string') continue;
    if (gone.has(el.source) || gone.has(el.target)) continue;
    kept.set(el.source, [...(kept.get(el.source) ?? []), el.target]);
  }
  /** @type {Bridge[]} */
  const out = [];
  for (const [source, targets] of next) {
    if (gone.has(source) || !elements.has(source)) continue;
    const stillReached = reach(source, kept);
    const reached = [...reachedThrough(source, targets, gone, next)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [target, through] of reached) {
      const key = `${source}\u0000${target}`;
      if (target === source || existing.has(key) || !elements.has(target)) continue;
      if (through.length > MAX_THROUGH) continue; // more than a create may name
      if (stillReached.has(target)) continue; // the flow gets there anyway: no hidden bypass
      existing.add(key);
      out.push({ source, target, through });
    }
  }
  return out;
}

/**
 * Every box reached from `source` along `next`.
 * @param {string} source
 * @param {Map<string, string[]>} next
 */
function reach(source, next) {
  const seen = new Set();
  const todo = [source];
  while (todo.length) {
    for (const t of next.get(/** @type {string} */ (todo.pop())) ?? []) {
      if (!seen.has(t)) {
        seen.add(t);
        todo.push(t);
      }
    }
  }
  return seen;
}

/**
 * The kept boxes reached from `source` by flow through deleted ones only, each with the
 * deleted boxes on its own way there (not those on the way to the others: were one of
 * them kept after all, a refused delete, the other bridges must still be drawn).
 * @param {string} source
 * @param {string[]} targets
 * @param {Set<string>} gone
 * @param {Map<string, string[]>} next
 * @returns {Map<string, string[]>} target -> the deleted boxes between, in order of id
 */
function reachedThrough(source, targets, gone, next) {
  /** @type {Map<string, Set<string>>} each deleted box reached -> the boxes it came from */
  const from = new Map();
  /** @type {Map<string, Set<string>>} each kept box reached -> the deleted boxes before it */
  const into = new Map();
  const todo = targets.filter((t) => gone.has(t));
  for (const t of todo) from.set(t, new Set());
  while (todo.length) {
    const node = /** @type {string} */ (todo.pop());
    for (const t of next.get(node) ?? []) {
      if (t === source) continue;
      const seen = gone.has(t) ? from : into;
      const before = seen.get(t) ?? new Set();
      if (!seen.has(t)) {
        seen.set(t, before);
        if (gone.has(t)) todo.push(t);
      }
      before.add(node);
    }
  }
  /** @type {Map<string, string[]>} */
  const out = new Map();
  for (const [target, last] of into) {
    const way = new Set(last);
    const back = [...last];
    while (back.length) {
      for (const b of from.get(/** @type {string} */ (back.pop())) ?? []) {
        if (!way.has(b)) {
          way.add(b);
          back.push(b);
        }
      }
    }
    out.set(target, [...way].sort());
  }
  return out;
}
