/**
 * adaptors/primero.ts against the Primero simulator (and, for the write
 * operations the simulator does not serve, a recording HTTP server): per
 * operation, the requests sent and the state after the call are those of
 * @openfn/language-primero 4.1.2 (openfn-facts.md §1), weaknesses included:
 * one request per call (no paging of lookups or locations), no retry.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  composeNextState, createCase, createReferrals, execute, fn, getCases, getForms, getLocations, getLookups, getReferrals, http, updateCase,
  updateReferral, upsertCase, type State,
} from '../../adaptors/primero.ts';
import { captureConsole } from '../support/capture-logger.ts';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';

// The stand-in logs to the console, as the official adaptor does.
const lines = captureConsole();

let basic: Simulator;
let token: Simulator;
beforeAll(async () => {
  basic = await startSimulator({ cases: 60, seed: 'adaptor', asOf: '2026-01-01T00:00:00Z' });
  token = await startSimulator({ cases: 5, seed: 'adaptor', asOf: '2026-01-01T00:00:00Z', auth: 'token' });
});
afterAll(async () => {
  await basic.stop();
  await token.stop();
});
beforeEach(() => {
  for (const s of [basic, token]) {
    s.clearRequests();
    s.clearFaults();
  }
  lines.length = 0;
});

const basicConfig = () => ({ url: basic.url, user: basic.options.user, password: basic.options.password, basicAuth: true });
const casesRequests = (s: Simulator) => s.requests.filter((r) => r.path === '/api/v2/cases');

describe('execute', () => {
  it('basicAuth: no login, a Basic header on every request, {references: [], data: null} under the state, auth removed at the end', async () => {
    const seen: State[] = [];
    const s = await execute(fn((st: State) => (seen.push({ ...st }), st)), getCases({ per: 1 }))({ configuration: basicConfig() });
    expect(seen[0]).toMatchObject({ references: [], data: null, auth: { token: `Basic ${Buffer.from('primero:primero').toString('base64')}` } });
    expect(basic.requests.map((r) => [r.method, r.path, r.authScheme])).toEqual([['GET', '/api/v2/cases', 'Basic']]);
    expect('auth' in s).toBe(false);
    expect(Object.keys(s).sort()).toEqual(['configuration', 'data', 'metadata', 'references']);
  });

  it('without basicAuth: POST /api/v2/tokens, the whole login body kept as state.auth with the token as "Bearer …"', async () => {
    const seen: State[] = [];
    await execute(fn((st: State) => (seen.push(st), st)), getCases({ per: 1 }))({ configuration: { url: token.url, user: 'primero', password: 'primero' } });
    expect(token.requests.map((r) => [r.method, r.path, r.authScheme])).toEqual([
      ['POST', '/api/v2/tokens', undefined],
      ['GET', '/api/v2/cases', 'Bearer'],
    ]);
    expect(seen[0]!.auth).toMatchObject({ id: 1, user_name: 'primero', token: expect.stringMatching(/^Bearer ey/) });
  });

  it('without basicAuth against a current Primero (no token in the login body): "Bearer undefined", then 401', async () => {
    const run = execute(getCases({ per: 1 }))({ configuration: { url: basic.url, user: 'primero', password: 'primero' } });
    await expect(run).rejects.toThrow(/^Server responded with:\n/);
    expect(basic.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/api/v2/tokens', 200],
      ['GET', '/api/v2/cases', 401],
    ]);
  });

  it('a failed login rejects with the server response, its Authorization redacted', async () => {
    const run = execute(getCases({}))({ configuration: { url: token.url, user: 'primero', password: 'wrong' } });
    const error = (await run.catch((e: unknown) => e)) as Error;
    expect(error.message.startsWith('Server responded with:\n')).toBe(true);
    const response = JSON.parse(error.message.slice('Server responded with:\n'.length));
    expect(response).toMatchObject({ statusCode: 401, request: { method: 'POST', headers: { Authorization: '--REDACTED--', 'Content-Type': 'application/json' } } });
    expect(response.request.uri.pathname).toBe('/api/v2/tokens');
    expect(error.message).not.toContain('wrong');
  });
});

describe('getCases(query, options, callback)', () => {
  it('ONE GET /api/v2/cases, the query encoded by qs (RFC 3986, arrays with indices, undefined dropped, null as key=)', async () => {
    const s = await execute(
      getCases({ per: 5, page: 2, remote: true, last_updated_at: '2025-01-01T00:00:00.000Z..2026-01-01T00:00:00.000Z', status: ['open', 'closed'], gone: undefined, empty: null }),
    )({ configuration: basicConfig(), data: 'before' });
    const [req] = casesRequests(basic);
    expect(basic.requests).toHaveLength(1);
    expect(req!.rawQuery).toBe(
      'per=5&page=2&remote=true&last_updated_at=2025-01-01T00%3A00%3A00.000Z..2026-01-01T00%3A00%3A00.000Z&status%5B0%5D=open&status%5B1%5D=closed&empty=',
    );
    expect(s.data).toHaveLength(5);
    expect(s.metadata).toMatchObject({ per: 5, page: 2 });
    expect(s.references).toEqual(['before']);
  });

  it('resolves query and options given as functions of state, and hands the next state to the callback', async () => {
    const s = await execute(
      getCases((st: State) => ({ per: st.per, page: () => 3 }), null, (next: State) => ({ ...next, seen: (next.data as unknown[]).length })),
    )({ configuration: basicConfig(), per: 4 });
    expect(casesRequests(basic)[0]!.query).toEqual({ per: '4', page: '3' });
    expect(s.seen).toBe(4);
    expect(s.metadata).toEqual({ total: 60, per: 4, page: 3 });
  });

  it('keeps an earlier metadata when a response has none, as the official composeNextState', async () => {
    expect(composeNextState({ references: [], data: 1, metadata: { page: 1 } }, [2])).toEqual({ references: [1], data: [2], metadata: { page: 1 } });
    const noMetadataNext = fn((st: State) => (basic.queueResponses({ status: 200, body: { data: [{ id: 'x' }] }, path: '/api/v2/cases' }), st));
    const s = await execute(getCases({ per: 1 }), noMetadataNext, getCases({}))({ configuration: basicConfig() });
    expect(s.data).toEqual([{ id: 'x' }]);
    expect(s.metadata).toEqual({ total: 60, per: 1, page: 1 });
  });

  it('withReferrals: one GET per case for its referrals, errors ignored (referrals undefined)', async () => {
    const s = await execute(getCases({ per: 2 }, { withReferrals: true }))({ configuration: basicConfig() });
    const cases = s.data as { id: string; referrals?: unknown }[];
    expect(basic.requests.map((r) => r.path)).toEqual(['/api/v2/cases', ...cases.map((c) => `/api/v2/cases/${c.id}/referrals`)]);
    expect(cases.every((c) => 'referrals' in c && c.referrals === undefined)).toBe(true);
    expect(lines).toContain('Fetching referrals for 2 cases...');
  });

  it('a 503 fails at once: no retry, the error is the official "Server responded with" JSON, Authorization redacted', async () => {
    basic.queueResponses('503');
    const error = (await execute(getCases({ per: 1 }))({ configuration: basicConfig() }).catch((e: unknown) => e)) as Error;
    expect(casesRequests(basic)).toHaveLength(1);
    const response = JSON.parse(error.message.slice('Server responded with:\n'.length));
    expect(response).toMatchObject({
      statusCode: 503,
      headers: { 'retry-after': '60' },
      request: { method: 'GET', headers: { Authorization: '--REDACTED--', 'Content-Type': 'application/json' } },
    });
    expect(response.request.uri).toMatchObject({ protocol: 'http:', pathname: '/api/v2/cases', search: '?per=1', path: '/api/v2/cases?per=1' });
    expect(JSON.parse(response.body)).toMatchObject({ errors: [expect.objectContaining({ status: 503 })] });
    expect(Object.keys(response)).toEqual(['statusCode', 'body', 'headers', 'request']);
    expect(error.message).not.toContain(Buffer.from('primero:primero').toString('base64'));
  });

  it('a network error is passed through as it is', async () => {
    basic.queueResponses('reset');
    await expect(execute(getCases({ per: 1 }))({ configuration: basicConfig() })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(casesRequests(basic)).toHaveLength(1);
  });

  it('a 200 without a data array rejects with the TypeError the official throws (it crashes there)', async () => {
    basic.queueResponses({ status: 200, body: { metadata: { total: 0 } }, path: '/api/v2/cases' });
    await expect(execute(getCases({}))({ configuration: basicConfig() })).rejects.toThrow(new TypeError("Cannot read properties of undefined (reading 'length')"));
  });

  it('logs the official lines: status, count and the request with Authorization redacted; never a case field', async () => {
    const s = await execute(getCases({ per: 3 }))({ configuration: basicConfig() });
    expect(lines[0]).toBe("Primero says: '200 OK'");
    expect(lines[1]).toMatch(/^3 cases retrieved from request: \{\n {2}"uri": \{/);
    expect(lines[1]).toContain('"Authorization": "--REDACTED--"');
    const names = (s.data as { name?: string }[]).map((c) => c.name).filter((n): n is string => Boolean(n));
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(lines.join('\n')).not.toContain(n);
  });
});

describe('getLookups, getLocations, getForms', () => {
  it('getLookups: ONE request, the first page only, state.data = the page, no metadata', async () => {
    const s = await execute(getLookups({ per: 3 }))({ configuration: basicConfig(), metadata: 'kept' });
    expect(basic.requests.map((r) => [r.path, r.rawQuery])).toEqual([['/api/v2/lookups', 'per=3']]);
    expect(s.data).toHaveLength(3);
    expect(s.metadata).toBe('kept');
    const all = await execute(getLookups({ per: 1000 }))({ configuration: basicConfig() });
    expect((all.data as unknown[]).length).toBeGreaterThan(3);
    const none = await execute(getLookups())({ configuration: basicConfig() });
    expect(basic.requests.at(-1)!.rawQuery).toBe('');
    expect(none.data).toEqual(all.data);
  });

  it('getLocations: ONE request; per: 1000 gives at most the first 1000 of more', async () => {
    const s = await execute(getLocations({ per: 1000, hierarchy: true }))({ configuration: basicConfig() });
    expect(basic.requests.map((r) => [r.path, r.rawQuery])).toEqual([['/api/v2/locations', 'per=1000&hierarchy=true']]);
    expect(s.data).toHaveLength(1000);
    const next = await execute(getLocations({ per: 1000, page: 2 }))({ configuration: basicConfig() });
    expect((next.data as unknown[]).length).toBeGreaterThan(0);
    expect('metadata' in s).toBe(false);
  });

  it('getForms: ONE request with the query; a 503 fails at once', async () => {
    const s = await execute(getForms({ record_type: 'case' }))({ configuration: basicConfig() });
    expect(basic.requests.map((r) => [r.path, r.rawQuery])).toEqual([['/api/v2/forms', 'record_type=case']]);
    expect((s.data as unknown[]).length).toBeGreaterThan(0);
    basic.clearRequests();
    basic.queueResponses('503');
    await expect(execute(getForms())({ configuration: basicConfig() })).rejects.toThrow(/^Server responded with:\n\{\n {2}"statusCode": 503/);
    expect(basic.requests).toHaveLength(1);
  });
});

/** Records what reaches it and answers from a script (the simulator serves reads only). */
interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('write and referral operations (recording server)', () => {
  let server: Server;
  let url: string;
  const got: Recorded[] = [];
  let answers: { status: number; body: unknown }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const a = answers.shift() ?? { status: 200, body: { data: [] } };
        res.writeHead(a.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(a.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    got.length = 0;
    answers = [];
  });
  const configuration = () => ({ url, user: 'u', password: 'p', basicAuth: true });

  it('createCase: POST /api/v2/cases with {data: <params>} (so {data} nests twice), state.data = the record', async () => {
    answers = [{ status: 200, body: { data: { id: 'new' } } }];
    const s = await execute(createCase({ data: { age: 16 } }))({ configuration: configuration() });
    expect(got[0]).toMatchObject({ method: 'POST', url: '/api/v2/cases', body: '{"data":{"data":{"age":16}}}' });
    expect(got[0]!.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json', options: '[object Object]' });
    expect(s.data).toEqual({ id: 'new' });
  });

  it('updateCase: PATCH /api/v2/cases/<id>', async () => {
    answers = [{ status: 200, body: { data: { id: 'c1', age: 17 } } }];
    const s = await execute(updateCase('c1', { data: { age: 17 } }))({ configuration: configuration() });
    expect(got[0]).toMatchObject({ method: 'PATCH', url: '/api/v2/cases/c1', body: '{"data":{"data":{"age":17}}}' });
    expect(s.data).toEqual({ id: 'c1', age: 17 });
  });

  it('upsertCase: GET by external ids with remote=true, then update the first match or create; record_id never sent on', async () => {
    answers = [{ status: 200, body: { data: [{ id: 'found' }, { id: 'other' }] } }, { status: 200, body: { data: { id: 'found' } } }];
    await execute(upsertCase({ externalIds: ['case_id', 'record_id'], data: { case_id: 'K1', record_id: 'R1', age: 3 } }))({ configuration: configuration() });
    expect(got.map((g) => [g.method, g.url])).toEqual([
      ['GET', '/api/v2/cases?remote=true&case_id=K1&record_id=R1'],
      ['PATCH', '/api/v2/cases/found'],
    ]);
    expect(got[1]!.body).toBe('{"data":{"data":{"case_id":"K1","age":3}}}');
    answers = [{ status: 200, body: { data: [] } }, { status: 201, body: { data: { id: 'made' } } }];
    got.length = 0;
    const s = await execute(upsertCase({ externalIds: ['case_id'], data: { case_id: 'K2' } }))({ configuration: configuration() });
    expect(got.map((g) => g.method)).toEqual(['GET', 'POST']);
    expect(s.data).toEqual({ id: 'made' });
  });

  it('getReferrals: by record id one GET; by case id a lookup that must find exactly one case', async () => {
    answers = [{ status: 200, body: { data: [{ id: 'ref1' }] } }];
    const s = await execute(getReferrals({ externalId: 'record_id', id: 'r1' }))({ configuration: configuration() });
    expect(got.map((g) => g.url)).toEqual(['/api/v2/cases/r1/referrals']);
    expect(s.data).toEqual([{ id: 'ref1' }]);
    answers = [{ status: 200, body: { data: [] } }];
    await expect(execute(getReferrals({ id: 'none' }))({ configuration: configuration() })).rejects.toBe('No case found');
    answers = [{ status: 200, body: { data: [{ id: 'a' }, { id: 'b' }] } }];
    await expect(execute(getReferrals({ id: 'two' }))({ configuration: configuration() })).rejects.toBe(
      'Multiple cases found. Try using another externalId and ensure that it is unique.',
    );
  });

  it('updateReferral: PATCH the referral of a case; no case by case_id leaves state as it was', async () => {
    answers = [{ status: 200, body: { data: { id: 'ref' } } }];
    await execute(updateReferral({ caseExternalId: 'record_id', caseId: 'c', id: 'ref', data: { status: 'done' } }))({ configuration: configuration() });
    expect(got[0]).toMatchObject({ method: 'PATCH', url: '/api/v2/cases/c/referrals/ref', body: '{"data":{"status":"done"}}' });
    answers = [{ status: 200, body: { data: [] } }];
    const s = await execute(updateReferral({ caseId: 'x', id: 'ref', data: {} }))({ configuration: configuration(), data: 'same' });
    expect(s.data).toBe('same');
  });

  it('createReferrals: POST /api/v2/cases/referrals, then the TypeError the official throws on a JSON answer', async () => {
    answers = [{ status: 200, body: { data: { ok: true } } }];
    await expect(execute(createReferrals({ data: { ids: ['a'] } }))({ configuration: configuration() })).rejects.toThrow(TypeError);
    expect(got[0]).toMatchObject({ method: 'POST', url: '/api/v2/cases/referrals', body: '{"data":{"data":{"ids":["a"]}}}' });
  });

  it('http.get: Basic auth from user/password whatever state.auth, body {data: {}}, response without body in state.response', async () => {
    answers = [{ status: 200, body: { data: [1] } }];
    const s = await execute(http.get('cases', { query: { per: 1 } }))({ configuration: configuration() });
    expect(got[0]).toMatchObject({ method: 'GET', url: '/api/v2/cases?per=1', body: '{"data":{}}' });
    expect(got[0]!.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(s.data).toEqual({ data: [1] });
    expect(s.response).toMatchObject({ statusCode: 200, method: 'GET' });
    expect('body' in s.response).toBe(false);
  });
});
