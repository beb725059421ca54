import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../lib/db/migrate.ts';
import { scheduleAround } from '../../lib/status/compute.ts';
import { startCli } from '../support/cli.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

/**
 * `primero-ona status` as a monitor runs it: the exit status says healthy (0),
 * failed or overdue (1), database unreachable (2); --json carries the same.
 */
/** The start workflow's daily cron; the run it opens is due once a quarter. */
const CRON = '0 2 * * *';
const lastDue = () => scheduleAround(CRON, new Date()).lastDue!;

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase(databaseTargets()[0]!);
  await migrate(db.url);
});
afterEach(() => db?.drop());

async function addRun(runId: string, status: string, startedAt: Date, error: string | null = null) {
  await withClient(db.url, (c) =>
    c.query(
      `INSERT INTO sync_runs (run_id, window_from, window_to, status, started_at, finished_at, batches, cases_count, rejects_count, error)
       VALUES ($1, '2026-01-01T00:00:00Z', $2, $3, $2, CASE WHEN $3 = 'running' THEN NULL ELSE $2::timestamptz + interval '5 minutes' END, 4, 321, 2, $4)`,
      [runId, startedAt.toISOString(), status, error],
    ),
  );
}

const status = (args: string[] = []) => startCli(['status', ...args], { DATABASE_URL: db.url });

describe('status exit codes', () => {
  it('0 when the last run completed after the quarter run became due; shows runs, schedule and rejects by field and reason', async () => {
    await addRun('run-ok', 'completed', new Date(lastDue().getTime() + 1000));
    await withClient(db.url, (c) =>
      c.query(`INSERT INTO sync_rejects (run_id, case_id, reason, field, kind) VALUES ('run-ok', 'c1', 'age is not a whole number', 'age', 'rejected'), ('run-ok', 'c2', 'age is not a whole number', 'age', 'rejected'), ('run-ok', 'c3', 'unknown option code', 'sex', 'unknown_code')`),
    );
    const cli = status();
    expect((await cli.exited).code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^Sync status: OK: last run run-ok completed/);
    expect(cli.stdout).toMatch(/Schedule: "0 2 \* \* \*" \(UTC\); last due .*; next 20\d\d-/);
    expect(cli.stdout).toMatch(/run-ok .*completed .*321/);
    expect(cli.stdout).toMatch(/Rejects of run run-ok by field and reason:/);
    expect(cli.stdout).toMatch(/rejected .*age .* 2 .*age is not a whole number/);
    const json = startCli(['status', '--json'], { DATABASE_URL: db.url });
    expect((await json.exited).code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ state: 'ok', exitCode: 0, lastCompleted: { runId: 'run-ok' } });
    expect(parsed.lastRunRejects).toContainEqual({ kind: 'rejected', field: 'age', reason: 'age is not a whole number', count: 2 });
  });

  it('1 when the last run failed', async () => {
    await addRun('run-ok', 'completed', new Date(lastDue().getTime() + 1000));
    await addRun('run-failed', 'failed', new Date(lastDue().getTime() + 60_000), 'batch 2: step "fetch" failed: gave up after 5 attempts');
    const cli = status(['--json']);
    expect((await cli.exited).code).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ state: 'failed', exitCode: 1, runs: [{ runId: 'run-failed', error: expect.stringMatching(/gave up/) }, { runId: 'run-ok' }] });
  });

  it('1 when the quarter run is overdue', async () => {
    await addRun('run-old', 'completed', new Date(lastDue().getTime() - 86_400_000));
    const cli = status(['--grace-hours', '0']);
    expect((await cli.exited).code).toBe(1);
    expect(cli.stdout).toMatch(/^Sync status: OVERDUE: the run due .* has not completed/);
  });

  it('1 when no sync has run yet', async () => {
    const cli = status();
    expect((await cli.exited).code).toBe(1);
    expect(cli.stdout).toMatch(/NEVER RUN/);
  });

  it('2 when the database cannot be reached, in one line, without the password', async () => {
    const cli = startCli(['status', '--json'], { DATABASE_URL: 'postgres://ona:Secret-Pa55@127.0.0.1:1/ona', DATABASE_WAIT_SECONDS: '1' });
    expect((await cli.exited).code).toBe(2);
    expect(JSON.parse(cli.stdout)).toMatchObject({ state: 'unreachable', exitCode: 2, summary: expect.stringMatching(/127\.0\.0\.1:1 \(DATABASE_URL\)/) });
    const text = startCli(['status'], { DATABASE_URL: 'postgres://ona:Secret-Pa55@127.0.0.1:1/ona', DATABASE_WAIT_SECONDS: '0' });
    expect((await text.exited).code).toBe(2);
    expect(text.stderr.split('\n').filter((l) => l.startsWith('primero-ona:'))).toEqual(['primero-ona: cannot connect to the database at 127.0.0.1:1 (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:1']);
    expect(cli.stdout + cli.stderr + text.stdout + text.stderr).not.toContain('Secret-Pa55');
  });

});
