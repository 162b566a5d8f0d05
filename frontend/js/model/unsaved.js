// @ts-check
/**
 * What the page says about words typed and not saved: kept while the facilitator has
 * paused editing, or lost with an element someone else deleted. One wording for the
 * in-place field (canvas/text-edit.js) and the side panel (ui/inspector.js).
 *
 *   deletedWhileTyping({kind: 'step', text: 'Ship'}, '“3h”');
 *   // 'Ship was deleted by someone else while you typed in it: “3h” was not saved.'
 */

export const PAUSED = 'Editing is paused: what you typed stays here. Press Enter once the facilitator lets you edit again.';

const KINDS = { step: 'step', inventory: 'inventory', connector: 'arrow', note: 'note', experiment: 'experiment card' };

/**
 * @param {{kind: string, text?: string|null}} el the element as it was
 * @param {string} words what was typed and is not saved, quoted
 */
export function deletedWhileTyping(el, words) {
  const text = el.text?.trim();
  const name = el.kind === 'step' && text ? text : `This ${/** @type {Record<string, string>} */ (KINDS)[el.kind] ?? 'element'}`;
  return `${name} was deleted by someone else while you typed in it: ${words} was not saved.`;
}

/**
 * Under a field someone is typing in, when someone else changed what it holds meanwhile:
 * their words stay and are saved by Enter (last writer wins), and they know it first.
 *
 *   changedWhileTyping('3d');
 *   // 'Someone else changed this to “3d” while you typed. Enter keeps yours, Esc takes theirs.'
 * @param {string} theirs the field as the colleague left it, shown as the field shows it
 */
export function changedWhileTyping(theirs) {
  const what = theirs.trim() ? `changed this to “${theirs.trim()}”` : 'cleared this';
  return `Someone else ${what} while you typed. Enter keeps yours, Esc takes theirs.`;
}
