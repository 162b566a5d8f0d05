// @ts-check
/**
 * How each kind of element is drawn: one entry per kind with `create` (build
 * the SVG once) and `update` (bring it in line with the element). A step also
 * fills its data box (data-box.js) underneath.
 *
 * An element's words (its label, captions, a step's figure rows and waste chips,
 * an arrow's label) can be left out at `create` and added later with `addWords`:
 * far out (render.js TEXTLESS_BELOW) they are not shown, and building them was
 * most of a big map's first draw (issue 20). `update` keeps the words a node has
 * up to date and leaves alone the ones it has not; what is painted far out (the
 * body, a note's mark, a step's data box) is always there.
 *
 *   const node = SHAPES.step.create(el);            // or create(el, false): no words yet
 *   SHAPES.step.update(node, el, elements, {calendar});
 *   SHAPES.step.addWords(node);                      // then update again to fill them in
 */

import { connectorPath, connectorRoom, rectOf } from '../model/geometry.js';
import { BURST_INNER, CARD_BAND, cardText, noteTextBox, noteVariant } from '../model/boxes.js';
import { INVENTORY_TEXT, STEP_TEXT, labelCut } from '../model/text-fit.js';
import { attr, show, svg } from '../util/dom.js';
import { swatch } from './colors.js';
import { fillDataBox } from './data-box.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {object} ShapeNode
 * @property {SVGGElement} g
 * @property {string} kind
 * @property {Record<string, Element>} parts  named DOM children, per kind
 * @property {BoardElement|null} el      what it was last drawn from
 * @property {unknown[]} deps            for connectors: the ends it was drawn between
 * @property {boolean} words              whether its words are built (see above)
 * @property {{w: number, h: number}} [size]  a box's size as last drawn (a long note may be cut short)
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 * @typedef {{calendar: Calendar, estimates?: Record<string, Record<string, {count: number, low: number,
 *   high: number, median: number}>>, lanes?: Map<string, number>,
 *   measured?: import('../model/measured.js').Measurement|null, rooms?: Map<string, number>}} DrawContext
 *   board-wide things a shape may need; `lanes`: arrows that share their ends with another are drawn this
 *   far to one side; `rooms`: the most height a long note or card may grow to (model/boxes.js roomsBelow);
 *   `measured`: the board's measurement from an event log, shown beside each step's figures
 * @typedef {{create: (el: BoardElement, words?: boolean) => ShapeNode, addWords: (node: ShapeNode) => void,
 *   update: (node: ShapeNode, el: BoardElement, all: Map<string, BoardElement>, ctx: DrawContext) => void}} Shape
 */

// Text inside a note: 14 px on 1.3 lines, with room to breathe at the edges.
const LINE_HEIGHT = 18.2;
const PAD_Y = 10;
const BURST_PAD_Y = 2; // a kaizen burst's label (whiteboard.css)
const SELECTION_GAP = 4;
// An inventory's label: two lines of 12 px text, narrower than the gap between two steps.
const INVENTORY_LABEL_W = 136;
const INVENTORY_LABEL_H = 34;
// A box's shadow is a copy of its outline this far lower, under it (canvas.css .shade): a
// plain shape, painted with the map. A CSS drop-shadow filter per box was one effect for
// the compositor per box, and zooming out over a big map spent ~80 ms a frame on them.
export const SHADE_DY = 2;

/** @type {Record<string, string>} */
const KIND_NAMES = { step: 'Step', note: 'Note', inventory: 'Inventory', connector: 'Arrow' };
/** @type {Record<string, string>} */
const CONNECTOR_NAMES = { flow: 'Arrow', rework: 'Rework arrow', info: 'Information arrow' };
/** What each kind of note is called, in captions, labels and the legend. */
export const NOTE_NAMES = Object.freeze({ comment: 'Comment', hypothesis: 'Hypothesis', kaizen: 'Kaizen burst' });
// A kaizen burst's spikes: one per this many canvas units of outline; the
// valleys between them sit at the inner ellipse (model/boxes.js BURST_INNER), so
// the text has a calm middle.
const BURST_SPIKE_SPACING = 26;
// Outer spike lengths repeat in this pattern, so the burst looks drawn, not stamped.
const BURST_JITTER = [1, 0.94, 0.99, 0.9, 0.97, 0.92];

/** @type {Map<string, SVGGElement>} kind -> the group every element of that kind starts as */
const TEMPLATES = new Map();

/**
 * A new group for the element with the parts each of its kind starts with, cloned from
 * one built once per kind: a big map's first draw makes thousands, and a clone costs a
 * fraction of making each node and setting each attribute (issue 20).
 * @param {BoardElement} el
 * @param {() => Element[]} parts the template's children, built the first time
 * @returns {{g: SVGGElement, children: Element[]}} the group and its parts, in order
 */
function group(el, parts) {
  let template = TEMPLATES.get(el.kind);
  if (!template) {
    template = svg('g', {
      class: `el el-${el.kind}`, 'data-kind': el.kind, role: 'button', tabindex: el.kind === 'connector' ? -1 : 0,
    }, parts());
    TEMPLATES.set(el.kind, template);
  }
  const g = /** @type {SVGGElement} */ (template.cloneNode(true));
  g.setAttribute('data-id', el.id);
  return { g, children: [...g.children] };
}

/**
 * The node of `shape` for `el`, with its words unless `words` is false (addWords later).
 * @param {Shape} shape
 * @param {BoardElement} el
 * @param {SVGGElement} g
 * @param {Record<string, Element>} parts
 * @param {boolean} words
 * @returns {ShapeNode}
 */
function made(shape, el, g, parts, words) {
  const node = { g, kind: el.kind, parts, el: null, deps: [], words: false };
  if (words) shape.addWords(node);
  return node;
}

/**
 * A box's words: its `named` parts (a caption, a count) and then its wrapping label, put
 * in on top, just under the selection outline if it is built, so the outline stays on top.
 * @param {ShapeNode} node
 * @param {Record<string, Element>} [named]
 * @param {string} [labelClass] an extra class for the label's box
 */
function addBoxWords(node, named = {}, labelClass = '') {
  const { fo, span } = textBox();
  if (labelClass) fo.classList.add(labelClass);
  const words = [...Object.values(named), fo];
  if (node.parts.outline) node.parts.outline.before(...words);
  else node.g.append(...words);
  Object.assign(node.parts, named, { fo, span });
  node.words = true;
}

/** A label that wraps inside a box and never spills out of it. */
function textBox() {
  const fo = svg('foreignObject', { class: 'label-box' });
  const div = document.createElement('div');
  div.className = 'label';
  const span = document.createElement('span');
  span.className = 'label-text';
  div.append(span);
  fo.append(div);
  return { fo, span };
}

/**
 * @param {ShapeNode} node
 * @param {{x: number, y: number, w: number, h: number}} box where the text goes, in the element
 * @param {string} text
 * @param {string} placeholder shown faintly when there is no text
 * @param {number|null} [padY] the label's padding at top and bottom (canvas.css, whiteboard.css);
 *   null: the box was grown to fit the text (model/boxes.js), so nothing is cut off with "…"
 */
function setText(node, box, text, placeholder, padY = PAD_Y) {
  const fo = /** @type {SVGForeignObjectElement} */ (/** @type {unknown} */ (node.parts.fo));
  const span = /** @type {HTMLElement} */ (/** @type {unknown} */ (node.parts.span));
  attr(fo, 'x', box.x);
  attr(fo, 'y', box.y);
  attr(fo, 'width', Math.max(0, box.w));
  attr(fo, 'height', Math.max(0, box.h));
  const shown = text || placeholder;
  if (span.textContent !== shown) span.textContent = shown;
  span.classList.toggle('is-placeholder', !text);
  span.style.webkitLineClamp = padY === null ? '' : String(Math.max(1, Math.floor((box.h - 2 * padY) / LINE_HEIGHT)));
  span.classList.toggle('is-fitted', padY === null);
}

/**
 * A box's whole text as its tooltip while its label is cut short with "…" (a note or card
 * stopped by the box below it, model/boxes.js roomsBelow; a step's long name, an inventory's
 * third line: model/text-fit.js labelCut); none while every word shows. Its side panel shows
 * the text too. Decided when the element is drawn, from the estimate: nothing is measured.
 * @param {ShapeNode} node
 * @param {string} text the whole text, or '' when it all shows
 */
function setTooltip(node, text) {
  let title = node.parts.title;
  if (!title && !text) return;
  if (!title) {
    title = svg('title', {});
    node.parts.title = title;
    node.g.prepend(title);
  }
  if (title.textContent !== text) title.textContent = text;
}

/**
 * The height a growing box is drawn at: what its text wants (`h`, model/boxes.js boxOf),
 * or less where a box below leaves less room.
 * @param {BoardElement} el
 * @param {number} h
 * @param {DrawContext|undefined} ctx
 */
function roomy(el, h, ctx) {
  const room = ctx?.rooms?.get(el.id);
  return room === undefined ? { h, cut: false } : { h: Math.min(h, room), cut: room < h };
}

/**
 * The selection ring around a box, a few pixels out.
 * @param {ShapeNode} node
 * @param {number} w
 * @param {number} h
 */
function setOutline(node, w, h) {
  node.size = { w, h };
  const o = node.parts.outline;
  if (!o) return; // sized when it is built (outline)
  attr(o, 'width', w + 2 * SELECTION_GAP);
  attr(o, 'height', h + 2 * SELECTION_GAP);
}

/** The corner radius of each kind's selection outline: the boxes that have one. @type {Record<string, number>} */
const OUTLINE_RADIUS = { step: 11, note: 9, inventory: 6, experiment: 13 };

/**
 * Build a box's selection outline, the first time it is to be seen (hovered, selected,
 * focused, a drop target: canvas.css), on top of the rest. Hidden the rest of the time, it
 * was one node in five of a big map, styled and laid out on every first draw (issue 20).
 * @param {ShapeNode} node drawn at least once (its `el`)
 */
export function outline(node) {
  const radius = OUTLINE_RADIUS[node.kind];
  if (radius === undefined || node.parts.outline || !node.el) return;
  node.parts.outline = svg('rect', { class: 'outline', rx: radius, ry: radius, x: -SELECTION_GAP, y: -SELECTION_GAP });
  node.g.append(node.parts.outline);
  const { w, h } = node.size ?? rectOf(node.el);
  setOutline(node, w, h);
}

/**
 * A hypothesis's small question mark before its caption: built when a note first is one
 * (most notes never are), over its fold and under its words.
 * @param {ShapeNode} node
 * @param {boolean} on
 */
function noteMark(node, on) {
  let mark = node.parts.mark;
  if (!mark && !on) return;
  if (!mark) {
    mark = svg('g', { class: 'note-mark', 'aria-hidden': 'true' }, [
      svg('circle', { cx: 18, cy: 16, r: 7 }), svg('text', { x: 18, y: 16, 'text-anchor': 'middle', dy: '0.35em' }, ['?']),
    ]);
    node.parts.mark = mark;
    node.parts.fold.after(mark);
  }
  show(mark, on);
}

/** @param {BoardElement} el */
export function describe(el) {
  const text = (el.text ?? '').trim().replace(/\s+/g, ' ');
  if (el.kind === 'inventory') {
    const count = el.count === null || el.count === undefined ? '' : `${el.count} items`;
    return `Inventory: ${[count, text].filter(Boolean).join(', ') || 'unknown count'}`;
  }
  // "Hypothesis note: ...": says the kind of note, and still reads as a note.
  const name = el.kind === 'note' ? `${NOTE_NAMES[noteVariant(el)]} note` : KIND_NAMES[el.kind];
  return `${name ?? 'Element'}: ${text || 'untitled'}`;
}

/**
 * A jagged starburst filling a w x h box: the classic kaizen burst of a paper map.
 * @param {number} w
 * @param {number} h
 * @param {number} [dy] drawn this much lower (its shadow)
 */
export function burstPath(w, h, dy = 0) {
  const cx = w / 2;
  const cy = h / 2;
  const spikes = Math.max(8, Math.round((Math.PI * (w + h) / 2) / BURST_SPIKE_SPACING));
  const points = [];
  for (let i = 0; i < spikes * 2; i++) {
    const angle = (Math.PI * i) / spikes - Math.PI / 2;
    const r = i % 2 === 0 ? BURST_JITTER[(i / 2) % BURST_JITTER.length] : BURST_INNER;
    points.push(`${(cx + Math.cos(angle) * cx * r).toFixed(1)} ${(dy + cy + Math.sin(angle) * cy * r).toFixed(1)}`);
  }
  return `M ${points.join(' L ')} Z`;
}

/**
 * A sticky note's outline, its bottom-right corner folded up by `f`: distinct from a step.
 * @param {number} w
 * @param {number} h
 * @param {number} f
 * @param {number} [dy] drawn this much lower (its shadow)
 */
function notePath(w, h, f, dy = 0) {
  const [t, m, b] = [dy, dy + h - f, dy + h];
  return `M 6 ${t} H ${w - 6} Q ${w} ${t} ${w} ${t + 6} V ${m} L ${w - f} ${b} H 6 Q 0 ${b} 0 ${b - 6} V ${t + 6} Q 0 ${t} 6 ${t} Z`;
}

/**
 * An inventory's triangle.
 * @param {number} w
 * @param {number} h
 * @param {number} [dy] drawn this much lower (its shadow)
 */
function trianglePath(w, h, dy = 0) {
  return `M ${w / 2} ${dy + 2} L ${w - 2} ${dy + h - 2} L 2 ${dy + h - 2} Z`;
}

/** @type {Shape} */
const step = {
  create(el, words = true) {
    const { g, children: [shade, body, data] } = group(el, () => [
      svg('rect', { class: 'shade', rx: 8, ry: 8, y: SHADE_DY }),
      svg('rect', { class: 'body', rx: 8, ry: 8 }),
      // Under each step: its data box (wait, process time, %C/A, waste).
      svg('g', { class: 'data-slot' }),
    ]);
    return made(step, el, g, { shade, body, data }, words);
  },
  addWords(node) {
    addBoxWords(node);
  },
  update(node, el, _all, ctx) {
    const r = rectOf(el);
    const s = swatch(el.color, 'yellow');
    attr(node.g, 'transform', `translate(${r.x} ${r.y})`);
    attr(node.g, 'aria-label', describe(el));
    const { shade, body, data } = node.parts;
    attr(shade, 'width', r.w);
    attr(shade, 'height', r.h);
    attr(body, 'width', r.w);
    attr(body, 'height', r.h);
    attr(body, 'fill', s.fill);
    attr(body, 'stroke', s.border);
    attr(data, 'transform', `translate(0 ${r.h + 8})`);
    fillDataBox(/** @type {SVGGElement} */ (/** @type {unknown} */ (data)), el, ctx.calendar, ctx.estimates?.[el.id],
      ctx.measured?.steps?.[el.id], node.words);
    if (node.words) {
      const text = el.text ?? '';
      setText(node, { x: 0, y: 0, w: r.w, h: r.h }, text, 'Untitled step');
      setTooltip(node, labelCut(text, r.w, r.h, STEP_TEXT) ? text : '');
    }
    setOutline(node, r.w, r.h);
  },
};

/** @type {Shape} */
const note = {
  create(el, words = true) {
    const { g, children: [shade, body, fold] } = group(el, () => [
      svg('path', { class: 'shade' }), svg('path', { class: 'body' }), svg('path', { class: 'fold' }),
    ]);
    return made(note, el, g, { shade, body, fold }, words);
  },
  addWords(node) {
    addBoxWords(node, { caption: svg('text', { class: 'caption', x: 12, y: 20 }) });
  },
  update(node, el, _all, ctx) {
    const { x, y, w } = rectOf(el);
    const { h, cut } = roomy(el, rectOf(el).h, ctx);
    const s = swatch(el.color, 'pink');
    const variant = noteVariant(el);
    attr(node.g, 'transform', `translate(${x} ${y})`);
    attr(node.g, 'aria-label', describe(el));
    attr(node.g, 'data-variant', variant);
    const { shade, body, fold, caption } = node.parts;
    attr(body, 'fill', s.fill);
    attr(body, 'stroke', s.border);
    noteMark(node, variant === 'hypothesis');
    show(fold, variant !== 'kaizen');
    if (variant === 'kaizen') {
      attr(body, 'd', burstPath(w, h));
      attr(shade, 'd', burstPath(w, h, SHADE_DY));
      if (node.words) {
        if (caption.textContent) caption.textContent = '';
        show(caption, false);
        setText(node, noteTextBox(variant, w, h), el.text ?? '', '', cut ? BURST_PAD_Y : null);
        setTooltip(node, cut ? el.text ?? '' : '');
      }
      setOutline(node, w, h);
      return;
    }
    // A sticky with its bottom-right corner folded up: distinct from a step at a glance.
    const text = noteTextBox(variant, w, h);
    const f = 2 * (w - text.w);
    attr(body, 'd', notePath(w, h, f));
    attr(shade, 'd', notePath(w, h, f, SHADE_DY));
    attr(fold, 'd', `M ${w} ${h - f} L ${w - f} ${h - f} L ${w - f} ${h} Z`);
    attr(fold, 'fill', s.border);
    if (node.words) {
      const title = variant === 'hypothesis' ? NOTE_NAMES.hypothesis : '';
      if (caption.textContent !== title) caption.textContent = title;
      show(caption, title !== '');
      attr(caption, 'x', title ? 30 : 12);
      setText(node, text, el.text ?? '', '', cut ? PAD_Y : null);
      setTooltip(node, cut ? el.text ?? '' : '');
    }
    setOutline(node, w, h);
  },
};

/** @type {Shape} */
const inventory = {
  create(el, words = true) {
    const { g, children: [shade, body, mark] } = group(el, () => [
      svg('path', { class: 'shade' }),
      svg('path', { class: 'body' }),
      svg('text', { class: 'inventory-mark', 'text-anchor': 'middle' }, ['I']),
    ]);
    return made(inventory, el, g, { shade, body, mark }, words);
  },
  addWords(node) {
    const count = svg('text', { class: 'inventory-count', 'text-anchor': 'middle', 'data-field': 'count' });
    addBoxWords(node, { count }, 'inventory-label');
  },
  update(node, el) {
    const { x, y, w, h } = rectOf(el);
    const s = swatch(el.color, 'orange');
    attr(node.g, 'transform', `translate(${x} ${y})`);
    attr(node.g, 'aria-label', describe(el));
    const { shade, body, mark, count, fo, span } = node.parts;
    attr(body, 'd', trianglePath(w, h));
    attr(shade, 'd', trianglePath(w, h, SHADE_DY));
    attr(body, 'fill', s.fill);
    attr(body, 'stroke', s.border);
    attr(mark, 'x', w / 2);
    attr(mark, 'y', h * 0.78);
    setOutline(node, w, h);
    if (!node.words) return;
    const n = el.count === null || el.count === undefined ? '' : String(el.count);
    if (count.textContent !== n) count.textContent = n;
    attr(count, 'x', w / 2);
    attr(count, 'y', h + 16);
    // The label wraps on two lines under the triangle, no wider than the gap between two steps.
    const top = h + (n ? 22 : 6);
    attr(fo, 'x', w / 2 - INVENTORY_LABEL_W / 2);
    attr(fo, 'y', top);
    attr(fo, 'width', INVENTORY_LABEL_W);
    attr(fo, 'height', INVENTORY_LABEL_H);
    const text = el.text ?? '';
    if (span.textContent !== text) span.textContent = text;
    setTooltip(node, labelCut(text, INVENTORY_LABEL_W, INVENTORY_LABEL_H, INVENTORY_TEXT) ? text : '');
  },
};

/** @type {Shape} */
const connector = {
  create(el, words = true) {
    const { g, children: [hit, line] } = group(el, () => [svg('path', { class: 'hit' }), svg('path', { class: 'line' })]);
    return made(connector, el, g, { hit, line }, words);
  },
  addWords(node) {
    const label = svg('text', { class: 'connector-label', 'text-anchor': 'middle' });
    node.g.append(label);
    node.parts.label = label;
    node.words = true;
  },
  update(node, el, all, ctx) {
    const source = all.get(el.source ?? '');
    const target = all.get(el.target ?? '');
    const kind = el.connector ?? 'flow';
    node.g.classList.toggle('is-orphan', !source || !target);
    if (!source || !target) return;
    const path = connectorPath(rectOf(source), rectOf(target), kind, connectorRoom(el, source, target, all, ctx.lanes, ctx));
    const { hit, line, label } = node.parts;
    for (const k of ['flow', 'rework', 'info']) node.g.classList.toggle(`connector-${k}`, k === kind);
    attr(node.g, 'aria-label',
      `${CONNECTOR_NAMES[kind] ?? 'Arrow'}: ${source.text || 'untitled'} → ${target.text || 'untitled'}`);
    attr(hit, 'd', path.d);
    attr(line, 'd', path.d);
    attr(line, 'marker-end', `url(#arrow-${kind})`);
    if (!node.words) return;
    const rate = el.rework_rate === null || el.rework_rate === undefined ? '' : `${Math.round(el.rework_rate * 100)}%`;
    const text = [el.text ?? '', rate].filter(Boolean).join(' · ');
    if (label.textContent !== text) label.textContent = text;
    // Most arrows say nothing: an empty label is not laid out again at every zoom step.
    show(label, text !== '');
    attr(label, 'x', path.mid.x);
    attr(label, 'y', path.mid.y + (kind === 'rework' ? 14 : -6));
  },
};

/** @type {Record<string, string>} */
const STATUS = { planned: 'Planned', running: 'Running', achieved: 'Achieved', missed: 'Missed' };

/** @type {Shape} */
const experiment = {
  create(el, words = true) {
    const { g, children: [shade, body, band] } = group(el, () => [
      svg('rect', { class: 'shade', rx: 10, ry: 10, y: SHADE_DY }),
      svg('rect', { class: 'body', rx: 10, ry: 10 }),
      svg('rect', { class: 'experiment-band', rx: 10, ry: 10, height: CARD_BAND }),
    ]);
    return made(experiment, el, g, { shade, body, band }, words);
  },
  addWords(node) {
    addBoxWords(node, { caption: svg('text', { class: 'caption experiment-caption', x: 12, y: 17 }) });
  },
  update(node, el, _all, ctx) {
    const { x, y, w } = rectOf(el);
    const { h, cut } = roomy(el, rectOf(el).h, ctx);
    const s = swatch(el.color, 'green');
    attr(node.g, 'transform', `translate(${x} ${y})`);
    const card = /** @type {any} */ (el);
    attr(node.g, 'aria-label', `Experiment: ${card.text || 'untitled'}`);
    const { shade, body, band, caption } = node.parts;
    attr(shade, 'width', w);
    attr(shade, 'height', h);
    attr(body, 'width', w);
    attr(body, 'height', h);
    attr(body, 'fill', '#ffffff');
    attr(body, 'stroke', s.border);
    attr(band, 'width', w);
    attr(band, 'fill', s.fill);
    setOutline(node, w, h);
    if (!node.words) return;
    const label = `Experiment · ${STATUS[card.status] ?? card.status}`;
    if (caption.textContent !== label) caption.textContent = label;
    const words = cardText(el, ctx.calendar);
    setText(node, { x: 0, y: CARD_BAND, w, h: h - CARD_BAND }, words, '', cut ? PAD_Y : null);
    setTooltip(node, cut ? words : '');
  },
};

/** @type {Record<string, Shape>} */
export const SHAPES = { step, note, inventory, connector, experiment };
