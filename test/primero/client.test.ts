/** The client against the simulator: paging, wire encoding, retries, timeouts, auth failures, schema rejection. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/server.ts';
import { createPrimeroClient } from '../../lib/primero/client.ts';
import { PrimeroHttpError, PrimeroNetworkError, PrimeroResponseError } from '../../lib/primero/errors.ts';
import { createLogger } from '../../lib/log/logger.ts';

let sim: Simulator;
let lines: string[];
const logger = () => createLogger({ level: 'debug', write: (l) => lines.push(l) });
const fast = { minRetryDelayMs: 10, maxAttempts: 4, maxRetryMs: 10_000, timeoutMs: 2_000 };

beforeEach(async () => {
  lines = [];
  sim = await startSimulator({ cases: 2500, seed: 'client', asOf: '2026-01-01T00:00:00Z' });
});
afterEach(() => sim.stop());

const client = (extra: Record<string, unknown> = {}) =>
  createPrimeroClient({ url: sim.url, user: 'primero', password: 'primero', ...fast, ...extra }, { logger: logger() });

describe('paging', () => {
  it('getAllPages walks every page at per=1000 and returns every record once', async () => {
    const all = await client().getAllPages('cases', { order_by: 'created_at', order: 'asc' });
    expect(all.pages).toBe(3);
    expect(all.data).toHaveLength(2500);
    expect(new Set(all.data.map((c) => c.id)).size).toBe(2500);
    expect(all.metadata?.total).toBe(2500);
    expect(sim.requests.map((r) => [r.query.page, r.query.per])).toEqual([['1', '1000'], ['2', '1000'], ['3', '1000']]);
  });

  it('follows the server-clamped per (asked 5000, got 1000)', async () => {
    const all = await client().getAllPages('cases', { per: 5000 });
    expect(all.data).toHaveLength(2500);
    expect(all.pages).toBe(3);
  });

  it('stops when filtering leaves one page', async () => {
    const all = await client().getAllPages('cases', { age: '0..17', record_state: true, type_of_case: 'children_undergoing_reintegration_55427' });
    const expected = sim.records().filter((c) => c.enabled && c.type_of_case === 'children_undergoing_reintegration_55427' && typeof c.age === 'number' && c.age <= 17);
    expect(all.data.map((c) => c.id).sort()).toEqual(expected.map((c) => c.id).sort());
    expect(all.pages).toBe(1);
  });
});

describe('query encoding on the wire', () => {
  it('sends the qs encoding of the official adaptor', async () => {
    await client().get('cases', {
      record_state: true,
      last_updated_at: '2024-01-01T00:00:00.000Z..2024-04-01T00:00:00.000Z',
      sex: ['male', 'female'],
      skipped: undefined,
      page: 1,
      per: 1000,
      fields: 'short',
    });
    const r = sim.requests[0]!;
    expect(r.rawQuery).toBe(
      'record_state=true&last_updated_at=2024-01-01T00%3A00%3A00.000Z..2024-04-01T00%3A00%3A00.000Z&sex%5B0%5D=male&sex%5B1%5D=female&page=1&per=1000&fields=short',
    );
    expect(r.authScheme).toBe('Basic');
  });
});

describe('retries', () => {
  it('retries 500, 502, 503, 429 and a reset connection, then succeeds', async () => {
    sim.setFaults({ rate: 0, kinds: [], retryAfterSeconds: 0 });
    sim.queueResponses('500', '503', 'reset');
    const page = await client({ maxAttempts: 5 }).get('cases', { per: 5 });
    expect(page.data).toHaveLength(5);
    expect(sim.requests.map((r) => r.status)).toEqual([500, 503, 0, 200]);
    sim.queueResponses('429', '502');
    await client({ maxAttempts: 5 }).get('cases', { per: 5 });
    expect(sim.requests.slice(4).map((r) => r.status)).toEqual([429, 502, 200]);
    expect(lines.some((l) => /attempt 1 failed/.test(l))).toBe(true);
  });

  it('honours Retry-After before retrying', async () => {
    sim.setFaults({ rate: 0, kinds: [], retryAfterSeconds: 1 });
    sim.queueResponses('503');
    const t = performance.now();
    await client().get('cases', { per: 1 });
    expect(performance.now() - t).toBeGreaterThanOrEqual(990);
  });

  it('gives up after maxAttempts with a clear error naming path and status', async () => {
    sim.setFaults({ rate: 1, kinds: ['500'] });
    const err = await client({ maxAttempts: 3 }).get('cases', { per: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrimeroHttpError);
    expect((err as PrimeroHttpError).status).toBe(500);
    expect((err as Error).message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/cases answered 500: Internal Server Error — gave up after 3 attempt\(s\)/);
    expect(sim.requests).toHaveLength(3);
  });

  it('gives up at once when Retry-After is beyond the retry budget', async () => {
    sim.setFaults({ rate: 1, kinds: ['503'], retryAfterSeconds: 60 });
    const t = performance.now();
    const err = await client({ maxRetryMs: 2_000 }).get('cases').catch((e: unknown) => e);
    expect(performance.now() - t).toBeLessThan(1_500);
    expect((err as Error).message).toMatch(/503.*Retry-After 60 s is beyond the retry budget/);
    expect(sim.requests).toHaveLength(1);
  });

  it('times out a hanging request and retries it', async () => {
    sim.queueResponses('hang');
    const page = await client({ timeoutMs: 300 }).get('cases', { per: 2 });
    expect(page.data).toHaveLength(2);
    expect(sim.requests).toHaveLength(2);
  });

  it('fails with a timeout error when every attempt hangs', async () => {
    sim.setFaults({ rate: 1, kinds: ['hang'] });
    const err = await client({ timeoutMs: 200, maxAttempts: 2 }).get('cases').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrimeroNetworkError);
    expect((err as Error).message).toMatch(/\/api\/v2\/cases: timed out after 200 ms — gave up after 2 attempt/);
  });
});

describe('auth failures', () => {
  it('401 fails at once, naming path and status, never the password', async () => {
    const err = await client({ password: 'S3cret-pw' }).get('cases').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrimeroHttpError);
    expect((err as PrimeroHttpError).status).toBe(401);
    expect((err as Error).message).toMatch(/\/api\/v2\/cases answered 401: Invalid User name or password\./);
    expect((err as Error).message).not.toContain('S3cret-pw');
    expect(lines.join('\n')).not.toContain('S3cret-pw');
    expect(sim.requests).toHaveLength(1);
  });

  it('403 fails at once', async () => {
    sim.queueResponses('403');
    const err = await client().get('cases').catch((e: unknown) => e);
    expect((err as PrimeroHttpError).status).toBe(403);
    expect((err as Error).message).toMatch(/answered 403: Forbidden/);
    expect(sim.requests).toHaveLength(1);
  });

  it('token mode against a current server explains that only Basic works', async () => {
    const err = await client({ authMode: 'token' }).get('cases').catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/no token.*authMode 'basic'/);
  });
});

describe('legacy token mode', () => {
  it('logs in, sends Bearer, and logs in again once after the token expires', async () => {
    const legacy = await startSimulator({ cases: 30, seed: 1, auth: 'token', tokenTtlMs: 300 });
    try {
      const c = createPrimeroClient({ url: legacy.url, user: 'primero', password: 'primero', authMode: 'token', ...fast }, { logger: logger() });
      await c.get('cases', { per: 5 });
      await new Promise((r) => setTimeout(r, 350));
      const page = await c.get('cases', { per: 5 });
      expect(page.data).toHaveLength(5);
      expect(legacy.requests.map((r) => `${r.method} ${r.path} ${r.status} ${r.authScheme ?? '-'}`)).toEqual([
        'POST /api/v2/tokens 200 -',
        'GET /api/v2/cases 200 Bearer',
        'GET /api/v2/cases 401 Bearer',
        'POST /api/v2/tokens 200 -',
        'GET /api/v2/cases 200 Bearer',
      ]);
    } finally {
      await legacy.stop();
    }
  });

  it('fails clearly when a fresh login is refused again', async () => {
    const legacy = await startSimulator({ cases: 5, seed: 1, auth: 'token' });
    try {
      const c = createPrimeroClient({ url: legacy.url, user: 'primero', password: 'primero', authMode: 'token', ...fast }, { logger: logger() });
      await c.login();
      legacy.queueResponses({ kind: '401', path: '/api/v2/cases' }, { kind: '401', path: '/api/v2/cases' });
      const err = await c.get('cases').catch((e: unknown) => e);
      expect((err as PrimeroHttpError).status).toBe(401);
      expect((err as Error).message).toMatch(/still refused after logging in again/);
      expect(legacy.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    } finally {
      await legacy.stop();
    }
  });
});

describe('response validation', () => {
  it('rejects a 200 whose body breaks the schema, without retrying', async () => {
    sim.queueResponses({ status: 200, body: { data: 'oops', metadata: { total: 1, per: 20, page: 1 } } });
    const err = await client().get('cases').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrimeroResponseError);
    expect((err as Error).message).toMatch(/\/api\/v2\/cases: response does not match the expected shape \(data:/);
    expect(sim.requests).toHaveLength(1);
  });

  it('passes a case without an id on (the sync rejects it alone), and rejects a body that is not JSON', async () => {
    // One bad record must not cost its page: the mapping puts it in sync_rejects with the reason.
    sim.queueResponses({ status: 200, body: { data: [{ age: 3 }], metadata: { total: 'many' } } }, { status: 200, rawBody: '<html>' });
    const page = await client().get('cases');
    expect(page.data).toEqual([{ age: 3 }]);
    expect(page.metadata).toBeUndefined();
    await expect(client().get('cases')).rejects.toThrow(/not JSON/);
  });
});
