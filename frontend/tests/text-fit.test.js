// @ts-check
/**
 * The page's text fit against the golden cases the Python mirror
 * (app/domain/text_fit.py, tests/unit/test_text_fit.py) also reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import {
  BURST_TEXT, CARD_TEXT, INVENTORY_TEXT, NOTE_TEXT, STEP_TEXT, labelCut, lineCount, textHeight,
} from '../js/model/text-fit.js';
import { boxOf, cardText } from '../js/model/boxes.js';

const FIXTURE = fileURLToPath(new URL('../../tests/fixtures/text-fit/cases.json', import.meta.url));
const CASES = JSON.parse(readFileSync(FIXTURE, 'utf8'));
/** @type {Record<string, import('../js/model/text-fit.js').TextStyle>} */
const STYLES = { note: NOTE_TEXT, burst: BURST_TEXT, card: CARD_TEXT };

test('text wraps to the golden line counts and heights', () => {
  for (const c of CASES.lines) {
    assert.equal(lineCount(c.text, c.width, STYLES[c.style]), c.lines, `${c.style} ${c.width}: ${c.text}`);
    assert.equal(textHeight(c.text, c.width, STYLES[c.style]), c.height);
  }
});

test('notes are drawn as tall as the golden cases say', () => {
  for (const n of CASES.notes) {
    const box = boxOf({ id: 'n', kind: 'note', variant: n.variant, text: n.text, w: n.w, h: n.h });
    assert.equal(box.h, n.drawn_h, `${n.variant} ${n.w}: ${n.text}`);
  }
});

test('experiment cards say and measure what the golden cases say', () => {
  for (const c of CASES.cards) {
    const { card_text: text, drawn_h: h, ...card } = c;
    assert.equal(cardText(card), text);
    assert.equal(boxOf(card).h, h, text);
  }
});

test("a label knows when it cuts its words short with '…': a step's long name, an inventory's third line", () => {
  // A step's box (168 x 96) shows four lines of its name, an inventory's label (136 wide) two.
  const long = 'Wait for the security team to sign off the change and for the release board to meet';
  assert.equal(labelCut('Staging test', 168, 96, STEP_TEXT), false);
  assert.equal(labelCut('Get the security team and the release board to sign off the change', 168, 96, STEP_TEXT), false);
  assert.equal(labelCut(long, 168, 96, STEP_TEXT), true);
  assert.equal(labelCut(long, 168, 240, STEP_TEXT), false, 'a taller step shows it all');
  assert.equal(labelCut('', 168, 96, STEP_TEXT), false, 'no name: nothing cut');
  assert.equal(labelCut('waiting', 136, 34, INVENTORY_TEXT), false);
  assert.equal(labelCut('tickets waiting for the weekly change board', 136, 34, INVENTORY_TEXT), false);
  assert.equal(labelCut('tickets waiting for the weekly change advisory board and its sign-off', 136, 34, INVENTORY_TEXT), true);
  assert.equal(labelCut('one\ntwo\nthree', 136, 34, INVENTORY_TEXT), true, 'a third line of its own');
});
