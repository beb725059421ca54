import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../lib/db/migrate.ts';
import { openConfiguredDatabase, type OpenedDatabase } from '../../lib/db/connect.ts';
import { tryAcquireSyncLock } from '../../lib/host/sync-lock.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { currentStatus } from '../../lib/status/current.ts';
import { healthzHandler } from '../../lib/status/health-server.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

/**
 * A run the ledger calls running, over a real database and the real sync lock:
 * live while a sync holds the lock, stopped once it let go (status exit 1,
 * /healthz 503), and, when no local sync drove it (the platform), live while
 * its batches commit.
 */
const CRON = '0 2 * * *';
const RUN = '00000000-0000-4000-8000-000000000001';

describe.each(databaseTargets())('a running run, live or stopped (%s database)', (kind) => {
  let db: TestDatabase;
  let opened: OpenedDatabase;

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    await migrate(db.url);
    // This quarter's run completed an hour ago, so only liveness decides.
    await withClient(db.url, (c) =>
      c.query(`INSERT INTO sync_runs (run_id, window_from, window_to, status, started_at, finished_at, last_progress_at)
               VALUES (gen_random_uuid(), now() - interval '1 day', now() - interval '1 hour', 'completed', now() - interval '2 hours', now() - interval '1 hour', now() - interval '1 hour')`),
    );
    opened = await openConfiguredDatabase({ source: { database: { connectionString: db.url }, setting: 'DATABASE_URL', sslSetting: 'database.ssl' }, logger: silentLogger });
  });
  afterEach(async () => {
    await opened?.close();
    await db?.drop();
  });

  const batchCommits = (batches: number) =>
    withClient(db.url, (c) =>
      c.query(
        `INSERT INTO sync_runs (run_id, window_from, window_to, status, started_at, last_progress_at, batches) VALUES ($1, now() - interval '1 hour', now(), 'running', now(), now(), $2)
         ON CONFLICT (run_id) DO UPDATE SET last_progress_at = now(), batches = excluded.batches`,
        [RUN, batches],
      ),
    );

  async function healthz(): Promise<number> {
    const handle = healthzHandler(() => currentStatus(opened, { cron: CRON }));
    const server = http.createServer((req, res) => void (handle(req, res) || res.writeHead(404).end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      return (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`)).status;
    } finally {
      await new Promise((r) => server.close(r));
    }
  }

  it('running while a sync holds the lock; stopped (exit 1, /healthz 503) once it released it or died', async () => {
    const lock = await tryAcquireSyncLock(db.url);
    expect(lock).not.toBeNull();
    await batchCommits(3);
    expect(await currentStatus(opened, { cron: CRON })).toMatchObject({ state: 'running', exitCode: 0, summary: expect.stringMatching(/a sync holds the sync lock/) });
    expect(await healthz()).toBe(200);

    await lock!.release();
    const stopped = await currentStatus(opened, { cron: CRON });
    expect(stopped).toMatchObject({ state: 'stopped', exitCode: 1 });
    expect(stopped.summary).toMatch(new RegExp(`^run ${RUN} stopped with 3 batches committed: the sync that ran it ended without completing it`));
    expect(await healthz()).toBe(503);

    // A sync that died holding the lock left no release time: stopped too once the lock is gone.
    await withClient(db.url, (c) => c.query('UPDATE sync_lock_trace SET released_at = NULL'));
    expect((await currentStatus(opened, { cron: CRON })).state).toBe('stopped');
  });

  it('a run no local sync drove (the platform takes no lock) is running while its batches commit, stopped when they stopped long ago', async () => {
    // A local sync took and released the lock before the platform's run began.
    const lock = await tryAcquireSyncLock(db.url);
    await lock!.release();
    await new Promise((r) => setTimeout(r, 20));
    await batchCommits(2);
    expect(await currentStatus(opened, { cron: CRON })).toMatchObject({ state: 'running', exitCode: 0, summary: expect.stringMatching(/a platform chain/) });
    expect(await healthz()).toBe(200);
    await withClient(db.url, (c) => c.query(`UPDATE sync_runs SET last_progress_at = now() - interval '2 hours' WHERE run_id = $1`, [RUN]));
    expect(await currentStatus(opened, { cron: CRON })).toMatchObject({ state: 'stopped', exitCode: 1, summary: expect.stringMatching(/no batch has committed since/) });
    expect(await healthz()).toBe(503);
  });
});
