// @ts-check
// Far out (render.js TEXTLESS_BELOW) an element is drawn without its words, which are not
// shown there; they are built once the zoom is up to reading and the element is near the
// screen, from the element as it is then, a slice a frame, and kept. Drawn on a small
// stand-in for the DOM: what the renderer builds is compared node for node.
import { test } from 'node:test';
import assert from 'node:assert/strict';

/** A node of the stand-in DOM: enough of Element for util/dom.js, shapes.js and render.js. */
class FakeNode {
  /** @param {string} tag */
  constructor(tag) {
    this.tagName = tag;
    /** @type {Map<string, string>} */
    this.attributes = new Map();
    /** @type {any[]} */
    this.childNodes = [];
    /** @type {FakeNode|null} */
    this.parentNode = null;
    /** @type {Record<string, string>} */
    this.style = {};
    const node = this;
    this.classList = {
      /** @param {string[]} names */
      add(...names) { node._classes(new Set([...node._classSet(), ...names])); },
      /** @param {string[]} names */
      remove(...names) { node._classes(new Set([...node._classSet()].filter((c) => !names.includes(c)))); },
      /** @param {string} name @param {boolean} [on] */
      toggle(name, on = !node._classSet().has(name)) {
        if (on) this.add(name);
        else this.remove(name);
        return on;
      },
      /** @param {string} name */
      contains(name) { return node._classSet().has(name); },
    };
  }

  _classSet() { return new Set((this.attributes.get('class') ?? '').split(/\s+/).filter(Boolean)); }
  /** @param {Set<string>} set */
  _classes(set) { this.attributes.set('class', [...set].join(' ')); }
  get className() { return this.attributes.get('class') ?? ''; }
  set className(value) { this.attributes.set('class', value); }
  /** @param {string} name */
  getAttribute(name) { return this.attributes.get(name) ?? null; }
  /** @param {string} name @param {string} value */
  setAttribute(name, value) { this.attributes.set(name, String(value)); }
  /** @param {string} name */
  removeAttribute(name) { this.attributes.delete(name); }
  get children() { return this.childNodes.filter((n) => n instanceof FakeNode); }
  get childElementCount() { return this.children.length; }
  /** @param {any[]} nodes */
  _adopt(nodes) {
    const out = [];
    for (const n of nodes) {
      if (n instanceof FakeFragment) out.push(...n._adopt(n.childNodes.splice(0)));
      else if (typeof n === 'string') out.push({ nodeType: 3, data: n, parentNode: this });
      else {
        n.remove?.();
        n.parentNode = this;
        out.push(n);
      }
    }
    for (const n of out) n.parentNode = this;
    return out;
  }
  /** @param {any[]} nodes */
  append(...nodes) { this.childNodes.push(...this._adopt(nodes)); }
  /** @param {any[]} nodes */
  replaceChildren(...nodes) {
    for (const n of this.childNodes) n.parentNode = null;
    this.childNodes = [];
    this.append(...nodes);
  }
  /** @param {any[]} nodes */
  before(...nodes) {
    const parent = /** @type {FakeNode} */ (this.parentNode);
    const adopted = parent._adopt(nodes);
    parent.childNodes.splice(parent.childNodes.indexOf(this), 0, ...adopted);
  }
  /** @param {any[]} nodes */
  after(...nodes) {
    const parent = /** @type {FakeNode} */ (this.parentNode);
    const adopted = parent._adopt(nodes);
    parent.childNodes.splice(parent.childNodes.indexOf(this) + 1, 0, ...adopted);
  }
  /** @param {any} node @param {any} ref */
  insertBefore(node, ref) {
    if (!ref) this.append(node);
    else ref.before(node);
  }
  remove() {
    const parent = this.parentNode;
    if (parent) parent.childNodes.splice(parent.childNodes.indexOf(this), 1);
    this.parentNode = null;
  }
  /** @returns {string} */
  get textContent() {
    return this.childNodes.map((n) => (n instanceof FakeNode ? n.textContent : n.data)).join('');
  }
  set textContent(text) { this.replaceChildren(...(text ? [String(text)] : [])); }
  /** @returns {FakeNode[]} every element under this one, in document order */
  _all() { return this.children.flatMap((c) => [c, ...c._all()]); }
  /** @param {string} selector a class, or [attr] / [attr="value"], optionally several, space-separated (descendants) */
  querySelectorAll(selector) {
    const parts = selector.trim().split(/\s+/);
    /** @param {FakeNode} n @param {string} part */
    const matches = (n, part) => {
      const attr = part.match(/^\[([\w-]+)(?:="([^"]*)")?\]$/);
      if (attr) return attr[2] === undefined ? n.attributes.has(attr[1]) : n.getAttribute(attr[1]) === attr[2];
      if (part.startsWith('.')) return part.slice(1).split('.').every((c) => n._classSet().has(c));
      return n.tagName === part;
    };
    /** @type {FakeNode[]} */
    let found = [this];
    for (const part of parts) found = [...new Set(found.flatMap((n) => n._all().filter((m) => matches(m, part))))];
    return found;
  }
  /** @param {string} selector */
  querySelector(selector) { return this.querySelectorAll(selector)[0] ?? null; }
  /** @param {boolean} [deep] */
  cloneNode(deep = false) {
    const copy = new /** @type {any} */ (this.constructor)(this.tagName);
    for (const [k, v] of this.attributes) copy.attributes.set(k, v);
    Object.assign(copy.style, this.style);
    if (deep) copy.append(...this.childNodes.map((n) => (n instanceof FakeNode ? n.cloneNode(true) : n.data)));
    return copy;
  }
}
class FakeFragment extends FakeNode {}
class FakeHTMLElement extends FakeNode {}

Object.assign(globalThis, {
  HTMLElement: FakeHTMLElement,
  document: {
    /** @param {string} _ns @param {string} tag */
    createElementNS: (_ns, tag) => new FakeNode(tag),
    /** @param {string} tag */
    createElement: (tag) => new FakeHTMLElement(tag),
    createDocumentFragment: () => new FakeFragment('#fragment'),
  },
});

const { Renderer, TEXTLESS_BELOW, WORDS_PER_FRAME } = await import('../js/canvas/render.js');
const { SHADE_DY, SHAPES } = await import('../js/canvas/shapes.js');
const { figuresHeight } = await import('../js/model/data-layout.js');

/** @param {FakeNode} n what a node draws: its tag, attributes, style and children, as one string */
function drawn(n) {
  const attrs = [...n.attributes].sort().map(([k, v]) => `${k}="${v}"`).join(' ');
  const style = JSON.stringify(n.style);
  const kids = n.childNodes.map((c) => (c instanceof FakeNode ? drawn(c) : JSON.stringify(c.data))).join('');
  return `<${n.tagName} ${attrs} ${style}>${kids}</${n.tagName}>`;
}

function scene() {
  return /** @type {any} */ ({ root: new FakeNode('svg'), connectors: new FakeNode('g'), elements: new FakeNode('g'), live: null });
}

/** @param {number} k @param {number} [x] @param {number} [y] */
function view(k, x = 0, y = 0) {
  return { x, y, k, size: { width: 1280, height: 800 } };
}

const STATE = /** @type {any} */ ({ selection: new Set(), hovered: null, editing: null, dropTarget: null,
  dragging: new Set(), live: new Set() });
const CTX = { calendar: { hours_per_day: 8, days_per_week: 5 } };

/** @param {any[]} list */
const board = (list) => new Map(list.map((el) => [el.id, el]));
const build = /** @type {any} */ ({ id: 's-1', kind: 'step', x: 100, y: 100, w: 168, h: 96, text: 'Build',
  wait_minutes: 120, process_minutes: 45, pca: null, people: 2, waste: ['defects'] });
const others = /** @type {any[]} */ ([
  { id: 'i-1', kind: 'inventory', x: 320, y: 116, w: 72, h: 64, count: 12, text: 'queue' },
  { id: 'n-1', kind: 'note', x: 100, y: -60, w: 160, h: 120, variant: 'hypothesis', text: 'Batch smaller?' },
  { id: 'n-2', kind: 'note', x: 300, y: -60, w: 160, h: 120, variant: 'kaizen', text: 'One piece flow' },
  { id: 'c-1', kind: 'connector', source: 's-1', target: 'i-1', connector: 'rework', rework_rate: 0.25, text: 'back' },
]);
const WORDS = '.label-box, .caption, .inventory-count, .data-row, .waste-chip, .connector-label';

/** @param {FakeNode} g */
function words(g) {
  return WORDS.split(', ').flatMap((s) => g.querySelectorAll(s));
}

test('far out, an element is drawn without its words: its box and what is painted there only', () => {
  const view1 = view(TEXTLESS_BELOW / 2);
  const renderer = new Renderer(scene(), view1);
  renderer.render(board([build, ...others]), STATE, CTX);
  for (const id of ['s-1', 'i-1', 'n-1', 'n-2', 'c-1']) {
    const g = /** @type {FakeNode} */ (/** @type {unknown} */ (renderer.nodeOf(id)));
    assert.deepEqual(words(g), [], `${id} has no words`);
    assert.ok(renderer.wordless.has(id));
  }
  const step = /** @type {FakeNode} */ (/** @type {unknown} */ (renderer.nodeOf('s-1')));
  assert.equal(step.getAttribute('aria-label'), 'Step: Build', 'the group still says what it is');
  assert.ok(step.querySelector('.body'));
  assert.equal(step.querySelector('.data-box')?.getAttribute('height'), String(figuresHeight(4)),
    'the data box is painted, four rows high');
  assert.equal(renderer.nodeOf('n-1')?.querySelector('.note-mark')?.textContent, '?', "a hypothesis's mark is painted");
});

test('zoomed in to reading, the words are built from the element as it is then: as if drawn with them', () => {
  const far = view(TEXTLESS_BELOW / 2);
  const renderer = new Renderer(scene(), far);
  renderer.render(board([build, ...others]), STATE, CTX);
  // Edited by someone else while far out: drawn without words, the change is kept for them.
  const edited = { ...build, text: 'Build it', wait_minutes: 960, pca: 80, waste: ['defects', 'motion'] };
  const note = { ...others[1], text: 'Smaller batches?' };
  const now = board([edited, others[0], note, ...others.slice(2)]);
  renderer.render(now, STATE, CTX);
  assert.equal(renderer.nodeOf('s-1')?.getAttribute('aria-label'), 'Step: Build it');
  assert.deepEqual(words(/** @type {any} */ (renderer.nodeOf('s-1'))), []);

  Object.assign(far, { k: TEXTLESS_BELOW });
  renderer.render(now, STATE, CTX);
  assert.equal(renderer.wordless.size, 0);
  const direct = new Renderer(scene(), view(1));
  direct.render(now, STATE, CTX);
  for (const id of now.keys()) assert.equal(drawn(/** @type {any} */ (renderer.nodeOf(id))), drawn(/** @type {any} */ (direct.nodeOf(id))), id);
  const step = /** @type {FakeNode} */ (/** @type {unknown} */ (renderer.nodeOf('s-1')));
  assert.equal(step.querySelector('.label-text')?.textContent, 'Build it');
  assert.equal(step.querySelector('[data-field="wait_minutes"] .data-value')?.textContent, '2d');
  assert.equal(step.querySelectorAll('.waste-chip').length, 2);
  // The words stay, and kept up to date, when the view goes far out again.
  Object.assign(far, { k: 0.05 });
  renderer.render(board([{ ...edited, text: 'Build again' }, ...others]), STATE, CTX);
  assert.equal(step.querySelector('.label-text')?.textContent, 'Build again');
  assert.equal(renderer.wordless.size, 0);
});

test('what is far off screen gets its words when it comes near, not before', () => {
  const v = view(TEXTLESS_BELOW / 2);
  const renderer = new Renderer(scene(), v);
  const away = { ...build, id: 's-2', x: 20000, text: 'Away' };
  const elements = board([build, away]);
  renderer.render(elements, STATE, CTX);
  Object.assign(v, { k: 0.5 });
  renderer.render(elements, STATE, CTX);
  assert.ok(renderer.nodeOf('s-1')?.querySelector('.label-box'));
  assert.equal(renderer.nodeOf('s-2')?.querySelector('.label-box'), null);
  assert.deepEqual([...renderer.wordless], ['s-2']);
  Object.assign(v, { x: -20000 * 0.5 });
  renderer.render(elements, STATE, CTX);
  assert.equal(renderer.nodeOf('s-2')?.querySelector('.label-text')?.textContent, 'Away');
  assert.equal(renderer.wordless.size, 0);
});

test('many at once are built a slice a frame, each frame asking for the next', () => {
  const v = { x: 0, y: 0, k: TEXTLESS_BELOW / 2, size: { width: 1e6, height: 1e6 } };
  let asked = 0;
  const renderer = new Renderer(scene(), v, () => asked++);
  const many = board(Array.from({ length: 2 * WORDS_PER_FRAME + 10 }, (_, i) => ({ ...build, id: `s-${i}`, x: 200 * i })));
  renderer.render(many, STATE, CTX);
  assert.equal(renderer.wordless.size, many.size);
  Object.assign(v, { k: 1 });
  const left = [];
  for (let frame = 0; frame < 4; frame++) {
    renderer.render(many, STATE, CTX);
    left.push(renderer.wordless.size);
  }
  assert.deepEqual(left, [WORDS_PER_FRAME + 10, 10, 0, 0]);
  assert.equal(asked, 2, 'another frame was asked for while some were left');
});

test('zoomed in, a new element is drawn with its words at once', () => {
  const renderer = new Renderer(scene(), view(1));
  renderer.render(board([build]), STATE, CTX);
  assert.equal(renderer.wordless.size, 0);
  assert.equal(renderer.nodeOf('s-1')?.querySelector('.label-text')?.textContent, 'Build');
  const node = SHAPES.step.create(build, false);
  assert.equal(node.words, false);
  assert.equal(SHAPES.step.create(build).words, true);
});

test("far out, a step's measured line is drawn (it is painted at every zoom), so its rows are built with it", () => {
  const measured = /** @type {any} */ ({ source: {}, steps: { 's-1': { names: ['build'],
    wait: { n: 42, median: 1680, p85: 2880, quantiles: [] } } } });
  const renderer = new Renderer(scene(), view(TEXTLESS_BELOW / 2));
  renderer.render(board([build]), STATE, { ...CTX, measured });
  const step = /** @type {FakeNode} */ (/** @type {unknown} */ (renderer.nodeOf('s-1')));
  assert.equal(step.querySelector('[data-measured="wait_minutes"]')?.textContent, 'measured 3.5d, n=42');
  assert.equal(step.querySelector('.label-box'), null, 'the label is still not built');
  const direct = new Renderer(scene(), view(1));
  direct.render(board([build]), STATE, { ...CTX, measured });
  assert.equal(drawn(/** @type {any} */ (step.querySelector('.data-slot'))),
    drawn(/** @type {any} */ (direct.nodeOf('s-1')?.querySelector('.data-slot'))));
});

/** @param {Record<string, unknown>} changes @returns {any} STATE with `changes` */
const state = (changes) => ({ ...STATE, ...changes });

test("a box's selection outline is built the first time it shows (hovered, selected, a drop target, focused), on top", () => {
  const renderer = new Renderer(scene(), view(1));
  const all = board([build, ...others]);
  renderer.render(all, STATE, CTX);
  const g = (/** @type {string} */ id) => /** @type {FakeNode} */ (/** @type {unknown} */ (renderer.nodeOf(id)));
  for (const id of ['s-1', 'i-1', 'n-1', 'n-2']) assert.equal(g(id).querySelector('.outline'), null, `${id}: none yet`);
  renderer.render(all, state({ hovered: 'i-1' }), CTX);
  const hovered = g('i-1').querySelector('.outline');
  assert.equal(g('i-1').children.at(-1), hovered, 'over its words');
  assert.deepEqual([hovered?.getAttribute('width'), hovered?.getAttribute('height')], ['80', '72'], 'the box and 4 a side');
  renderer.render(all, state({ selection: new Set(['s-1']), dropTarget: 'n-2' }), CTX);
  assert.equal(g('s-1').children.at(-1)?.getAttribute('class'), 'outline');
  assert.ok(g('n-2').querySelector('.outline'));
  assert.equal(g('n-1').querySelector('.outline'), null, 'never shown, never built');
  assert.equal(g('c-1').querySelector('.outline'), null, 'an arrow has none');
  // Kept, and sized with its box from then on.
  renderer.render(board([{ ...build, w: 200 }, ...others]), STATE, CTX);
  assert.equal(g('s-1').querySelector('.outline')?.getAttribute('width'), '208');
  renderer.focused(g('n-1'));
  assert.ok(g('n-1').querySelector('.outline'), 'reached with the keyboard');
  renderer.focused(renderer.scene.root);
  renderer.focused(null);
  // An element that arrives already selected (a paste, an undo) shows its outline at once.
  renderer.render(board([build, ...others, { ...build, id: 's-2', x: 600 }]), state({ selection: new Set(['s-2']) }), CTX);
  assert.ok(g('s-2').querySelector('.outline'));
});

test('words built after the outline go under it: the outline stays on top', () => {
  const renderer = new Renderer(scene(), view(TEXTLESS_BELOW / 2));
  renderer.render(board([build]), state({ selection: new Set(['s-1']) }), CTX);
  renderer.viewport = view(1);
  renderer.render(board([build]), state({ selection: new Set(['s-1']) }), CTX);
  const step = /** @type {FakeNode} */ (/** @type {unknown} */ (renderer.nodeOf('s-1')));
  assert.ok(step.querySelector('.label-box'), 'its words are built');
  assert.equal(step.children.at(-1)?.getAttribute('class'), 'outline');
});

test("a note gets its question mark when it becomes a hypothesis, over its fold and under its words", () => {
  const comment = { id: 'n-3', kind: 'note', x: 0, y: 0, w: 160, h: 120, variant: 'comment', text: 'Why?' };
  const renderer = new Renderer(scene(), view(1));
  renderer.render(board([comment]), STATE, CTX);
  const g = /** @type {FakeNode} */ (/** @type {unknown} */ (renderer.nodeOf('n-3')));
  assert.equal(g.querySelector('.note-mark'), null, 'a comment has none');
  renderer.render(board([{ ...comment, variant: 'hypothesis' }]), STATE, CTX);
  const mark = g.querySelector('.note-mark');
  assert.equal(mark?.textContent, '?');
  assert.deepEqual(g.children.slice(0, 4).map((c) => c.getAttribute('class')), ['shade', 'body', 'fold', 'note-mark']);
  assert.equal(mark?.getAttribute('display'), null, 'shown');
  renderer.render(board([comment]), STATE, CTX);
  assert.equal(g.querySelector('.note-mark')?.getAttribute('display'), 'none', 'a comment again: hidden');
});

test("a box's shade is its outline moved down SHADE_DY, under its body, and follows it when it changes", () => {
  const note = { id: 'n-4', kind: 'note', x: 0, y: 0, w: 160, h: 120, variant: 'comment', text: 'Why?' };
  const stepEl = { id: 's-4', kind: 'step', x: 0, y: 0, w: 140, h: 80, text: 'Test' };
  const renderer = new Renderer(scene(), view(1));
  renderer.render(board([note, stepEl]), STATE, CTX);
  const g = /** @type {FakeNode} */ (/** @type {unknown} */ (renderer.nodeOf('n-4')));
  const [shade, body] = [g.querySelector('.shade'), g.querySelector('.body')];
  assert.equal(g.children[0], shade, 'painted first: under the body');
  /** The path's numbers, each y moved by `dy` (H takes an x, V a y, M, L and Q x y pairs). @param {string} d @param {number} dy */
  const points = (d, dy = 0) => {
    let command = '';
    let i = 0;
    return d.trim().split(/\s+/).flatMap((token) => {
      if (/^[A-Z]$/.test(token)) { command = token; i = 0; return []; }
      const isY = command === 'V' || (command !== 'H' && i % 2 === 1);
      i += 1;
      return [Number(token) + (isY ? dy : 0)];
    });
  };
  /** @param {string} shaded @param {string} drawn */
  const under = (shaded, drawn) => {
    const [a, b] = [points(shaded), points(drawn, SHADE_DY)];
    assert.equal(a.length, b.length);
    a.forEach((n, i) => assert.ok(Math.abs(n - b[i]) < 0.11, `${shaded} vs ${drawn}`));
  };
  under(shade?.getAttribute('d') ?? '', body?.getAttribute('d') ?? '');
  renderer.render(board([{ ...note, variant: 'kaizen', w: 200 }, { ...stepEl, w: 220 }]), STATE, CTX);
  assert.ok(shade?.getAttribute('d')?.startsWith('M ') && !shade.getAttribute('d')?.includes('Q'), 'a burst, not a sticky');
  under(shade?.getAttribute('d') ?? '', body?.getAttribute('d') ?? '');
  const step = /** @type {FakeNode} */ (/** @type {unknown} */ (renderer.nodeOf('s-4')));
  const [rect, face] = ['shade', 'body'].map((c) => step.querySelector(`.${c}`));
  assert.equal(rect?.getAttribute('width'), face?.getAttribute('width'));
  assert.equal(rect?.getAttribute('height'), face?.getAttribute('height'));
  assert.equal(face?.getAttribute('width'), '220', 'resized');
  assert.equal(rect?.getAttribute('y'), String(SHADE_DY));
});

test('the boxes either side of the selected one in reading order stay drawn for Tab, not its neighbours in the page', () => {
  // A row made out of order: the page's neighbours of the step at x 1350 are others than the
  // map's. Tab goes on in reading order (ui/keyboard.js); a culled box cannot take the focus.
  const made = [3, 0, 5, 1, 4, 2, 6, 7];
  const row = board(made.map((i) => ({ id: `s-${i}`, kind: 'step', x: 450 * i, y: 100, w: 168, h: 96, text: `Step ${i}` })));
  const renderer = new Renderer(scene(), view(1));
  const culled = (/** @type {string} */ id) => /** @type {FakeNode} */ (/** @type {unknown} */ (renderer.nodeOf(id)))
    .classList.contains('is-culled');
  renderer.render(row, STATE, CTX);
  assert.equal(culled('s-4'), true, 'off screen, with nothing selected');
  renderer.render(row, { ...STATE, selection: new Set(['s-3']) }, CTX);
  assert.equal(culled('s-4'), false, 'the next in reading order');
  assert.equal(culled('s-2'), false, 'the one before');
  assert.equal(culled('s-6'), true, 'farther on stays set aside');
});
