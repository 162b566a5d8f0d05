// @ts-check
/**
 * Boards this browser has opened, for the home page ('flowmap.boards' in
 * localStorage). For each board the most capable link seen is kept: a
 * facilitator who once opened the viewer link still gets the facilitator one.
 *
 *   rememberBoard(localStorage, {id, title, role: 'facilitator', url}, Date.now());
 *   recentBoards(localStorage);   // newest first
 */

/**
 * @typedef {{id: string, title: string, role: string, url: string, openedAt: number}} RecentBoard
 * @typedef {Pick<Storage, 'getItem'|'setItem'>} KeyValue
 */

export const RECENT_KEY = 'flowmap.boards';
// Enough to find last month's workshops; a list, not an archive.
const MAX_RECENT = 30;
/** @type {Record<string, number>} */
const RANK = { viewer: 0, participant: 1, facilitator: 2 };

/**
 * @param {KeyValue|null} storage
 * @returns {RecentBoard[]} newest first
 */
export function recentBoards(storage) {
  if (!storage) return [];
  try {
    const data = JSON.parse(storage.getItem(RECENT_KEY) ?? '[]');
    if (!Array.isArray(data)) return [];
    return data
      .filter((b) => b && typeof b.id === 'string' && typeof b.url === 'string')
      .sort((a, b) => (b.openedAt ?? 0) - (a.openedAt ?? 0));
  } catch {
    return [];
  }
}

/**
 * @param {KeyValue|null} storage
 * @param {{id: string, title: string, role: string, url: string}} board
 * @param {number} now ms
 */
export function rememberBoard(storage, board, now) {
  if (!storage) return;
  const list = recentBoards(storage);
  const old = list.find((b) => b.id === board.id);
  const keepOldLink = old && (RANK[old.role] ?? 0) > (RANK[board.role] ?? 0);
  const entry = {
    id: board.id,
    title: board.title || old?.title || 'Untitled board',
    role: keepOldLink && old ? old.role : board.role,
    url: keepOldLink && old ? old.url : board.url,
    openedAt: now,
  };
  const next = [entry, ...list.filter((b) => b.id !== board.id)].slice(0, MAX_RECENT);
  write(storage, next);
}

/**
 * @param {KeyValue|null} storage
 * @param {string} id
 */
export function forgetBoard(storage, id) {
  if (!storage) return;
  write(storage, recentBoards(storage).filter((b) => b.id !== id));
}

/** @param {KeyValue} storage @param {RecentBoard[]} list */
function write(storage, list) {
  try {
    storage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // A full or blocked storage only costs the home page its list.
  }
}

/** localStorage, or null where it is blocked (some privacy modes throw on access). */
export function browserStorage() {
  try {
    const s = globalThis.localStorage;
    const probe = 'flowmap.probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}
