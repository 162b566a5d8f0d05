// Refresh the expected values in tests/fixtures/text-fit/cases.json from the
// page's text fit, after a deliberate change to frontend/js/model/text-fit.js or
// boxes.js; then make app/domain/text_fit.py agree (tests/unit/test_text_fit.py).
//
//   node scripts/text-fit-cases.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { BURST_TEXT, CARD_TEXT, NOTE_TEXT, lineCount, textHeight } from '../frontend/js/model/text-fit.js';
import { boxOf, cardText } from '../frontend/js/model/boxes.js';

const FIXTURE = fileURLToPath(new URL('../tests/fixtures/text-fit/cases.json', import.meta.url));
const STYLES = { note: NOTE_TEXT, burst: BURST_TEXT, card: CARD_TEXT };
const cases = JSON.parse(readFileSync(FIXTURE, 'utf8'));
const lines = cases.lines.map(({ text, width, style }) => ({ text, width, style,
  lines: lineCount(text, width, STYLES[style]), height: textHeight(text, width, STYLES[style]) }));
const notes = cases.notes.map(({ variant, text, w, h }) => ({ variant, text, w, h,
  drawn_h: boxOf({ id: 'n', kind: 'note', variant, text, w, h }).h }));
const cards = cases.cards.map(({ card_text: _text, drawn_h: _h, ...card }) => ({ ...card,
  card_text: cardText(card), drawn_h: boxOf(card).h }));
writeFileSync(FIXTURE, `${JSON.stringify({ lines, notes, cards }, null, 1)}\n`);
