// @ts-check
/**
 * The browser's protocol mirror against the golden fixtures the Python tests
 * also read (tests/fixtures/protocol/client.json and server.json): every
 * message in them is one js/protocol.js knows, and a session digests them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  GUEST,
  CLIENT, CONNECTOR_KINDS, DEFAULTS, KINDS, NOTE_VARIANTS, PALETTE, PROTOCOL_VERSION, SERVER, WASTES,
  cursorMessage, hello, parseServerMessage, viewMessage,
} from '../js/protocol.js';
import { BoardModel } from '../js/model/board.js';
import { LivePositions } from '../js/model/live.js';
import { Session } from '../js/net/session.js';

const FIXTURES = fileURLToPath(new URL('../../tests/fixtures/protocol/', import.meta.url));

test('the protocol version is 1', () => {
  assert.equal(PROTOCOL_VERSION, 1);
  assert.deepEqual(hello('Ada', null), { type: 'hello', protocol: 1, name: 'Ada', since: null, features: ['metrics-patch'] });
});

test('defaults and palette match docs/protocol.md', () => {
  assert.deepEqual([DEFAULTS.step.w, DEFAULTS.step.h, DEFAULTS.inventory.w, DEFAULTS.inventory.h, DEFAULTS.note.w, DEFAULTS.note.h],
    [168, 96, 72, 64, 168, 120]);
  assert.equal(PALETTE.length, 10);
});

/** A golden fixture; a missing one fails the test (it is what keeps the mirror honest).
 * @param {string} name @returns {Record<string, any>} */
function fixtures(name) {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
}

test('the vocabulary and element defaults are the server domain\'s (constants.json)', () => {
  const domain = /** @type {Record<string, any>} */ (fixtures('constants'));
  assert.deepEqual([...KINDS], domain.kinds);
  assert.deepEqual([...PALETTE], domain.palette);
  assert.deepEqual([...WASTES], domain.wastes);
  assert.deepEqual([...CONNECTOR_KINDS], domain.connector_kinds);
  assert.deepEqual([...NOTE_VARIANTS], domain.note_variants);
  assert.deepEqual(JSON.parse(JSON.stringify(DEFAULTS)), domain.defaults);
});

test('every client fixture is a message type the browser sends, built the same way', () => {
  const client = fixtures('client');
  for (const [name, message] of Object.entries(client)) {
    assert.ok(Object.values(CLIENT).includes(message.type), `${name}: ${message.type} is in CLIENT`);
  }
  assert.deepEqual(hello('Ada', null), client.hello);
  assert.deepEqual(hello('Ada', 42), client.hello_reconnect);
  assert.deepEqual(cursorMessage(null, null), client.cursor_hide);
  assert.deepEqual(viewMessage({ x: -120.5, y: 40, w: 1280, h: 720 }), client.view);
  assert.deepEqual(new Set(Object.values(client).map((m) => m.type)), new Set(Object.values(CLIENT)),
    'every message type the browser sends has a fixture');
});

test('every server fixture parses and a session applies it without trouble', () => {
  const server = fixtures('server');
  for (const [name, message] of Object.entries(server)) {
    assert.ok(Object.values(SERVER).includes(message.type), `${name}: ${message.type} is in SERVER`);
    assert.ok(parseServerMessage(JSON.stringify(message)), `${name} parses`);
  }
  const model = new BoardModel();
  const notes = /** @type {string[]} */ ([]);
  const session = new Session({
    model, live: new LivePositions(), store: { save: () => {} }, transport: { send: () => true },
    name: () => 'Ada', role: 'participant',
    hooks: { changed() {}, status() {}, peers() {}, cursors() {}, welcomed() {}, notify: (m) => notes.push(m) },
  });
  session.received(JSON.stringify(server.welcome_snapshot));
  assert.equal(model.seq, 42);
  assert.equal(model.get('s-1a2b3c')?.text, 'Build');
  assert.equal(model.view().frame.title, 'Feature delivery');
  session.received(JSON.stringify(server.welcome_missed));
  assert.equal(model.get('s-1a2b3c')?.x, 140);
  for (const name of ['transient', 'presence', 'metrics', 'metrics_patch', 'ack', 'error', 'pong', 'ops']) {
    session.received(JSON.stringify(server[name]));
  }
  assert.deepEqual(model.metrics, { lead_time_minutes: 12000 });
  assert.equal(model.seq, 44);
  assert.equal(model.get('s-1a2b3c'), undefined);
  assert.deepEqual(notes, ['Not saved: pca must be between 0 and 100']);
});

test('a viewer who just looks says so in the hello: the server names them, not the page', () => {
  assert.deepEqual(hello(GUEST, null), {
    type: 'hello', protocol: 1, name: 'Guest', since: null, features: ['metrics-patch'], guest: true,
  });
  assert.equal('guest' in hello('Ada', null), false);
});
