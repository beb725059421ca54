import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrate } from '../../lib/db/migrate.ts';
import type { SyncOptions } from '../../lib/host/run-sync.ts';
import { createTestDatabase, databaseTargets, withClient, type TargetKind, type TestDatabase } from '../support/databases.ts';
import { AS_OF, startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';
import { generateCases } from '../../dev/sim/generator.ts';
import { startHangingProxy, type HangingProxy } from '../support/hanging-proxy.ts';

/** A page after a query's first (keyset paging: created_at from the last record on): read by a batch, never by the start workflow. */
const AFTER_FIRST_PAGE = (url: URL) => url.searchParams.has('created_at');
import { ledgerOf, resultOf, runsOf, type Ledger, type SyncResult } from '../support/result.ts';

/**
 * A batch that runs past BATCH_TIMEOUT_SECONDS is stopped (its worker thread
 * terminated, its connections closed, its transaction rolled back by the
 * server), the run is marked failed with one line, and the next sync resumes
 * from the bookmark and ends equal to a clean run, each batch committed once.
 */
const PAGE = 40;
const LIMIT_S = 3;

describe.each(databaseTargets())('a batch past its time limit (%s database)', (kind: TargetKind) => {
  let h: SyncHarness;
  let clean: SyncResult;
  let cleanLedger: Ledger[];
  const targets: TestDatabase[] = [];
  const limited = (url: string, extra: Partial<SyncOptions> = {}): Partial<SyncOptions> => ({
    databaseUrl: url,
    pageSize: PAGE,
    batchLimits: { timeoutSeconds: LIMIT_S, memoryMb: 256 },
    databasePoolMax: kind === 'embedded' ? 1 : 10,
    ...extra,
  });
  const freshTarget = async () => {
    const t = await createTestDatabase(kind);
    targets.push(t);
    await migrate(t.url);
    return t;
  };

  beforeAll(async () => {
    h = await startSyncHarness(kind, { cases: 300, seed: 'batch-limits' });
    await h.sync({ pageSize: PAGE });
    clean = await resultOf(h.db.url);
    cleanLedger = await ledgerOf(h.db.url);
  }, 120_000);
  afterAll(async () => {
    for (const t of targets) await t.drop();
    await h?.close();
  });

  it('Primero never answers one page: the batch is stopped at its limit, the next sync resumes from its bookmark and ends equal to a clean run', async () => {
    const target = await freshTarget();
    const proxy: HangingProxy = await startHangingProxy(h.sim.url, AFTER_FIRST_PAGE);
    try {
      // The job's own per-request timeout is far longer than the batch's limit: only the limit can stop it.
      const settings = { ...h.settings, primero: { ...h.settings.primero, url: proxy.url, timeoutMs: 120_000 } };
      const started = Date.now();
      const failed = await h.sync(limited(target.url, { settings })).then(
        () => new Error('the sync completed'),
        (e: unknown) => e as Error,
      );
      expect(failed).toBeInstanceOf(Error);
      expect(failed.message).toMatch(new RegExp(`^batch (\\d+) stopped after ${LIMIT_S} s in step "fetch" \\(BATCH_TIMEOUT_SECONDS\\)$`));
      expect(Date.now() - started).toBeLessThan(LIMIT_S * 1000 + 15_000);
      expect(proxy.held).toBe(1);
      const stoppedBatch = Number(/^batch (\d+)/.exec(failed.message)![1]);
      const [run] = await runsOf(target.url);
      expect(run).toMatchObject({ status: 'failed', error: failed.message, batches: stoppedBatch - 1 });
      expect(stoppedBatch).toBeGreaterThan(1);

      proxy.hanging = false;
      const resumed = await h.sync(limited(target.url, { settings }));
      expect(resumed.resumed).toBe(true);
      expect(resumed.batches).toBe(cleanLedger[0]!.batches - (stoppedBatch - 1));
      expect(await resultOf(target.url)).toEqual(clean);
      expect(await ledgerOf(target.url)).toEqual(cleanLedger);
    } finally {
      await proxy.stop();
    }
  });

  // A lock held by another session needs a server: the embedded database serves one connection at a time.
  if (kind === 'server') it('a batch blocked inside its transaction: stopped, its connection closes, nothing it wrote stays; the next sync ends equal to a clean run', async () => {
    const target = await freshTarget();
    // Another session holds a lock that lets reads through but blocks the batch's first write to cases, inside its transaction.
    const locker = new pg.Client({ connectionString: target.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE cases IN SHARE MODE');
      const lockerPid = Number((await locker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
      const failed = await h.sync(limited(target.url)).then(
        () => new Error('the sync completed'),
        (e: unknown) => e as Error,
      );
      expect(failed.message).toMatch(new RegExp(`^batch 1 stopped after ${LIMIT_S} s in step "upsert" \\(BATCH_TIMEOUT_SECONDS\\)$`));
      await locker.query('ROLLBACK');
      // The stopped worker's sessions end: the server rolls the batch back once its statement gets the lock and finds no client.
      const others = () => withClient(target.url, async (c) => Number((await c.query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> $1", [lockerPid])).rows[0].n));
      const deadline = Date.now() + 10_000;
      while ((await others()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await others()).toBe(0);
      expect(await withClient(target.url, async (c) => Number((await c.query('SELECT count(*) AS n FROM cases')).rows[0].n))).toBe(0);
    } finally {
      await locker.end();
    }
    const resumed = await h.sync(limited(target.url));
    expect(resumed.resumed).toBe(true);
    expect(await resultOf(target.url)).toEqual(clean);
    expect(await ledgerOf(target.url)).toEqual(cleanLedger);
  });
});

describe('a batch past its memory limit', () => {
  let h: SyncHarness | undefined;
  afterAll(() => h?.close());

  it('fails that batch in one line, the process survives, and the run is left to resume', async () => {
    // 40 cases whose case_id_display is 2 MB each: one page of them is far beyond a 64 MB heap.
    const records = generateCases({ count: 120, seed: 'batch-memory', asOf: AS_OF });
    for (const r of records.slice(40, 80)) (r as Record<string, unknown>).case_id_display = 'x'.repeat(2 * 1024 * 1024);
    const kind = databaseTargets()[0]!;
    h = await startSyncHarness(kind, { records });
    const failed = await h
      .sync({ pageSize: 40, batchLimits: { timeoutSeconds: 120, memoryMb: 64 }, databasePoolMax: kind === 'embedded' ? 1 : 10 })
      .then(
        () => new Error('the sync completed'),
        (e: unknown) => e as Error,
      );
    expect(failed.message).toMatch(/^batch \d+ ran out of its 64 MB memory limit in step "[a-z-]+" \(BATCH_MEMORY_MB\)$/);
    // This process is alive to read the ledger: the run is marked failed, its committed batches kept.
    const [run] = await runsOf(h.db.url);
    expect(run).toMatchObject({ status: 'failed', error: failed.message });
  });
});
