import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { startCli } from '../support/cli.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';
import { migrate } from '../../lib/db/migrate.ts';
import { runsOf } from '../support/result.ts';

/**
 * A sync interrupted with Ctrl-C says so and how it resumes; `status` then
 * tells the stopped run from a live one (exit 1, not RUNNING), and the next
 * sync resumes and completes it.
 */
describe.each(databaseTargets())('sync interrupted with SIGINT (%s database)', (kind) => {
  let sim: Simulator;
  let db: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    // Each page answers in about 50 ms: a sync of 5-case pages takes seconds, time enough to see it live.
    sim = await startSimulator({ cases: 200, seed: 'interrupt', asOf: '2026-06-01T00:00:00Z', latencyMs: 50 });
    db = await createTestDatabase(kind);
    env = { PRIMERO_URL: sim.url, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: 'primero', DATABASE_URL: db.url };
    // This quarter's run has completed (so nothing is overdue); the sync below is a backfill (--since).
    await migrate(db.url);
    await withClient(db.url, (c) =>
      c.query(`INSERT INTO sync_runs (run_id, window_from, window_to, status, started_at, finished_at, last_progress_at)
               VALUES (gen_random_uuid(), now() - interval '1 day', now() - interval '1 hour', 'completed', now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour')`),
    );
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.drop();
  });

  it('stops after the batch under way, says the next sync resumes it; status says STOPPED (exit 1), then the resumed run completes', async () => {
    const sync = startCli(['sync', '--page-size', '5', '--since', '2020-01-01'], env);
    expect(await sync.waitForLines(/^batch \d+ of \d+/, 2), sync.stderr).toBe(true);

    // Live: a sync holds the lock.
    const live = startCli(['status', '--json'], env);
    expect((await live.exited).code, live.stdout + live.stderr).toBe(0);
    expect(JSON.parse(live.stdout)).toMatchObject({ state: 'running', summary: expect.stringMatching(/a sync holds the sync lock/) });

    sync.child.kill('SIGINT');
    const { code } = await sync.exited;
    expect(code, sync.stderr).toBe(130);
    expect(sync.stderr).toMatch(/^primero-ona: interrupted: stopping after the batch under way/m);
    const runId = /^primero-ona: sync interrupted: run ([0-9a-f-]{36}) stopped after \d+ batches of this sync, each committed$/m.exec(sync.stderr)?.[1];
    expect(runId, sync.stderr).toBeDefined();
    expect(sync.stderr).toMatch(/^ {2}the next `primero-ona sync` resumes the run from its last committed batch/m);
    expect(sync.stdout).toBe('');
    const stopped = (await runsOf(db.url)).at(-1);
    expect(stopped).toMatchObject({ status: 'running' });
    expect(stopped!.batches).toBeGreaterThanOrEqual(2);

    const status = startCli(['status'], env);
    expect((await status.exited).code, status.stderr).toBe(1);
    expect(status.stdout).toMatch(
      new RegExp(`^Sync status: STOPPED: run ${runId} stopped with ${stopped!.batches} batches committed: the sync that ran it ended without completing it \\(the sync lock is free\\)`),
    );
    expect(status.stdout).toMatch(/the next sync resumes it from its last committed batch/);

    const resumed = startCli(['sync', '--page-size', '5'], env);
    expect((await resumed.exited).code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`^Run ${runId} \\(resumed\\) complete`));
    const after = startCli(['status', '--json'], env);
    await after.exited;
    expect(JSON.parse(after.stdout)).toMatchObject({ state: 'ok', lastCompleted: { runId } });
  }, 120_000);
});
