// @ts-check
/**
 * The home page: create a board (POST /api/boards), hand out its three links,
 * import one from a JSON export (POST /api/boards/import: picked or dropped, then
 * opened as facilitator), and list the boards this browser opened before. Both
 * calls go through net/api.js (BoardsApi).
 */

import { importRefusal, readExport, sizeRefusal } from './model/import-file.js';
import { keepLinks } from './model/board-links.js';
import { browserStorage, forgetBoard, recentBoards, rememberBoard } from './model/recent-boards.js';
import { BoardsApi, readableProblem } from './net/api.js';
import { byId, html } from './util/dom.js';

/** @typedef {{id: string, links: {facilitator: string, participant: string, viewer: string}}} CreatedBoard */

const storage = browserStorage();
const api = new BoardsApi();
const form = /** @type {HTMLFormElement} */ (byId('new-board'));
const created = byId('created');
const error = byId('form-error');
const submit = /** @type {HTMLButtonElement} */ (byId('create-board'));

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = new FormData(form);
  const title = String(data.get('title') ?? '').trim();
  const scope = String(data.get('scope') ?? '').trim();
  const key = String(data.get('create_key') ?? '');
  if (!title) return showError('Give the board a title.', 'board-title');
  if (document.body.dataset.createKey === 'required' && !key) {
    return showError('This Flowmap is private: type its creation key.', 'create-key');
  }
  submit.disabled = true;
  submit.textContent = 'Creating…';
  const answer = await api.create({ title, scope }, key).catch(() => null);
  submit.disabled = false;
  submit.textContent = 'Create board';
  if (!answer) return showError('Could not reach Flowmap to create the board. Try again.');
  if (!answer.ok) return showError(createRefusal(answer.status, answer.data));
  showCreated(/** @type {CreatedBoard} */ (answer.data), title);
});

byId('another').addEventListener('click', () => {
  created.hidden = true;
  form.hidden = false;
  form.reset();
  byId('board-title').focus();
});

created.addEventListener('click', async (e) => {
  const button = /** @type {HTMLElement} */ (e.target).closest('[data-copy]');
  if (!button) return;
  const input = /** @type {HTMLInputElement} */ (created.querySelector(`[data-link="${button.getAttribute('data-copy')}"]`));
  const ok = await copy(input);
  button.textContent = ok ? 'Copied' : 'Press Ctrl+C';
  button.classList.toggle('is-copied', ok);
  setTimeout(() => {
    button.textContent = 'Copy';
    button.classList.remove('is-copied');
  }, 1600);
});

/** @param {CreatedBoard} board @param {string} title */
function showCreated(board, title) {
  for (const role of /** @type {const} */ (['facilitator', 'participant', 'viewer'])) {
    /** @type {HTMLInputElement} */ (created.querySelector(`[data-link="${role}"]`)).value = board.links[role];
  }
  /** @type {HTMLAnchorElement} */ (byId('open-board')).href = board.links.facilitator;
  rememberBoard(storage, { id: board.id, title, role: 'facilitator', url: board.links.facilitator }, Date.now());
  keepLinks(storage, board.id, board.links); // the board's Links dialog shows them again
  error.hidden = true;
  form.hidden = true;
  created.hidden = false;
  byId('created-title').focus();
  showRecent();
}

/** @param {string} message @param {string} [focusId] */
function showError(message, focusId) {
  error.textContent = message;
  error.hidden = false;
  if (focusId) byId(focusId).focus();
}

/**
 * Why the board was not created, as a sentence: the server's reason, or the
 * first field it found wrong (a title too long), else its status.
 * @param {number} status
 * @param {any} data the refusal's JSON, if any
 */
function createRefusal(status, data) {
  if (typeof data?.detail === 'string' && data.detail) return readableProblem(status, data);
  if (Array.isArray(data?.detail) && data.detail[0]?.msg) return String(data.detail[0].msg);
  return `Could not create the board (${status}). Try again.`;
}

/** @param {HTMLInputElement} input */
async function copy(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    input.focus();
    input.select();
    return false;
  }
}

function showRecent() {
  const boards = recentBoards(storage);
  byId('recent').hidden = boards.length === 0;
  const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  byId('recent-list').replaceChildren(...boards.map((b) => {
    const forget = html('button', { type: 'button', class: 'forget', 'aria-label': `Forget ${b.title}`, title: 'Remove from this list' }, ['×']);
    forget.addEventListener('click', () => {
      forgetBoard(storage, b.id);
      showRecent();
    });
    return html('li', { class: 'recent-item' }, [
      html('a', { href: b.url, class: 'recent-link' }, [
        html('span', { class: 'recent-title' }, [b.title]),
        html('span', { class: 'recent-meta' }, [`${b.role} · ${when.format(new Date(b.openedAt))}`]),
      ]),
      forget,
    ]);
  }));
}

const importError = byId('import-error');
const importPick = /** @type {HTMLButtonElement} */ (byId('import-pick'));
const importFile = /** @type {HTMLInputElement} */ (byId('import-file'));

importPick.addEventListener('click', () => importFile.click());
importFile.addEventListener('change', () => {
  const file = importFile.files?.[0];
  importFile.value = ''; // the same file again is a new try
  if (file) importBoard(file);
});
// The whole page takes a dropped file; the hint shows while one is dragged over it.
document.addEventListener('dragover', (e) => {
  if (!e.dataTransfer?.types.includes('Files')) return;
  e.preventDefault();
  document.body.classList.add('is-dropping');
});
document.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) document.body.classList.remove('is-dropping');
});
document.addEventListener('drop', (e) => {
  if (!e.dataTransfer?.types.includes('Files')) return;
  e.preventDefault();
  document.body.classList.remove('is-dropping');
  const file = e.dataTransfer.files[0];
  if (file) importBoard(file);
});

/**
 * Import the file as a new board and open it as its facilitator; say why not, in the page.
 * @param {File} file
 */
async function importBoard(file) {
  importError.hidden = true;
  const tooBig = sizeRefusal(file.size);
  if (tooBig) return showImportError(tooBig);
  const read = readExport(await file.text());
  if (!read.ok) return showImportError(read.message);
  const key = String(new FormData(form).get('create_key') ?? '');
  if (document.body.dataset.createKey === 'required' && !key) {
    return showImportError('This Flowmap is private: type its creation key under New board first.', 'create-key');
  }
  importPick.disabled = true;
  importPick.textContent = 'Importing…';
  try {
    const answer = await api.importBoard(read.body, key);
    if (!answer.ok) return showImportError(importRefusal(answer.status, answer.data));
    const board = /** @type {CreatedBoard} */ (answer.data);
    rememberBoard(storage, { id: board.id, title: read.title, role: 'facilitator', url: board.links.facilitator }, Date.now());
    keepLinks(storage, board.id, board.links);
    location.assign(board.links.facilitator);
  } catch {
    showImportError('Could not reach Flowmap to import the board. Try again.');
  } finally {
    importPick.disabled = false;
    importPick.textContent = 'Choose a JSON export…';
  }
}

/** @param {string} message @param {string} [focusId] */
function showImportError(message, focusId) {
  importError.textContent = message;
  importError.hidden = false;
  if (focusId) byId(focusId).focus();
}

showRecent();
