// @ts-check
/**
 * Every HTTP call of every page goes through here: one client with a base path,
 * the bearer where the page has a link token, JSON in and out, and a refusal
 * turned into a sentence a person can read. The live map itself travels on the
 * websocket (net/socket.js); this is for the occasional question (tidy plan,
 * what-if, versions) and the occasional command outside the op log (new links,
 * delete the board, import a log, create a board, a validation verdict).
 *
 *   const api = new BoardApi({ boardId, token });                  // the board page
 *   const plan = await api.get('/tidy', { swimlanes: 'true' });   // throws ApiError if refused
 *   const answer = await api.send('POST', '/future');              // {ok, status, data}, never throws on a status
 *   if (!answer.ok) notify(readableProblem(answer.status, answer.data));
 *
 *   new ValidationApi({ token }).answer([{step: 's-1', verdict: 'agree'}]);   // the validation page
 *   new BoardsApi().create({ title: 'Onboarding' }, createKey);               // the home page
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
 * @property {Record<string, string>} [headers] more headers for this call (the home page's creation key)
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
  return withQuery(`/api/boards/${encodeURIComponent(boardId)}${path}`, query);
}

/**
 * @param {string} url
 * @param {Record<string, string>} [query]
 */
function withQuery(url, query) {
  return query && Object.keys(query).length ? `${url}?${new URLSearchParams(query)}` : url;
}

/** One base path's calls; the page's clients below name their base and their calls. */
export class ApiClient {
  /**
   * @param {object} opts
   * @param {string} opts.base every path is under it, e.g. '/api/boards/b1'
   * @param {string|null} [opts.bearer] sent as `authorization: Bearer …` on every call; none when null
   * @param {typeof fetch} [opts.fetch] the browser's by default; tests pass a fake
   */
  constructor({ base, bearer = null, fetch: fetcher }) {
    this.base = base;
    this.bearer = bearer;
    this.fetch = fetcher ?? ((input, init) => globalThis.fetch(input, init));
  }

  /**
   * The address of a path under the base.
   * @param {string} path '' or starting with '/'
   * @param {Record<string, string>} [query]
   */
  url(path, query) {
    return withQuery(`${this.base}${path}`, query);
  }

  /**
   * One call. Resolves with the answer whatever its status; rejects with an
   * ApiError (status 0) only when the server cannot be reached.
   * @param {string} method
   * @param {string} path under the base: '' or starting with '/'
   * @param {SendOptions} [opts]
   * @returns {Promise<Answer>}
   */
  async send(method, path, { query, json, body = null, type = '', headers: extra = {} } = {}) {
    /** @type {Record<string, string>} */
    const headers = { accept: 'application/json', ...extra };
    if (this.bearer !== null) headers.authorization = `Bearer ${this.bearer}`;
    let payload = body;
    if (json !== undefined) {
      payload = JSON.stringify(json);
      headers['content-type'] = 'application/json';
    } else if (type) {
      headers['content-type'] = type;
    }
    let response;
    try {
      response = await this.fetch(this.url(path, query), { method, headers, body: payload });
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
    return expect(await this.send('GET', path, { query }));
  }

  /**
   * POST (JSON when `json` is given) and return the JSON; an ApiError when refused.
   * @param {string} path
   * @param {SendOptions} [opts]
   */
  async post(path, opts = {}) {
    return expect(await this.send('POST', path, opts));
  }
}

/**
 * The answer's JSON, or an ApiError saying why not.
 * @param {Answer} answer
 */
function expect(answer) {
  if (!answer.ok) throw new ApiError(answer.status, readableProblem(answer.status, answer.data), answer.data);
  return answer.data;
}

/** The board page's calls: everything under /api/boards/{id}, the link's token as the bearer. */
export class BoardApi extends ApiClient {
  /**
   * @param {object} opts
   * @param {string} opts.boardId
   * @param {string} opts.token the link's token, the bearer of every call
   * @param {typeof fetch} [opts.fetch]
   */
  constructor({ boardId, token, fetch }) {
    super({ base: boardPath(boardId, ''), bearer: token, fetch });
    this.boardId = boardId;
    this.token = token;
  }

  /**
   * The tidy plan (GET …/tidy): the moves that line the map up, or, with
   * swimlanes, that put each team's steps in its lane. Throws an ApiError if refused.
   * @param {{swimlanes?: boolean}} [opts]
   * @returns {Promise<{ops: object[]}>}
   */
  tidyPlan({ swimlanes = false } = {}) {
    return this.get('/tidy', swimlanes ? { swimlanes: 'true' } : undefined);
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

  /**
   * Whether another link of this board still opens it (one this browser kept, that a
   * facilitator elsewhere may have replaced since): no only when the server refuses it.
   * Asks for the version list, the lightest answer every role may read.
   * @param {string} link
   * @returns {Promise<boolean>}
   */
  async stillOpens(link) {
    let token;
    try {
      token = new URL(link).searchParams.get('token');
    } catch {
      return false;
    }
    if (!token) return false;
    try {
      const other = new ApiClient({ base: this.base, bearer: token, fetch: this.fetch });
      return ![401, 403, 404].includes((await other.send('GET', '/versions')).status);
    } catch {
      return true; // unreachable for a moment: keep it
    }
  }
}

/**
 * The validation page's calls: under /api/validation/{token}. The token is in
 * the path (a validation link opens nothing else), so there is no bearer.
 */
export class ValidationApi extends ApiClient {
  /**
   * @param {object} opts
   * @param {string} opts.token the validation link's token
   * @param {typeof fetch} [opts.fetch]
   */
  constructor({ token, fetch }) {
    super({ base: `/api/validation/${encodeURIComponent(token)}`, fetch });
  }

  /** The published version, and this person's verdicts when the link is theirs. */
  view() {
    return this.get('');
  }

  /**
   * Agree with or dispute steps; the view as it is afterwards.
   * @param {Record<string, unknown>[]} verdicts
   */
  answer(verdicts) {
    return this.post('/verdicts', { json: { verdicts } });
  }

  /** Sign the version off; the view as it is afterwards. */
  signOff() {
    return this.post('/sign-off', { json: {} });
  }

  /** The published map's picture, for an <img>. */
  get mapUrl() {
    return this.url('/map.svg');
  }
}

/**
 * The home page's calls: a new board, or one imported from a JSON export. No
 * link yet, so no bearer; a private Flowmap asks for its creation key instead.
 * Both answer as they are (`send`): the page words each refusal its own way.
 */
export class BoardsApi extends ApiClient {
  /** @param {{fetch?: typeof fetch}} [opts] */
  constructor({ fetch } = {}) {
    super({ base: '/api/boards', fetch });
  }

  /**
   * @param {{title: string, scope?: string}} board scope left out when empty
   * @param {string} createKey '' when the Flowmap is open
   * @returns {Promise<Answer>} data: {id, links} when created
   */
  create({ title, scope }, createKey) {
    return this.send('POST', '', { json: scope ? { title, scope } : { title }, headers: keyHeader(createKey) });
  }

  /**
   * @param {Record<string, unknown>} exported the export file's JSON (model/import-file.js readExport)
   * @param {string} createKey
   * @returns {Promise<Answer>}
   */
  importBoard(exported, createKey) {
    return this.send('POST', '/import', { json: exported, headers: keyHeader(createKey) });
  }
}

/** @param {string} createKey */
function keyHeader(createKey) {
  return createKey ? { 'x-flowmap-create-key': createKey } : {};
}
