// @ts-check
// Every page's HTTP client: one address scheme per page, the bearer where the page
// has a link, refusals turned into sentences, an unreachable server told apart from a refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ApiError, BoardApi, BoardsApi, ValidationApi, boardPath, readableProblem } from '../js/net/api.js';

/**
 * A fetch that records its calls and answers with `status` and `body`.
 * @param {number} status
 * @param {unknown} [body]
 */
function fakeFetch(status, body) {
  /** @type {{url: string, init: any}[]} */
  const calls = [];
  const fetcher = /** @type {typeof fetch} */ (/** @type {unknown} */ (async (/** @type {string} */ url, /** @type {any} */ init) => {
    calls.push({ url, init });
    return {
      ok: status >= 200 && status < 300,
      status,
      json: async () => { if (body === undefined) throw new SyntaxError('no body'); return body; },
    };
  }));
  return { calls, fetcher };
}

test('paths sit under the board, its id escaped, the query appended only when there is one', () => {
  assert.equal(boardPath('b 1', '/tidy'), '/api/boards/b%201/tidy');
  assert.equal(boardPath('b1', '', {}), '/api/boards/b1');
  assert.equal(boardPath('b1', '/what-if', { step: 's1', change: 'wait=0' }), '/api/boards/b1/what-if?step=s1&change=wait%3D0');
});

test('a refusal reads as the server\'s detail, capitalised, else as its status', () => {
  assert.equal(readableProblem(409, { detail: 'only the facilitator can publish' }), 'Only the facilitator can publish');
  assert.equal(readableProblem(500, null), 'The server said 500');
  assert.equal(readableProblem(422, { detail: [{ msg: 'field required' }] }), 'The server said 422');
});

test('every call carries the link as its bearer; JSON goes out with its content type', async () => {
  const { calls, fetcher } = fakeFetch(200, { ok: 1 });
  const api = new BoardApi({ boardId: 'b1', token: 'tok', fetch: fetcher });
  assert.deepEqual(await api.post('/publish', { json: { label: 'v1' } }), { ok: 1 });
  assert.equal(calls[0].url, '/api/boards/b1/publish');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers.authorization, 'Bearer tok');
  assert.equal(calls[0].init.headers['content-type'], 'application/json');
  assert.equal(calls[0].init.body, '{"label":"v1"}');
});

test('a file goes out as is, with the type it was given', async () => {
  const { calls, fetcher } = fakeFetch(200, {});
  const api = new BoardApi({ boardId: 'b1', token: 'tok', fetch: fetcher });
  await api.send('POST', '/events', { body: 'a,b', type: 'text/csv' });
  assert.equal(calls[0].init.body, 'a,b');
  assert.equal(calls[0].init.headers['content-type'], 'text/csv');
});

test('send answers whatever the status; get throws an ApiError with a readable message', async () => {
  const { fetcher } = fakeFetch(403, { detail: 'this link is not allowed to do that' });
  const api = new BoardApi({ boardId: 'b1', token: 'tok', fetch: fetcher });
  assert.deepEqual(await api.send('GET', '/versions'), { ok: false, status: 403, data: { detail: 'this link is not allowed to do that' } });
  await assert.rejects(api.get('/versions'), (e) => e instanceof ApiError && e.status === 403
    && e.message === 'This link is not allowed to do that');
});

test('an answer without a body gives null data, not an error', async () => {
  const { fetcher } = fakeFetch(204);
  const api = new BoardApi({ boardId: 'b1', token: 'tok', fetch: fetcher });
  assert.deepEqual(await api.send('DELETE', ''), { ok: true, status: 204, data: null });
});

test('an unreachable server is an ApiError with status 0', async () => {
  const api = new BoardApi({ boardId: 'b1', token: 'tok', fetch: async () => { throw new TypeError('offline'); } });
  await assert.rejects(api.send('GET', ''), (e) => e instanceof ApiError && e.status === 0);
});

test('the link counts as refused on 401, 403 and 404 only; unreachable is not refused', async () => {
  for (const [status, refused] of /** @type {[number, boolean][]} */ ([[401, true], [403, true], [404, true], [500, false], [200, false]])) {
    const api = new BoardApi({ boardId: 'b1', token: 'tok', fetch: fakeFetch(status, {}).fetcher });
    assert.equal(await api.refusesLink(), refused, `status ${status}`);
  }
  const offline = new BoardApi({ boardId: 'b1', token: 'tok', fetch: async () => { throw new TypeError('offline'); } });
  assert.equal(await offline.refusesLink(), false);
});

test('the validation page asks under its own token, escaped, and sends no bearer', async () => {
  const { calls, fetcher } = fakeFetch(200, { version: { number: 1 } });
  const api = new ValidationApi({ token: 'v/tok', fetch: fetcher });
  assert.deepEqual(await api.view(), { version: { number: 1 } });
  assert.equal(calls[0].url, '/api/validation/v%2Ftok');
  assert.equal(calls[0].init.method, 'GET');
  assert.equal(calls[0].init.headers.authorization, undefined);
  assert.equal(api.mapUrl, '/api/validation/v%2Ftok/map.svg');
});

test('a verdict and a sign-off are JSON posts that answer with the view as it is afterwards', async () => {
  const { calls, fetcher } = fakeFetch(200, { me: { name: 'Ada' } });
  const api = new ValidationApi({ token: 'tok', fetch: fetcher });
  assert.deepEqual(await api.answer([{ step: 's1', verdict: 'agree' }]), { me: { name: 'Ada' } });
  assert.deepEqual(await api.signOff(), { me: { name: 'Ada' } });
  assert.deepEqual(calls.map((c) => [c.init.method, c.url, c.init.body]), [
    ['POST', '/api/validation/tok/verdicts', '{"verdicts":[{"step":"s1","verdict":"agree"}]}'],
    ['POST', '/api/validation/tok/sign-off', '{}'],
  ]);
  assert.equal(calls[1].init.headers['content-type'], 'application/json');
});

test('a refused verdict reads as the server\'s reason, as a sentence', async () => {
  const { fetcher } = fakeFetch(422, { detail: 'a dispute needs a comment: say what is wrong with the step' });
  const api = new ValidationApi({ token: 'tok', fetch: fetcher });
  await assert.rejects(api.answer([{ step: 's1', verdict: 'dispute' }]), (e) => e instanceof ApiError && e.status === 422
    && e.message === 'A dispute needs a comment: say what is wrong with the step');
});

test('a new board is posted with its title, the scope only when given, and the creation key only when typed', async () => {
  const { calls, fetcher } = fakeFetch(201, { id: 'b1', links: {} });
  const api = new BoardsApi({ fetch: fetcher });
  assert.deepEqual(await api.create({ title: 'Onboarding', scope: '' }, ''), { ok: true, status: 201, data: { id: 'b1', links: {} } });
  await api.create({ title: 'Onboarding', scope: 'From offer to first day' }, 'sesame');
  assert.equal(calls[0].url, '/api/boards');
  assert.equal(calls[0].init.body, '{"title":"Onboarding"}');
  assert.equal(calls[0].init.headers['x-flowmap-create-key'], undefined);
  assert.equal(calls[0].init.headers.authorization, undefined);
  assert.equal(calls[1].init.body, '{"title":"Onboarding","scope":"From offer to first day"}');
  assert.equal(calls[1].init.headers['x-flowmap-create-key'], 'sesame');
});

test('an import posts the export as JSON and answers a refusal as it is, for the page to word', async () => {
  const { calls, fetcher } = fakeFetch(413, { detail: 'too big' });
  const api = new BoardsApi({ fetch: fetcher });
  assert.deepEqual(await api.importBoard({ format: 'flowmap-board' }, 'sesame'), { ok: false, status: 413, data: { detail: 'too big' } });
  assert.equal(calls[0].url, '/api/boards/import');
  assert.equal(calls[0].init.body, '{"format":"flowmap-board"}');
  assert.equal(calls[0].init.headers['x-flowmap-create-key'], 'sesame');
});

test('every call asks for JSON', async () => {
  const { calls, fetcher } = fakeFetch(200, {});
  await new BoardApi({ boardId: 'b1', token: 'tok', fetch: fetcher }).get('/versions');
  await new ValidationApi({ token: 'tok', fetch: fetcher }).view();
  await new BoardsApi({ fetch: fetcher }).create({ title: 't' }, '');
  assert.deepEqual(calls.map((c) => c.init.headers.accept), ['application/json', 'application/json', 'application/json']);
});

test('the tidy plan asks for the lanes only when told to', async () => {
  const { calls, fetcher } = fakeFetch(200, { ops: [] });
  const api = new BoardApi({ boardId: 'b1', token: 'tok', fetch: fetcher });
  assert.deepEqual(await api.tidyPlan(), { ops: [] });
  await api.tidyPlan({ swimlanes: true });
  assert.deepEqual(calls.map((c) => c.url), ['/api/boards/b1/tidy', '/api/boards/b1/tidy?swimlanes=true']);
  assert.equal(calls[1].init.headers.authorization, 'Bearer tok');
});
