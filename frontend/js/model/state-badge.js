// @ts-check
/**
 * The header's badge for the board's state after the workshop (published,
 * validated), with "changed since" when the map no longer says what was
 * published. A board still being mapped shows no badge. Pure.
 *
 *   stateBadge('published', true);   // {state: 'published', text: 'Published · changed since', hidden: false, ...}
 */

/** @type {Record<string, string>} */
const STATE_LABEL = { mapping: 'Mapping', published: 'Published', validated: 'Validated' };

/**
 * @param {unknown} state the frame's `state`
 * @param {boolean} changedSince whether the map differs from its latest published version
 * @returns {{state: string, text: string, changed: boolean, title: string, hidden: boolean}}
 */
export function stateBadge(state, changedSince) {
  const value = typeof state === 'string' ? state : 'mapping';
  const changed = value !== 'mapping' && changedSince;
  const text = `${STATE_LABEL[value] ?? value}${changed ? ' · changed since' : ''}`;
  const again = value === 'validated' ? 'validated' : 'checked';
  const title = changed ? `The map has changed since it was ${value}: publish a new version to have it ${again} again` : '';
  return { state: value, text, changed, title, hidden: value === 'mapping' };
}
