// @ts-check
/**
 * How this person looks at the map, kept in this browser: the presentation
 * (far) view, and whether others' pointers show. Pure reading and writing of
 * the stored choice, so node tests check it.
 *
 *   const look = { far: false, cursors: true, ...readLook(localStorage) };
 *   writeLook(localStorage, look);
 */

const SLOT = 'flowmap.look';

/**
 * @typedef {{far: boolean, cursors: boolean}} Look
 */

/**
 * The stored look; {} when none can be read (the defaults stand).
 * @param {Pick<Storage, 'getItem'>|null} storage
 * @returns {Partial<Look>}
 */
export function readLook(storage) {
  try {
    const saved = JSON.parse(storage?.getItem(SLOT) ?? '{}');
    return { far: saved?.far === true, cursors: saved?.cursors !== false };
  } catch {
    return {};
  }
}

/**
 * @param {Pick<Storage, 'setItem'>|null} storage
 * @param {Look} look
 */
export function writeLook(storage, look) {
  storage?.setItem(SLOT, JSON.stringify(look));
}
