// @ts-check
// The page's hooks: the session calls them before the parts that listen exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Hooks } from '../js/util/hooks.js';

test('a hook called before anyone listens does nothing', () => {
  const hooks = new Hooks(['changed']);
  assert.doesNotThrow(() => hooks.call.changed());
});

test('listeners run in the order they subscribed, with the arguments the hook was called with', () => {
  /** @type {Hooks<{peers: (peers: string[], you: string) => void}>} */
  const hooks = new Hooks(['peers']);
  /** @type {string[]} */
  const heard = [];
  hooks.on('peers', (peers, you) => heard.push(`first ${peers.join('+')} ${you}`))
    .on('peers', (peers) => heard.push(`second ${peers.length}`));
  hooks.call.peers(['ada', 'bob'], 'ada');
  assert.deepEqual(heard, ['first ada+bob ada', 'second 2']);
});

test('each hook reaches its own listeners only', () => {
  const hooks = new Hooks(['changed', 'status']);
  let changed = 0;
  hooks.on('changed', () => { changed += 1; });
  hooks.call.status();
  assert.equal(changed, 0);
  hooks.call.changed();
  assert.equal(changed, 1);
});

test('listening to a hook that does not exist is refused: a typo would otherwise never be called', () => {
  const hooks = new Hooks(['changed']);
  assert.throws(() => hooks.on(/** @type {any} */ ('chnaged'), () => {}), /no hook named chnaged/);
});
