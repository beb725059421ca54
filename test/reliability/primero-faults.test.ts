import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.ts';
import { expectedCases, expectedServices } from '../support/oracle.ts';
import { cleanResult, quietProgress, startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';
import type { SimulatorOptions } from '../../dev/sim/server.ts';
import { resultOf, runsOf, type SyncResult } from '../support/result.ts';

/**
 * Primero misbehaving during a real sync. "Survived" means: the run completes
 * (or, past the retry budget, fails clearly and the next sync completes it),
 * and the database then equals, row by row, what a clean run of the same data
 * leaves — nothing lost, nothing written twice, no extra rejects.
 */
const kind = databaseTargets()[0]!;
// Enough pages that a 20% fault rate reliably hits several requests (a first run reads only the two indicator queries).
const DATA: SimulatorOptions = { cases: 320, seed: 'primero-faults', loginThrottlePerMinute: 0 };
const PAGE = 10;

describe(`Primero faults during a sync (${kind} database)`, () => {
  let clean: SyncResult;
  let h: SyncHarness | undefined;

  beforeAll(async () => {
    clean = await cleanResult(kind, DATA, { pageSize: PAGE });
    expect(clean.cases.length).toBeGreaterThan(50);
  }, 120_000);
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function expectClean(harness: SyncHarness): Promise<void> {
    const records = harness.sim.records();
    expect(await harness.casesInDb()).toEqual(expectedCases(records));
    expect(await harness.servicesInDb()).toEqual(expectedServices(records));
    expect(await resultOf(harness.db.url)).toEqual(clean);
    const runs = await runsOf(harness.db.url);
    expect(runs.map((r) => r.status)).toEqual(['completed']);
  }

  const faultCount = (harness: SyncHarness, status: number) => harness.sim.requests.filter((r) => r.status === status).length;

  it('survives 5xx answers to 20% of requests', async () => {
    h = await startSyncHarness(kind, DATA);
    h.sim.setFaults({ rate: 0.2, kinds: ['500', '502'] });
    await h.sync({ pageSize: PAGE });
    expect(faultCount(h, 500) + faultCount(h, 502)).toBeGreaterThan(2);
    await expectClean(h);
  });

  it('survives 503 with Retry-After, and waits as asked', async () => {
    h = await startSyncHarness(kind, DATA);
    h.sim.setFaults({ rate: 0.2, kinds: ['503'], retryAfterSeconds: 1 });
    const summary = await h.sync({ pageSize: PAGE });
    const n = faultCount(h, 503);
    expect(n).toBeGreaterThan(1);
    expect(summary.batches).toBeGreaterThan(0);
    // Each 503'd request was asked again no sooner than its Retry-After (1 s). Two queries' pages are read
    // side by side, so the waits overlap and the run's length says nothing: the spacing of each retry does.
    const requests = h.sim.requests;
    let retried = 0;
    requests.forEach((r, i) => {
      if (r.status !== 503) return;
      const again = requests.slice(i + 1).find((x) => x.path === r.path && x.rawQuery === r.rawQuery);
      if (!again) return;
      retried++;
      expect(again.at - r.at).toBeGreaterThanOrEqual(990);
    });
    expect(retried).toBeGreaterThan(1);
    await expectClean(h);
  });

  it('survives 429 Too Many Requests on 20% of requests', async () => {
    h = await startSyncHarness(kind, DATA);
    h.sim.setFaults({ rate: 0.2, kinds: ['429'] });
    await h.sync({ pageSize: PAGE });
    expect(faultCount(h, 429)).toBeGreaterThan(2);
    await expectClean(h);
  });

  it('survives responses slower than the timeout', async () => {
    h = await startSyncHarness(kind, DATA);
    h.settings.primero.timeoutMs = 400;
    h.sim.setFaults({ rate: 0.2, kinds: ['hang'] });
    await h.sync({ pageSize: PAGE });
    expect(h.sim.requests.filter((r) => r.status === 0).length).toBeGreaterThan(0);
    await expectClean(h);
  });

  it('survives connections reset by the server', async () => {
    h = await startSyncHarness(kind, DATA);
    h.sim.setFaults({ rate: 0.2, kinds: ['reset'] });
    await h.sync({ pageSize: PAGE });
    expect(h.sim.requests.filter((r) => r.status === 0).length).toBeGreaterThan(2);
    await expectClean(h);
  });

  it('logs in again once when the legacy token is refused mid-run (401), losing nothing', async () => {
    h = await startSyncHarness(kind, { ...DATA, auth: 'token' });
    h.settings.primero.authMode = 'token';
    const harness = h;
    let batches = 0;
    await harness.sync({
      pageSize: PAGE,
      progress: quietProgress(() => {
        // What an expired token gets from Primero ≤ v2.10: 401 on the next request.
        if (++batches === 2) harness.sim.queueResponses({ kind: '401', path: '/api/v2/cases' });
      }),
    });
    // One 401 (on this request or one read ahead), then a fresh login, and every case request after it succeeds.
    const at = h.sim.requests.findIndex((r) => r.status === 401);
    const after = h.sim.requests.slice(at + 1);
    expect(h.sim.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(after.some((r) => r.method === 'POST' && r.path === '/api/v2/tokens' && r.status === 200)).toBe(true);
    expect(after.filter((r) => r.path === '/api/v2/cases').every((r) => r.status === 200)).toBe(true);
    await expectClean(h);
  });

  it('fails clearly when Primero still answers 401 after one fresh login, and the next sync completes the run', async () => {
    h = await startSyncHarness(kind, { ...DATA, auth: 'token' });
    h.settings.primero.authMode = 'token';
    const harness = h;
    let batches = 0;
    const failing = harness.sync({
      pageSize: PAGE,
      progress: quietProgress(() => {
        // The account lost its access: every case request is refused from here on, logins still succeed.
        if (++batches === 2) harness.sim.setFaults({ rate: 1, kinds: ['401'], pathPrefix: '/api/v2/cases' });
      }),
    });
    await expect(failing).rejects.toThrow(/^batch (\d+): step "fetch" failed: (?!.*\bbatch \1\b).*401.*still refused after logging in again/);
    // Not retried as a transient fault: a request refused twice (401, one fresh login, 401) is not asked again.
    // A read-ahead of the same page may add its own two; retrying the batch would add two per try.
    const refusedPerQuery = new Map<string, number>();
    for (const r of h.sim.requests.filter((x) => x.status === 401)) refusedPerQuery.set(r.rawQuery, (refusedPerQuery.get(r.rawQuery) ?? 0) + 1);
    expect(Math.max(...refusedPerQuery.values())).toBeGreaterThanOrEqual(2);
    expect(Math.max(...refusedPerQuery.values())).toBeLessThanOrEqual(4);
    const [failed] = await runsOf(h.db.url);
    expect(failed?.status).toBe('failed');
    expect(failed!.batches).toBeGreaterThanOrEqual(2);
    expect(failed!.error).toMatch(/401/);
    h.sim.clearFaults();
    const resumed = await h.sync({ pageSize: PAGE });
    expect(resumed.resumed).toBe(true);
    await expectClean(h);
  });

  it('fails the run when Primero stays down past the retry budget, and the next sync completes it', async () => {
    h = await startSyncHarness(kind, DATA);
    const harness = h;
    let batches = 0;
    const failing = harness.sync({
      pageSize: PAGE,
      progress: quietProgress(() => {
        if (++batches === 2) harness.sim.setFaults({ rate: 1, kinds: ['503'], retryAfterSeconds: 0 });
      }),
    });
    await expect(failing).rejects.toThrow(/^batch (\d+): step "fetch" failed: (?!.*\bbatch \1\b).*503.*gave up after 3 attempt/); // its number said once
    // The batch was tried 1 + FAST_RETRY.retries times, each with the client's 3 attempts (a read-ahead may add some).
    expect(faultCount(h, 503)).toBeGreaterThanOrEqual(3 * 3);
    const [failed] = await runsOf(h.db.url);
    expect(failed?.status).toBe('failed');
    expect(failed!.batches).toBeGreaterThanOrEqual(2);
    h.sim.clearFaults();
    await h.sync({ pageSize: PAGE });
    await expectClean(h);
  });
});
