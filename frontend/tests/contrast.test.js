// @ts-check
/**
 * Text stays readable on every note colour: WCAG 2 contrast of at least 4.5:1
 * (level AA for normal text) for the note text and for the lighter text drawn
 * on notes (captions, placeholders), against every palette fill.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { SWATCHES, TEXT_COLOR } from '../js/canvas/colors.js';
import { PALETTE } from '../js/protocol.js';

// WCAG 2.x, success criterion 1.4.3 (AA) for text under 18pt.
const AA_TEXT = 4.5;

/** @param {string} hex "#rrggbb" @returns {number} relative luminance, 0 (black) to 1 (white) */
function luminance(hex) {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

/** @param {string} a @param {string} b */
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** A colour a stylesheet declares as #rrggbb, e.g. whiteboard.css --note-caption or tokens.css --ink-faint. */
function declared(/** @type {string} */ sheet, /** @type {string} */ name) {
  const css = readFileSync(new URL(`../css/${sheet}`, import.meta.url), 'utf8');
  const found = css.match(new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})\\s*;`));
  assert.ok(found, `${sheet} declares --${name} as #rrggbb`);
  return found[1];
}

/** A colour the whiteboard stylesheet declares for text on notes. */
const stylesheetColor = (/** @type {string} */ name) => declared('whiteboard.css', name);

/** A colour tokens.css declares. */
const token = (/** @type {string} */ name) => declared('tokens.css', name);

test('the contrast formula matches known pairs', () => {
  assert.equal(contrast('#000000', '#ffffff'), 21);
  assert.equal(contrast('#777777', '#777777'), 1);
  assert.ok(Math.abs(contrast('#767676', '#ffffff') - 4.54) < 0.01); // the classic lightest AA grey
});

test('every palette colour has a swatch', () => {
  assert.deepEqual(Object.keys(SWATCHES), [...PALETTE]);
});

for (const [label, color] of [
  ['note text', TEXT_COLOR],
  ['note captions', stylesheetColor('note-caption')],
  ['placeholders', stylesheetColor('placeholder-ink')],
]) {
  test(`${label} read at ${AA_TEXT}:1 or better on every palette colour`, () => {
    const weak = Object.entries(SWATCHES)
      .map(([name, s]) => [name, Math.round(contrast(color, s.fill) * 100) / 100])
      .filter(([, ratio]) => Number(ratio) < AA_TEXT);
    assert.deepEqual(weak, [], `${color} is too faint on ${weak.map((w) => w.join(' at ')).join(', ')}`);
  });
}

test("the panels' small print (hints, who set a figure, a comment's time) reads at 4.5:1 or better", () => {
  // The faintest text the panels use, on every surface they put it on.
  const weak = ['ink-muted', 'ink-faint'].flatMap((ink) => ['surface', 'surface-muted', 'surface-cool', 'hover']
    .map((surface) => [ink, surface, Math.round(contrast(token(ink), token(surface)) * 100) / 100])
    .filter(([, , ratio]) => Number(ratio) < AA_TEXT));
  assert.deepEqual(weak, []);
});
