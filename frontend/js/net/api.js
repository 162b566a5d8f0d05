// @ts-check
/**
 * The board page's one HTTP client: every call under /api/boards/{id} goes
 * through here, with the page's link token as the bearer, JSON in and out.
 * The live map itself travels on the websocket (net/socket.js); this is for
 * the occasional question (tidy plan, what-if, versions) and the occasional
 * command outside the op log (new links, delete the board, import a log).
 *
 *   const api = new BoardApi({ boardId, token });
 *   const plan = await api.get('/tidy', { swimlanes: 'true' });   // throws ApiError if refused
 *   const answer = await api.send('POST', '/future');              // {ok, status, data}, never throws on a status
 *   if (!answer.ok) notify(readableProblem(answer.status, answer.data));
 *
 * `send` rejects only when the server cannot be reached; `get` and `post` also
 * reject (with an ApiError whose message a person can read) when it refuses.
 */

/**
 * @typedef {object} Answer
 * @property {boolean} ok       the status was 2xx
 * @property {number} status
 * @property {any} data         the parsed JSON body, or null when there was none
 */

/**
 * @typedef {object} SendOptions
 * @property {Record<string, string>} [query]  appended as ?a=b
 * @property {unknown} [json]                  sent as the JSON body
 * @property {Blob|string|null} [body]         sent as is (with `type`), e.g. an uploaded file
 * @property {string} [type]                   the content type of `body`
 */

/** A refused or failed call; `message` is a sentence for the person, `status` 0 when unreachable. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {any} [data]
   */
  constructor(status, message, data = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.data = data;
  }
}

/**
 * What the server said when it refused, as a sentence: its `detail` when it gave
 * one in words (FastAPI's HTTPException), else the status.
 * @param {number} status
 * @param {any} data the answer's JSON body, if any
 * @returns {string}
 */
export function readableProblem(status, data) {
  const detail = typeof data?.detail === 'string' && data.detail ? data.detail : `the server said ${status}`;
  return detail.charAt(0).toUpperCase() + detail.slice(1);
}

/**
 * The address of a path under one board.
 * @param {string} boardId
 * @param {string} path '' for the board itself, else starting with '/'
 * @param {Record<string, string>} [query]
 */
export function boardPath(boardId, path, query) {
  const search = query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : '';
  return `/api/boards/${encodeURIComponent(boardId)}${path}${search}`;
}

export class BoardApi {
  /**
   * @param {object} opts
   * @param {string} opts.boardId
   * @param {string} opts.token the link's token, the bearer of every call
   * @param {typeof fetch} [opts.fetch] the browser's by default; tests pass a fake
   */
  constructor({ boardId, token, fetch: fetcher }) {
    this.boardId = boardId;
    this.token = token;
    this.fetch = fetcher ?? ((input, init) => globalThis.fetch(input, init));
  }

  /**
   * One call. Resolves with the answer whatever its status; rejects with an
   * ApiError (status 0) only when the server cannot be reached.
   * @param {string} method
   * @param {string} path under /api/boards/{id}: '' or starting with '/'
   * @param {SendOptions} [opts]
   * @returns {Promise<Answer>}
   */
  async send(method, path, { query, json, body = null, type = '' } = {}) {
    /** @type {Record<string, string>} */
    const headers = { authorization: `Bearer ${this.token}` };
    let payload = body;
    if (json !== undefined) {
      payload = JSON.stringify(json);
      headers['content-type'] = 'application/json';
    } else if (type) {
      headers['content-type'] = type;
    }
    let response;
    try {
      response = await this.fetch(boardPath(this.boardId, path, query), { method, headers, body: payload });
    } catch {
      throw new ApiError(0, 'Could not reach the server');
    }
    const data = await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, data };
  }

  /**
   * GET and return the JSON; an ApiError with a readable message when refused.
   * @param {string} path
   * @param {Record<string, string>} [query]
   */
  async get(path, query) {
    return this.#expect(await this.send('GET', path, { query }));
  }

  /**
   * POST (JSON when `json` is given) and return the JSON; an ApiError when refused.
   * @param {string} path
   * @param {{json?: unknown, query?: Record<string, string>}} [opts]
   */
  async post(path, opts = {}) {
    return this.#expect(await this.send('POST', path, opts));
  }

  /**
   * Whether the server refuses this page's link outright (wrong, revoked, or the
   * board is gone), as opposed to being unreachable for a moment.
   * @returns {Promise<boolean>}
   */
  async refusesLink() {
    try {
      const answer = await this.send('GET', '');
      return [401, 403, 404].includes(answer.status);
    } catch {
      return false;
    }
  }

  /** @param {Answer} answer */
  #expect(answer) {
    if (!answer.ok) throw new ApiError(answer.status, readableProblem(answer.status, answer.data), answer.data);
    return answer.data;
  }
}
