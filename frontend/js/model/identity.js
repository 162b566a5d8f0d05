// @ts-check
/**
 * This browser's identity, kept in its storage: the same person across reloads
 * and reconnects. The key is its secret (the server derives the client id from
 * it); a browser without one adopts the identity the server minted into the page.
 *
 *   const { client, key } = storedIdentity(localStorage, { client: page.client, key: page.key });
 */

const SLOT = 'flowmap.identity';
// Older pages declared their own client id here; a declared id proves nothing.
const OLD_SLOT = 'flowmap.client';

/**
 * @param {Pick<Storage, 'getItem'|'setItem'|'removeItem'>|null} storage
 * @param {{client: string, key: string}} minted what the server put in this page
 * @returns {{client: string, key: string}}
 */
export function storedIdentity(storage, minted) {
  try {
    const saved = JSON.parse(storage?.getItem(SLOT) ?? 'null');
    if (typeof saved?.client === 'string' && typeof saved?.key === 'string' && saved.key) return saved;
  } catch { /* unreadable: start afresh */ }
  storage?.setItem(SLOT, JSON.stringify(minted));
  storage?.removeItem(OLD_SLOT);
  return minted;
}
