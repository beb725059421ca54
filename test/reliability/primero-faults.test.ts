import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.ts';
import { expectedCases, expectedServices } from '../support/oracle.ts';
import { quietProgress, startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';
import type { SimulatorOptions } from '../../sim/server.ts';
import { resultOf, runsOf, type SyncResult } from './support/result.ts';

/**
 * Primero misbehaving during a real sync. "Survived" means: the run completes
 * (or, past the retry budget, fails clearly and the next sync completes it),
 * and the database then equals, row by row, what a clean run of the same data
 * leaves — nothing lost, nothing written twice, no extra rejects.
 */
const kind = databaseTargets()[0]!;
const DATA: SimulatorOptions = { cases: 160, seed: 'primero-faults', loginThrottlePerMinute: 0 };
const PAGE = 20;

describe(`Primero faults during a sync (${kind} database)`, () => {
  let clean: SyncResult;
  let h: SyncHarness | undefined;

  beforeAll(async () => {
    const c = await startSyncHarness(kind, DATA);
    try {
      await c.sync({ pageSize: PAGE });
      clean = await resultOf(c.db.url);
      expect(clean.cases.length).toBeGreaterThan(50);
    } finally {
      await c.close();
    }
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
    // Requests are sequential: each 503 cost at least its Retry-After.
    expect(summary.seconds).toBeGreaterThanOrEqual(n * 1);
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
    h.sim.setFaults({ rate: 0.1, kinds: ['hang'] });
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
    const at = h.sim.requests.findIndex((r) => r.status === 401);
    expect(h.sim.requests.slice(at, at + 3).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /api/v2/cases 401',
      'POST /api/v2/tokens 200',
      'GET /api/v2/cases 200',
    ]);
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
        if (++batches === 2) harness.sim.queueResponses({ kind: '401', path: '/api/v2/cases' }, { kind: '401', path: '/api/v2/cases' });
      }),
    });
    await expect(failing).rejects.toThrow(/batch 3: step "fetch" failed: .*401.*still refused after logging in again/);
    // Not retried as a transient fault: exactly the two 401s, with one login between them.
    const after = h.sim.requests.slice(h.sim.requests.findIndex((r) => r.status === 401));
    expect(after.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /api/v2/cases 401', 'POST /api/v2/tokens 200', 'GET /api/v2/cases 401']);
    const [failed] = await runsOf(h.db.url);
    expect(failed).toMatchObject({ status: 'failed', batches: 2 });
    expect(failed!.error).toMatch(/401/);
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
    await expect(failing).rejects.toThrow(/batch 3: step "fetch" failed: .*503.*gave up after 3 attempt/);
    // The batch was tried 1 + FAST_RETRY.retries times, each with the client's 3 attempts.
    expect(faultCount(h, 503)).toBe(3 * 3);
    const [failed] = await runsOf(h.db.url);
    expect(failed).toMatchObject({ status: 'failed', batches: 2 });
    h.sim.clearFaults();
    await h.sync({ pageSize: PAGE });
    await expectClean(h);
  });
});
