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
  const name = nameOf(el);
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

/**
 * An edit made here (offline, or just before) reached the server after someone else had
 * deleted its element: what the edit carried, named, rather than the server's "no element
 * with id 's-1'" that nobody at a workshop can read.
 *
 *   deletedBeforeSaved({kind: 'step', text: 'Build'}, {text: 'Build it'});
 *   // 'Build was deleted by someone else before your change reached the server: “Build it” was not saved.'
 * @param {{kind: string, text?: string|null}} el the element as this page last had it
 * @param {Record<string, unknown>} [set] the edit's fields
 */
export function deletedBeforeSaved(el, set = {}) {
  const words = Object.values(set)
    .filter((v) => typeof v === 'string' && v.trim())
    .map((v) => `“${String(v).trim()}”`);
  const name = nameOf(el);
  const lost = words.length ? `: ${words.join(', ')} was not saved.` : '; it was not saved.';
  return `${name} was deleted by someone else before your change reached the server${lost}`;
}

/**
 * Someone deleted the element an arrow was being drawn from: the drawing ends, and why.
 *
 *   arrowFromDeleted({kind: 'step', text: 'Build'});
 *   // 'Build was deleted by someone else: the arrow from it was not drawn.'
 * @param {{kind: string, text?: string|null}} el the element as this page last had it
 */
export function arrowFromDeleted(el) {
  const name = nameOf(el);
  return `${name} was deleted by someone else: the arrow from it was not drawn.`;
}

/**
 * A step by its name, anything else (or a step with none) as "This note", "This arrow"...
 * @param {{kind: string, text?: string|null}} el
 */
function nameOf(el) {
  const text = el.text?.trim();
  return el.kind === 'step' && text ? text : `This ${/** @type {Record<string, string>} */ (KINDS)[el.kind] ?? 'element'}`;
}
