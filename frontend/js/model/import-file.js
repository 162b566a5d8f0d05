// @ts-check
/**
 * Reading a file dropped or picked on the home page as a Flowmap JSON export, and
 * saying in plain words why one cannot be imported: before sending it (not JSON,
 * not an export) and after (the server's 4xx answer, never its internals).
 *
 *   const read = readExport(text);            // {ok: true, body, title} or {ok: false, message}
 *   importRefusal(422, {detail: [{loc: ['body', 'format'], msg: '…'}]});  // one sentence
 */

// What `GET /api/boards/{id}/export?format=json` writes (app/export/json.py FORMAT).
export const EXPORT_FORMAT = 'flowmap-board';
// The server's own limit on an import's body (app/config.py import_body_bytes' default):
// refusing a bigger file here saves uploading it only to be told so.
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;
// A reason from the server is cut to this many characters: one line in the page.
const MAX_REASON = 300;

/**
 * @typedef {{ok: true, body: Record<string, unknown>, title: string} | {ok: false, message: string}} ReadExport
 */

/**
 * @param {string} text the file's contents
 * @returns {ReadExport}
 */
export function readExport(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, message: 'This file is not a Flowmap export: it is not JSON. Choose the .json file that Export › JSON file saved.' };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data) || data.format !== EXPORT_FORMAT) {
    return { ok: false, message: 'This JSON file is not a Flowmap board export. Choose the .json file that Export › JSON file saved.' };
  }
  const board = data.board && typeof data.board === 'object' ? data.board : {};
  const title = typeof board.title === 'string' && board.title.trim() ? board.title.trim() : 'Imported board';
  return { ok: true, body: data, title };
}

/**
 * A file too big to import, as a message; null when its size is fine.
 * @param {number} bytes
 */
export function sizeRefusal(bytes) {
  if (bytes <= MAX_IMPORT_BYTES) return null;
  return `This file is ${megabytes(bytes)}: a board export can be at most ${megabytes(MAX_IMPORT_BYTES)}.`;
}

/**
 * Why the server refused the import, in one sentence for the page.
 * @param {number} status
 * @param {unknown} body the answer's JSON, if it had any
 */
export function importRefusal(status, body) {
  const detail = body && typeof body === 'object' ? /** @type {{detail?: unknown}} */ (body).detail : undefined;
  if (typeof detail === 'string' && detail) return `Could not import: ${short(detail)}.`;
  if (Array.isArray(detail) && detail[0] && typeof detail[0].msg === 'string') {
    // The import's own reasons (value_error) name their place; pydantic's ("Field required") do not.
    const loc = detail[0].type !== 'value_error' && Array.isArray(detail[0].loc) ? detail[0].loc : [];
    const where = loc.filter((/** @type {unknown} */ p) => p !== 'body').join('.');
    return `This export cannot be imported: ${short(where ? `${where}: ${detail[0].msg}` : detail[0].msg)}.`;
  }
  if (status === 413) return `This file is too big to import (at most ${megabytes(MAX_IMPORT_BYTES)}).`;
  return `Could not import the board (the server said ${status}). Try again.`;
}

/** @param {string} text */
function short(text) {
  const one = text.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return one.length > MAX_REASON ? `${one.slice(0, MAX_REASON - 1)}…` : one;
}

/** @param {number} bytes */
function megabytes(bytes) {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}
