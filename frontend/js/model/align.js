// @ts-check
/**
 * Maths on a set of boxes, without a DOM: which boxes a marquee touches, and
 * where to put them to line them up or spread them out evenly. Answers are
 * moves (`{id, x, y}`, whole canvas units) for the boxes that change, so one
 * editor edit applies them all, and one undo puts them back.
 *
 *   const boxes = [{id: 'a', x: 10, y: 0, w: 100, h: 50}, {id: 'b', x: 40, y: 90, w: 60, h: 50}];
 *   arrange(boxes, 'left');       // [{id: 'b', x: 10, y: 90}]
 *   touching(boxes, {x: 0, y: 80, w: 200, h: 20});   // ['b']
 */

/**
 * @typedef {import('./geometry.js').Rect} Rect
 * @typedef {import('../protocol.js').Move} Move
 * @typedef {import('./boxes.js').Box} Box
 * @typedef {'left'|'center'|'right'|'top'|'middle'|'bottom'} Alignment
 * @typedef {'horizontal'|'vertical'} Distribution
 * @typedef {Alignment|Distribution} Arrangement
 */

/** Every arrangement, in the order the context bar offers them. */
export const ARRANGEMENTS = /** @type {readonly Arrangement[]} */ (Object.freeze([
  'left', 'center', 'right', 'top', 'middle', 'bottom', 'horizontal', 'vertical',
]));

// Lining up needs two boxes; spreading out needs a middle one to move.
export const MIN_TO_ALIGN = 2;
export const MIN_TO_DISTRIBUTE = 3;

/**
 * The box around all of them, or null for none.
 * @param {Rect[]} boxes
 * @returns {Rect|null}
 */
export function boundsOf(boxes) {
  if (!boxes.length) return null;
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.w));
  const y1 = Math.max(...boxes.map((b) => b.y + b.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * The ids of the boxes that a marquee overlaps (touching its edge counts).
 * @param {Box[]} boxes
 * @param {Rect} marquee
 * @returns {string[]}
 */
export function touching(boxes, marquee) {
  return boxes.filter((b) => b.x <= marquee.x + marquee.w && b.x + b.w >= marquee.x
    && b.y <= marquee.y + marquee.h && b.y + b.h >= marquee.y).map((b) => b.id);
}

/**
 * Whether an arrangement can do anything with this many boxes.
 * @param {Arrangement} how
 * @param {number} count
 */
export function canArrange(how, count) {
  return count >= (how === 'horizontal' || how === 'vertical' ? MIN_TO_DISTRIBUTE : MIN_TO_ALIGN);
}

/**
 * Moves that line the boxes up or spread them out; only boxes that change.
 * @param {Box[]} boxes
 * @param {Arrangement} how
 * @returns {Move[]}
 */
export function arrange(boxes, how) {
  if (!canArrange(how, boxes.length)) return [];
  const targets = how === 'horizontal' || how === 'vertical' ? distribute(boxes, how) : align(boxes, how);
  return targets.filter((m) => {
    const b = boxes.find((box) => box.id === m.id);
    return b && (b.x !== m.x || b.y !== m.y);
  });
}

/**
 * Every box's place after lining up one side (or the middle) with the
 * selection's bounds: left with the leftmost edge, centre on the middle, ...
 * @param {Box[]} boxes
 * @param {Alignment} how
 * @returns {Move[]}
 */
function align(boxes, how) {
  const all = /** @type {Rect} */ (boundsOf(boxes));
  return boxes.map((b) => {
    const to = { id: b.id, x: b.x, y: b.y };
    if (how === 'left') to.x = all.x;
    else if (how === 'center') to.x = all.x + all.w / 2 - b.w / 2;
    else if (how === 'right') to.x = all.x + all.w - b.w;
    else if (how === 'top') to.y = all.y;
    else if (how === 'middle') to.y = all.y + all.h / 2 - b.h / 2;
    else to.y = all.y + all.h - b.h;
    return { id: b.id, x: Math.round(to.x), y: Math.round(to.y) };
  });
}

/**
 * Equal gaps between neighbours along an axis; the first and last stay put.
 * When the boxes are wider than the room between the outer two, their
 * centres are spread evenly instead (equal gaps would have to be negative).
 * @param {Box[]} boxes
 * @param {Distribution} axis
 * @returns {Move[]}
 */
function distribute(boxes, axis) {
  const pos = axis === 'horizontal' ? 'x' : 'y';
  const size = axis === 'horizontal' ? 'w' : 'h';
  const order = [...boxes].sort((a, b) => a[pos] - b[pos] || a[pos] + a[size] / 2 - (b[pos] + b[size] / 2)
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const first = order[0];
  const last = order[order.length - 1];
  const room = last[pos] + last[size] - first[pos] - order.reduce((sum, b) => sum + b[size], 0);
  const gap = room / (order.length - 1);
  const firstMid = first[pos] + first[size] / 2;
  const step = (last[pos] + last[size] / 2 - firstMid) / (order.length - 1);
  let at = first[pos];
  return order.map((b, i) => {
    const start = gap >= 0 ? at : firstMid + step * i - b[size] / 2;
    at += b[size] + gap;
    const place = i === 0 || i === order.length - 1 ? b[pos] : Math.round(start);
    return pos === 'x' ? { id: b.id, x: place, y: b.y } : { id: b.id, x: b.x, y: place };
  });
}
