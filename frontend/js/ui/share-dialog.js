// @ts-check
/**
 * The facilitator's links: copy the one you hold, make a new link for any role.
 * A new link revokes the old one: whoever still uses it is disconnected and
 * refused. The server stores links hashed, so a link shows where it was made: the
 * links this browser made for the board are kept in it (model/board-links.js).
 *
 *   bindShareDialog(dialog, {api, role: 'facilitator', current: location.href, storage, boardId});
 */

import { dropLink, keepLinks, keptLinks } from '../model/board-links.js';
import { html } from '../util/dom.js';

/** @type {Record<string, string>} */
const ROLES = {
  facilitator: 'Facilitator: runs the session, edits everything',
  participant: 'Participants: map and vote',
  viewer: 'Viewers: watch only',
};

/**
 * @param {HTMLDialogElement} dialog
 * @param {{api: import('../net/api.js').BoardApi, role: string, current: string,
 *   notify: (message: string) => void, moved: (link: string) => void,
 *   storage: import('../model/board-links.js').KeyValue|null, boardId: string}} opts
 */
export function bindShareDialog(dialog, opts) {
  const list = /** @type {HTMLElement} */ (dialog.querySelector('[data-links]'));
  /** @type {Record<string, string>} */
  const known = opts.role === 'facilitator' ? { ...keptLinks(opts.storage, opts.boardId), [opts.role]: opts.current }
    : { [opts.role]: opts.current };
  /** Roles whose new link is being made. */
  const pending = new Set();
  const render = () => {
    list.replaceChildren(...Object.entries(ROLES).map(([role, label]) => {
      const link = known[role] ?? '';
      const field = html('input', { type: 'text', class: 'inspector-input share-link', readonly: true,
        value: link, placeholder: 'Not kept here: New link makes one',
        'aria-label': `${role} link` });
      const copy = html('button', { type: 'button', class: 'button', disabled: !link, 'data-copy': role }, ['Copy']);
      copy.addEventListener('click', async () => {
        field.select();
        try {
          await navigator.clipboard.writeText(link);
          opts.notify('Link copied');
        } catch {
          opts.notify('Select the link and copy it');
        }
      });
      const renew = html('button', { type: 'button', class: 'button', 'data-renew': role, disabled: pending.has(role) }, ['New link']);
      renew.addEventListener('click', () => regenerate(role));
      return html('div', { class: 'share-row', 'data-role': role }, [
        html('div', { class: 'share-label' }, [label]), html('div', { class: 'share-controls' }, [field, copy, renew]),
      ]);
    }));
  };
  /** @param {string} role */
  async function regenerate(role) {
    // One at a time: each new link revokes the one before, and of two made at once the
    // answer that came back last was shown and kept, perhaps the one already revoked.
    if (pending.has(role)) return;
    pending.add(role);
    render();
    const answer = await opts.api.send('POST', `/links/${role}`).finally(() => pending.delete(role));
    render();
    if (!answer.ok) {
      opts.notify(`Could not make a new link (${answer.status})`);
      return;
    }
    const { link } = answer.data;
    known[role] = link;
    keepLinks(opts.storage, opts.boardId, { [role]: link });
    render();
    opts.notify(`New ${role} link made; the old one no longer works`);
    if (role === opts.role) opts.moved(link);
  }
  dialog.querySelector('[data-action="close-share"]')?.addEventListener('click', () => dialog.close());
  render();
  // A kept link another facilitator has replaced since opens nothing: not shown, not kept.
  for (const [role, link] of Object.entries(known)) {
    if (role === opts.role) continue;
    opts.api.stillOpens(link).then((opens) => {
      if (opens || known[role] !== link) return;
      delete known[role];
      dropLink(opts.storage, opts.boardId, role);
      render();
    });
  }
}
