// @ts-check
/**
 * The Export dialog: one download link per format, for anyone holding a link to
 * the board. Each link asks the server for the board as it is now
 * (GET /api/boards/{id}/export?format=...), which answers with an attachment,
 * so the browser saves a file named after the board.
 *
 *   const menu = createExportMenu(document.body, {boardId, token});
 *   menu.open();
 */

import { html } from '../util/dom.js';

/** What each format is for, in the order the dialog lists them. */
export const EXPORT_FORMATS = Object.freeze([
  { format: 'svg', name: 'SVG picture', hint: 'Sharp at any size: slides, print, the wall' },
  { format: 'png', name: 'PNG picture', hint: 'For chat, wikis and documents' },
  { format: 'pdf', name: 'PDF report', hint: 'The map, the totals, every step\'s data and the rules used' },
  { format: 'csv', name: 'CSV data', hint: 'One row per step with every figure, for spreadsheets' },
  { format: 'json', name: 'JSON file', hint: 'Everything on the board, to import into Flowmap again' },
]);

/**
 * The download address of one format; the token rides along because a plain
 * link cannot send an Authorization header (the page sends no Referer, so it stays here).
 * @param {string} boardId
 * @param {string} token
 * @param {string} format
 */
export function exportUrl(boardId, token, format) {
  const query = new URLSearchParams({ format, token });
  return `/api/boards/${encodeURIComponent(boardId)}/export?${query}`;
}

/**
 * @param {HTMLElement} host where the dialog goes
 * @param {{boardId: string, token: string}} opts
 * @returns {{dialog: HTMLDialogElement, open: () => void}}
 */
export function createExportMenu(host, opts) {
  const options = EXPORT_FORMATS.map(({ format, name, hint }) => html('li', {}, [
    html('a', {
      class: 'export-option', href: exportUrl(opts.boardId, opts.token, format), download: '',
      'data-format': format, 'aria-describedby': `export-hint-${format}`,
    }, [
      html('span', { class: 'export-name' }, [name]),
      html('span', { class: 'export-hint', id: `export-hint-${format}` }, [hint]),
    ]),
  ]));
  const dialog = html('dialog', { id: 'export-dialog', class: 'dialog', 'aria-labelledby': 'export-dialog-title' }, [
    html('form', { method: 'dialog', class: 'dialog-form' }, [
      html('h2', { id: 'export-dialog-title' }, ['Export the map']),
      html('p', { class: 'dialog-hint' }, ['The board as it is now, as a file to download.']),
      html('ul', { class: 'export-options' }, options),
      html('div', { class: 'dialog-actions' }, [
        html('button', { type: 'submit', class: 'button button-primary' }, ['Close']),
      ]),
    ]),
  ]);
  // A download chosen is what the dialog was for: it closes, and the browser shows the file.
  dialog.addEventListener('click', (e) => {
    if (/** @type {Element} */ (e.target).closest('a.export-option')) dialog.close();
  });
  host.append(dialog);
  return { dialog, open: () => dialog.showModal() };
}
