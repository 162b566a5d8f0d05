// @ts-check
// Presentation view: each step's card is legible on screen at any zoom and keeps to its room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAR_FONT_PX, FAR_MIN_FONT_PX, FAR_WORD_FONT_PX, boldWidth, farCards, farExtent, farQueues } from '../js/model/far-view.js';

/** @param {string} id @param {number} x @param {number} [y] */
const step = (id, x, y = 0) => /** @type {any} */ ({ id, kind: 'step', x, y, w: 168, h: 96, text: id });
const row = [step('a', 0), step('b', 312), step('c', 624)];

test('from a laptop fit zoom up the figures are large on screen', () => {
  for (const k of [0.39, 0.6, 1, 2]) {
    const cards = farCards(row, k);
    assert.equal(cards.length, 3);
    for (const card of cards) assert.ok(Math.abs(card.font * k - FAR_FONT_PX) < 1e-9, `${k}: ${card.font * k}`);
  }
  // A long map fitted into 1024 px (28 %): as large as the room allows, twice the canvas's 6 px.
  for (const card of farCards(row, 0.28)) assert.ok(card.font * 0.28 >= 11.9, String(card.font * 0.28));
});

test('cards widen into the gap between steps but never onto a neighbour', () => {
  const cards = farCards(row, 0.3);
  for (let i = 1; i < cards.length; i++) {
    assert.ok(cards[i - 1].x + cards[i - 1].w < cards[i].x, `${cards[i - 1].id} overlaps ${cards[i].id}`);
  }
  assert.ok(cards[1].w > 168, 'a card is wider than its step when there is room');
  const b = cards[1];
  assert.equal(b.x + b.w / 2, 312 + 84, 'centred on its step');
});

test('a lone step gets the widest card; steps in another row do not narrow it', () => {
  const [alone] = farCards([step('a', 0), step('below', 100, 600)], 0.3);
  assert.equal(alone.w, 168 * 2.2);
});

test('on a crowded map at a tiny zoom the text shrinks to its room, never below the floor', () => {
  const crowded = [step('a', 0), step('b', 180), step('c', 360)];
  // (Narrower still, 20 px at 12 %, even a one-letter name takes the smaller size that fits it.)
  for (const k of [0.15, 0.2]) for (const card of farCards(crowded, k)) assert.ok(card.font * k >= FAR_MIN_FONT_PX - 1e-9);
  const cards = farCards(crowded, 0.25);
  assert.ok(cards[1].font * 0.25 < FAR_FONT_PX, 'shrunk to fit its narrow room');
});

test('only steps get cards', () => {
  const note = /** @type {any} */ ({ id: 'n', kind: 'note', x: 0, y: 300, w: 168, h: 120 });
  assert.deepEqual(farCards([...row, note], 0.5).map((c) => c.id), ['a', 'b', 'c']);
});

test('each inventory gets a chip with its count, legible on screen', () => {
  const queue = /** @type {any} */ ({ id: 'q', kind: 'inventory', x: 200, y: 20, w: 72, h: 64, count: 12 });
  const bare = /** @type {any} */ ({ id: 'r', kind: 'inventory', x: 500, y: 20, w: 72, h: 64 });
  const chips = farQueues([...row, queue, bare], 0.25);
  assert.deepEqual(chips.map((c) => [c.id, c.cx, c.count]), [['q', 236, 12], ['r', 536, null]]);
  for (const chip of chips) assert.equal(chip.font * 0.25, FAR_MIN_FONT_PX);
});

test("a step's longest word fits its card's line: the text shrinks for it rather than break it", () => {
  // 800 px wide, the demo map fitted at 18 %: "Stagi / ng test", "Releas / e" were drawn.
  const named = [step('a', 0), { ...step('b', 312), text: 'Staging test' }, { ...step('c', 624), text: 'Release' }];
  for (const k of [0.18, 0.25, 0.4]) {
    for (const card of farCards(named, k)) {
      const text = String(named.find((s) => s.id === card.id)?.text);
      const longest = Math.max(...text.split(' ').map((w) => boldWidth(w)));
      const fontPx = card.font * k;
      assert.ok(longest * fontPx + card.pad * fontPx <= card.w * k + 1e-9, `${text} at ${k}: ${fontPx} px in ${card.w * k} px`);
      assert.ok(fontPx >= FAR_WORD_FONT_PX - 1e-9);
    }
  }
  // Names of short words keep the usual floor.
  for (const card of farCards(row, 0.15)) assert.ok(card.font * 0.15 >= FAR_MIN_FONT_PX - 1e-9);
});

test('queue chips too close to share a line go on the next one, none over another', () => {
  /** @param {string} id @param {number} x @param {number} count */
  const inv = (id, x, count) => /** @type {any} */ ({ id, kind: 'inventory', x, y: 20, w: 72, h: 64, count });
  // Between steps 312 apart, at 18 %: each chip is wider than the gap to the next.
  const chips = farQueues([inv('q1', 228, 5), inv('q2', 540, 12), inv('q3', 852, 3), inv('q4', 2000, 8)], 0.18);
  for (const a of chips) {
    for (const b of chips) {
      if (a === b || a.row !== b.row) continue;
      assert.ok(a.cx + a.w / 2 <= b.cx - b.w / 2 || b.cx + b.w / 2 <= a.cx - a.w / 2, `${a.id} over ${b.id}`);
    }
  }
  assert.deepEqual(chips.map((c) => c.row), [0, 1, 0, 0], 'the middle one steps down; the far one stays up');
});

/** The demo's six steps, 312 apart. */
const demo = ['Refine request', 'Design', 'Build', 'Code review', 'Staging test', 'Release']
  .map((text, i) => ({ ...step(`s${i}`, i * 312), text, wait_minutes: 1440, wait_text: '3d', process_minutes: 240 }));
const calendar = { hours_per_day: 8, days_per_week: 5 };

test("on a phone no word is broken: the text shrinks for the longest, and a word too long even then ends in '…'", () => {
  // 390 px wide, the demo fitted at 13-16 %: "Refi / ne / requ / est" was drawn, 'Wait 3d' ran past the card.
  for (const k of [0.128, 0.156, 0.25, 0.4]) {
    for (const card of farCards(demo, k, calendar)) {
      const fontPx = card.font * k;
      const line = card.w * k - card.pad * fontPx;
      for (const word of [...card.name.split(' '), 'Wait', 'Work', '3d', '4h']) {
        const wide = boldWidth(word) * fontPx;
        assert.ok(wide <= line + 1e-9, `${word} at ${k}: ${fontPx} px in a ${line} px line`);
      }
      assert.ok(fontPx >= FAR_WORD_FONT_PX - 1e-9, `${k}: ${fontPx}`);
    }
  }
  const [refine] = farCards(demo, 0.156, calendar);
  assert.equal(refine.name, 'Refine request', 'every word whole where the floor size holds it');
  assert.equal(refine.cut, false);
  const [long] = farCards([{ ...demo[0], text: 'Qualitätssicherungsprüfung now' }, demo[1]], 0.128, calendar);
  assert.match(long.name, /^Qua\S*… now$/, 'a word longer than the card is cut, not broken over lines');
  assert.equal(long.cut, true, 'the whole name goes in its tooltip');
});

test('a long name is held to a few lines, the rest cut with "…", not run down the map', () => {
  const text = 'Wait for the security team to sign off the change and for the release board to meet';
  const [card] = farCards([{ ...demo[0], text }, demo[1]], 0.3, calendar);
  assert.equal(card.cut, true);
  const [short] = farCards(demo, 0.3, calendar);
  assert.equal(short.cut, false);
});

test('the cards of one row share one text size: the largest that fits every card of the row', () => {
  // 390 px wide (the demo at 15 %): 'Build' was drawn a size larger than 'Design' beside it.
  for (const k of [0.128, 0.153, 0.25, 0.4, 0.47]) {
    const cards = farCards(demo, k, calendar);
    assert.equal(new Set(cards.map((c) => c.font)).size, 1, `${k}: ${cards.map((c) => c.font * k)}`);
    assert.equal(new Set(cards.map((c) => c.pad)).size, 1, `${k}: one padding too`);
    // The largest: below the usual floor only as far as some card's longest word needs.
    const fontPx = cards[0].font * k;
    const full = fontPx >= FAR_MIN_FONT_PX - 1e-9 || cards.some((card) => {
      const longest = Math.max(...[...card.name.split(' '), 'Wait', 'Work', '3d', '4h'].map((w) => boldWidth(w)));
      return (longest + card.pad) * fontPx * 1.05 > card.w * k;
    });
    assert.ok(full, `${k}: ${fontPx} px leaves room to spare on every card`);
  }
  // A second row, its steps further apart, has a size of its own.
  const below = demo.slice(0, 2).map((s, i) => ({ ...s, id: `b${i}`, x: i * 600, y: 800 }));
  const cards = farCards([...demo, ...below], 0.3, calendar);
  assert.equal(new Set(cards.filter((c) => c.id.startsWith('s')).map((c) => c.font)).size, 1);
  assert.ok(cards.find((c) => c.id === 'b0').font > cards[0].font);
});

test('a word that fits its card is shown whole: the demo on a phone reads every name', () => {
  // 390 px wide: 'Refine reque…', 'Stagi… test', 'Relea…' though each word fits at 9 px.
  for (const k of [0.15, 0.153, 0.156]) {
    for (const card of farCards(demo, k, calendar)) {
      assert.equal(card.name, demo.find((s) => s.id === card.id)?.text, `${k}`);
      assert.equal(card.cut, false);
    }
  }
});

test("the width estimate is close to the board's bold font, a little over, never under", () => {
  // DejaVu Sans Bold (Vera Bold: app/export/fonts.py text_width at 700), in ems.
  const real = { Release: 4.417, request: 4.351, Staging: 4.359, Refine: 3.616, review: 3.768, Build: 2.875,
    Wait: 2.599, Work: 2.948, '12d': 2.107, mmm: 3.126, Illinois: 3.737 };
  for (const [word, ems] of Object.entries(real)) {
    assert.ok(boldWidth(word) >= ems && boldWidth(word) <= ems * 1.1, `${word}: ${boldWidth(word)} for ${ems}`);
  }
});

test("the page's own measure of its font sizes the cards where it is given", () => {
  const narrow = (/** @type {string} */ text) => [...text].length * 0.5;
  const cards = farCards(demo, 0.128, calendar, narrow);
  assert.ok(cards[0].font > farCards(demo, 0.128, calendar)[0].font, 'a narrower face: larger text');
  for (const card of cards) assert.equal(card.cut, false);
});

test("a word too long even at the smallest size is cut on its card, and does not shrink the row's others", () => {
  const named = [{ ...demo[0], text: 'Qualitätssicherungsprüfungsverfahren' }, ...demo.slice(1)];
  const cards = farCards(named, 0.47, calendar);
  assert.equal(new Set(cards.map((c) => c.font)).size, 1);
  assert.ok(Math.abs(cards[0].font * 0.47 - FAR_FONT_PX) < 1e-9, String(cards[0].font * 0.47));
  assert.match(cards[0].name, /^Qual\S*…$/);
  assert.equal(cards[0].cut, true);
  const line = cards[0].w * 0.47 / FAR_FONT_PX - cards[0].pad;
  assert.ok(boldWidth(cards[0].name) <= line, `${cards[0].name} in ${line} em`);
});

test('what presentation view draws reaches lower the farther out, the queue chips under the cards', () => {
  const calendar = { hours_per_day: 8, days_per_week: 5 };
  const elements = [
    { id: 'a', kind: 'step', x: 0, y: 100, w: 168, h: 96, text: 'Refine the incoming request with the product owner',
      wait_minutes: 480, process_minutes: 60 },
    { id: 'b', kind: 'step', x: 300, y: 100, w: 168, h: 96, text: 'Build' },
    { id: 'q', kind: 'inventory', x: 230, y: 120, w: 48, h: 40, count: 12 },
  ];
  const bottom = (/** @type {number} */ k) => Math.max(...farExtent(elements, k, calendar).map((r) => r.y + r.h));
  // Fitted by the steps' tops alone, the cards' lower part ran off the screen.
  const [a, b, chip] = farExtent(elements, 0.2, calendar);
  assert.equal(a.h, b.h, 'a row of cards is one even band');
  assert.ok(a.h * 0.2 >= 5 * 11, `a card with a three-line name is at least five lines tall on screen (${a.h * 0.2} px)`);
  assert.ok(chip.y >= a.y + a.h, 'the chip is under the cards');
  assert.ok(bottom(0.1) > bottom(0.2) && bottom(0.2) > bottom(0.5), 'farther out, the cards reach lower on the canvas');
});

test('a map of long unbroken names is cut in work linear in its letters, not quadratic', () => {
  // cutWord measured every shorter prefix of a word in turn: 2,500 steps named with 2,000
  // letters and no space froze the page for two minutes when Presentation view opened.
  const word = 'Longname'.repeat(250);
  const steps = Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, kind: 'step', x: 200 * i, y: 0, w: 168, h: 96, text: word }));
  let measured = 0;
  const counting = (/** @type {string} */ text) => { measured += text.length; return boldWidth(text); };
  const cards = farCards(steps, 0.5, { hours_per_day: 8, days_per_week: 5 }, counting);
  const written = word.length * steps.length;
  assert.ok(measured < 40 * written, `${measured} letters measured for ${written} written`);
  for (const card of cards) {
    assert.ok(card.cut && card.name.endsWith('…'));
    assert.ok(word.startsWith(card.name.slice(0, -1)));
  }
});

test('a word is cut at the longest start that fits with its "…", as it always was', () => {
  const cards = farCards([{ id: 's', kind: 'step', x: 0, y: 0, w: 168, h: 96, text: 'W'.repeat(60) }], 0.4);
  const [card] = cards;
  const line = (card.w * 0.4) / (card.font * 0.4) - card.pad + 1e-9;
  const kept = card.name.slice(0, -1);
  assert.ok(boldWidth(`${kept}…`) <= line, 'what is kept fits with its "…"');
  assert.ok(boldWidth(`${kept}W…`) > line, 'one more letter would not');
});
