import { describe, expect, it } from 'vitest';
import { calling, classifyPrimeroFailure, DEFAULT_PRIMERO_POLICY, everyPage, PrimeroCallFailed, primeroPolicyOf, type Operation } from '../../lib/core/primero-calls.ts';
import { backoffMs, parseRetryAfter } from '../../lib/core/retry.ts';

/** What the official adaptor rejects with on an HTTP error (openfn-facts.md §1.5). */
const responded = (statusCode: number, headers: Record<string, string> = {}) =>
  new Error(`Server responded with:\n${JSON.stringify({ statusCode, headers, body: '{"errors":[{"status":' + statusCode + '}]}', request: { headers: { Authorization: '--REDACTED--' } } }, null, 2)}`);
const network = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
const fast = { timeoutMs: 200, maxAttempts: 3, maxRetryMs: 5_000, minRetryDelayMs: 1 };

/** An operation that fails with the given errors in turn, then succeeds. */
function flaky(errors: unknown[]): { op: Operation; calls: () => number } {
  let calls = 0;
  return {
    op: async (state) => {
      const e = errors[calls++];
      if (e) throw e;
      return { ...state, data: ['ok'] };
    },
    calls: () => calls,
  };
}

describe('the fetch job\'s own safety around the official Primero adaptor', () => {
  it('reads status and Retry-After from the official error; 5xx, 429 and network errors are transient, 4xx are not', () => {
    expect(classifyPrimeroFailure(responded(503, { 'retry-after': '7' }), 0)).toEqual({ transient: true, refused: false, status: 503, line: 'Primero answered 503', retryAfterMs: 7000 });
    expect(classifyPrimeroFailure(responded(429)).transient).toBe(true);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', Date.parse('2025-01-01T00:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(classifyPrimeroFailure(responded(400)).transient).toBe(false);
    expect(classifyPrimeroFailure(responded(401)).line).toMatch(/check them before running again \(six failed logins lock the account for 30 minutes\)/);
    expect(classifyPrimeroFailure(network('ECONNRESET'))).toMatchObject({ transient: true, line: 'ECONNRESET' });
    // A 200 without a data list (the adaptor's TypeError) does not get better by asking again.
    expect(classifyPrimeroFailure(new TypeError("Cannot read properties of undefined (reading 'length')")).transient).toBe(false);
  });

  it('never puts the response body or a credential into the line', () => {
    const line = classifyPrimeroFailure(responded(500)).line;
    expect(line).toBe('Primero answered 500');
    expect(line).not.toMatch(/errors|REDACTED|Authorization/);
  });

  it('backs off exponentially with jitter, and waits at least what Retry-After asks', () => {
    expect(backoffMs(1, DEFAULT_PRIMERO_POLICY, null, () => 0)).toBe(250);
    expect(backoffMs(3, DEFAULT_PRIMERO_POLICY, null, () => 1)).toBe(2000);
    expect(backoffMs(1, DEFAULT_PRIMERO_POLICY, 30_000, () => 0)).toBe(30_000);
    expect(backoffMs(20, DEFAULT_PRIMERO_POLICY, null, () => 1)).toBe(DEFAULT_PRIMERO_POLICY.maxDelayMs);
  });

  it('takes the policy from the credential, else the defaults', () => {
    expect(primeroPolicyOf({ url: 'x', maxAttempts: 2, timeoutMs: 10, maxRetryMs: 9 })).toEqual({ ...DEFAULT_PRIMERO_POLICY, maxAttempts: 2, timeoutMs: 10, maxTotalMs: 9 });
    expect(primeroPolicyOf(undefined)).toEqual(DEFAULT_PRIMERO_POLICY);
  });

  it('retries transient failures and returns the answer', async () => {
    const f = flaky([responded(502), network('ECONNRESET')]);
    const lines: string[] = [];
    const out = await calling('cases', f.op, { log: (l) => lines.push(l) })({ configuration: fast });
    expect(out.data).toEqual(['ok']);
    expect(f.calls()).toBe(3);
    expect(lines).toHaveLength(2);
    // Who retries is said once per line.
    expect(lines[0]).toMatch(/^cases: Primero answered 502; trying again in [\d.]+ s \(try 2 of 3\)$/);
  });

  it('gives up after the attempts allowed, in one line', async () => {
    const f = flaky([responded(503), responded(503), responded(503), responded(503)]);
    const failed = calling('cases', f.op)({ configuration: fast });
    await expect(failed).rejects.toThrow(/^cases: Primero answered 503 \(gave up after 3 attempts\)$/);
    // Typed: the fetch job hands the classification on, the CLI never reads it from the text.
    await expect(failed).rejects.toBeInstanceOf(PrimeroCallFailed);
    await failed.catch((e: PrimeroCallFailed) => expect(e.failure).toMatchObject({ transient: true, status: 503 }));
    expect(f.calls()).toBe(3);
  });

  it('does not ask again after a permanent failure', async () => {
    const f = flaky([responded(403)]);
    await expect(calling('cases', f.op)({ configuration: fast })).rejects.toThrow(/403: the Primero user lacks permission/);
    expect(f.calls()).toBe(1);
  });

  it('times out a request that never answers, and tries again', async () => {
    let calls = 0;
    const op: Operation = (state) => (++calls === 1 ? new Promise(() => undefined) : Promise.resolve({ ...state, data: ['late but fine'] }));
    const out = await calling('cases', op)({ configuration: { ...fast, timeoutMs: 50 } });
    expect(out.data).toEqual(['late but fine']);
    expect(calls).toBe(2);
  });

  it('with HTTP Basic a 401 is final: the password is not tried again', async () => {
    const f = flaky([responded(401)]);
    let relogins = 0;
    await expect(calling('cases', f.op, { relogin: (op) => (relogins++, op) })({ configuration: { ...fast, basicAuth: true } })).rejects.toThrow(/401/);
    expect(f.calls()).toBe(1);
    expect(relogins).toBe(0);
  });

  it('in legacy token mode a 401 logs in again once (a fresh execute), and a second 401 is final', async () => {
    const once = flaky([responded(401)]);
    const wrapped: string[] = [];
    const relogin = (op: Operation): Operation => (state) => (wrapped.push('login'), op(state));
    expect((await calling('cases', once.op, { relogin })({ configuration: { ...fast, basicAuth: false } })).data).toEqual(['ok']);
    expect(wrapped).toEqual(['login']);
    const twice = flaky([responded(401), responded(401)]);
    await expect(calling('cases', twice.op, { relogin })({ configuration: { ...fast, basicAuth: false } })).rejects.toThrow(/still refused after logging in again/);
  });

  it('pages a list the adaptor reads one page of until a page comes back short', async () => {
    const asked: unknown[] = [];
    const page = (query: Record<string, unknown>): Operation => async (state) => {
      asked.push(query);
      const n = Number(query.page);
      return { ...state, data: Array.from({ length: n < 3 ? 2 : 1 }, (_, i) => `${n}.${i}`) };
    };
    const out = await everyPage('locations', page, { hierarchy: true }, 2)({ configuration: fast, data: null });
    expect(out.data).toEqual(['1.0', '1.1', '2.0', '2.1', '3.0']);
    expect(asked).toEqual([{ hierarchy: true, per: 2, page: 1 }, { hierarchy: true, per: 2, page: 2 }, { hierarchy: true, per: 2, page: 3 }]);
  });
});
