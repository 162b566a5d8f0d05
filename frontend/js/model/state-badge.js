// @ts-check
/**
 * The header's badge for the board's state after the workshop (published,
 * validated), with "changed since" when the map no longer says what was
 * published. A board still being mapped shows no badge. Pure.
 *
 *   stateBadge('published', true);   // {state: 'published', label: 'Published', text: 'Published · changed since', ...}
 */

/** @type {Record<string, string>} */
const STATE_LABEL = { mapping: 'Mapping', published: 'Published', validated: 'Validated' };
// After the state, when the map no longer says what was published: the first words to go
// when the header is short of room (the board's name keeps its room; the tooltip says it all).
export const CHANGED = ' · changed since';

/**
 * @param {unknown} state the frame's `state`
 * @param {boolean} changedSince whether the map differs from its latest published version
 * @returns {{state: string, label: string, text: string, changed: boolean, title: string, hidden: boolean}}
 */
export function stateBadge(state, changedSince) {
  const value = typeof state === 'string' ? state : 'mapping';
  const changed = value !== 'mapping' && changedSince;
  const label = STATE_LABEL[value] ?? value;
  const text = `${label}${changed ? CHANGED : ''}`;
  const again = value === 'validated' ? 'validated' : 'checked';
  const title = changed ? `The map has changed since it was ${value}: publish a new version to have it ${again} again` : '';
  return { state: value, label, text, changed, title, hidden: value === 'mapping' };
}
