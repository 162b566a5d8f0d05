// @ts-check
/**
 * What a facilitator types to confirm deleting a board: its name, so nobody deletes
 * the wrong board (or any board) with a stray click or Enter.
 *
 *   confirmWord('Feature delivery');            // 'Feature delivery'
 *   confirmWord('  ');                           // 'delete' (an untitled board)
 *   confirmsDeletion(' feature DELIVERY ', 'Feature delivery');  // true
 */

// What an untitled board asks for instead of its (empty) name.
export const UNTITLED_WORD = 'delete';

/** @param {string} title the board's title */
export function confirmWord(title) {
  const name = title.trim().replace(/\s+/g, ' ');
  return name || UNTITLED_WORD;
}

/**
 * Whether what was typed names the board: spaces and letter case do not matter.
 * @param {string} typed
 * @param {string} title
 */
export function confirmsDeletion(typed, title) {
  const norm = (/** @type {string} */ s) => s.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  return norm(typed) === norm(confirmWord(title));
}
