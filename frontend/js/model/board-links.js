// @ts-check
/**
 * The links this browser made for each board ('flowmap.links' in localStorage): the
 * three the home page got when it made or imported the board, and each New link made
 * in the board's Links dialog since. The server keeps only hashes, so without these the
 * facilitator found no participant link to send, and New link would revoke the one that
 * perhaps went out already. This browser holds the facilitator link anyway: keeping the
 * lesser ones beside it gives nobody more than they have.
 *
 *   keepLinks(localStorage, 'b-1', {participant: 'http://…/b/b-1?token=…'});
 *   keptLinks(localStorage, 'b-1');          // {participant: 'http://…'}
 *   dropLink(localStorage, 'b-1', 'participant');   // replaced elsewhere: it opens nothing now
 */

/** @typedef {Pick<Storage, 'getItem'|'setItem'>} KeyValue */

export const LINKS_KEY = 'flowmap.links';
// As many boards as the home page lists (model/recent-boards.js): the oldest go first.
const MAX_BOARDS = 30;
const ROLES = ['facilitator', 'participant', 'viewer'];

/** @param {KeyValue|null} storage @returns {Record<string, Record<string, string>>} */
function readAll(storage) {
  try {
    const data = JSON.parse(storage?.getItem(LINKS_KEY) ?? '{}');
    return data && typeof data === 'object' && !Array.isArray(data) ? data : {};
  } catch {
    return {};
  }
}

/** @param {KeyValue} storage @param {Record<string, Record<string, string>>} all */
function writeAll(storage, all) {
  const ids = Object.keys(all);
  const kept = Object.fromEntries(ids.slice(Math.max(0, ids.length - MAX_BOARDS)).map((id) => [id, all[id]]));
  try {
    storage.setItem(LINKS_KEY, JSON.stringify(kept));
  } catch {
    // A full or blocked storage: the dialog shows the links when they are made, as before.
  }
}

/**
 * @param {KeyValue|null} storage
 * @param {string} boardId
 * @returns {Record<string, string>} role -> link
 */
export function keptLinks(storage, boardId) {
  const links = readAll(storage)[boardId];
  if (!links || typeof links !== 'object') return {};
  return Object.fromEntries(ROLES.filter((role) => typeof links[role] === 'string' && links[role]).map((role) => [role, links[role]]));
}

/**
 * @param {KeyValue|null} storage
 * @param {string} boardId
 * @param {Record<string, string>} links role -> link, merged over those kept
 */
export function keepLinks(storage, boardId, links) {
  if (!storage) return;
  const all = readAll(storage);
  const merged = { ...keptLinks(storage, boardId), ...links };
  delete all[boardId]; // re-added last: the newest board is the last to go
  all[boardId] = merged;
  writeAll(storage, all);
}

/**
 * @param {KeyValue|null} storage
 * @param {string} boardId
 * @param {string} role
 */
export function dropLink(storage, boardId, role) {
  if (!storage) return;
  const all = readAll(storage);
  if (!all[boardId]) return;
  delete all[boardId][role];
  writeAll(storage, all);
}
