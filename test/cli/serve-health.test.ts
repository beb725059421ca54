import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../lib/db/migrate.ts';
import { openConfiguredDatabase } from '../../lib/db/connect.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { scheduleAround } from '../../lib/status/compute.ts';
import { currentStatus } from '../../lib/status/current.ts';
import { healthzHandler } from '../../lib/status/health-server.ts';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { startCli, type CliRun } from '../support/cli.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

/**
 * `serve` left running for years: GET /healthz answers the status of
 * `primero-ona status` (200 healthy, 503 otherwise); a quarter's run missed
 * while serve was down runs at start-up; SIGTERM lets the batch under way
 * commit and exits 0, and the next run resumes from there.
 */
/** The start workflow's daily cron; the run it opens is due once a quarter. */
const CRON = '0 2 * * *';
const lastDue = () => scheduleAround(CRON, new Date()).lastDue!;

let sim: Simulator | undefined;
let db: TestDatabase | undefined;
let serve: CliRun | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  if (serve && serve.child.exitCode === null) {
    serve.child.kill('SIGKILL');
    await serve.exited;
  }
  serve = undefined;
  await proxy?.stop();
  proxy = undefined;
  await sim?.stop();
  sim = undefined;
  await db?.drop();
  db = undefined;
});

async function addRun(url: string, runId: string, status: string, startedAt: Date, error: string | null = null) {
  await withClient(url, (c) =>
    c.query(
      `INSERT INTO sync_runs (run_id, window_from, window_to, status, started_at, finished_at, batches, cases_count, error)
       VALUES ($1, '2020-01-01T00:00:00Z', $2, $3, $2, $2::timestamptz + interval '5 minutes', 2, 10, $4)`,
      [runId, startedAt.toISOString(), status, error],
    ),
  );
}

async function startServe(databaseUrl: string, extra: Record<string, string> = {}): Promise<string> {
  serve = startCli(['serve', '--health-port', '0', '--page-size', '20'], {
    PRIMERO_URL: sim!.url,
    PRIMERO_USER: 'primero',
    PRIMERO_PASSWORD: 'primero',
    DATABASE_URL: databaseUrl,
    ...extra,
  });
  expect(await serve.waitForLines(/^serving: /, 1), serve.stderr).toBe(true);
  return /health (http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(serve.stderr)![1]!;
}

async function healthz(base: string): Promise<{ code: number; body: Record<string, any> }> {
  const res = await fetch(`${base}/healthz`);
  return { code: res.status, body: (await res.json()) as Record<string, any> };
}

async function stopServe(): Promise<number | null> {
  serve!.child.kill('SIGTERM');
  return (await serve!.exited).code;
}

describe('serve: /healthz', () => {
  it('200 when the last run completed, 503 when it failed, 503 when the database is unreachable; no secrets', async () => {
    sim = await startSimulator({ cases: 20, seed: 'healthz' });
    db = await createTestDatabase(databaseTargets()[0]!);
    await migrate(db.url);
    await addRun(db.url, 'run-ok', 'completed', new Date(lastDue().getTime() + 1000));
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    viaProxy.password = 'Db-Secret-Pa55';
    const base = await startServe(viaProxy.toString(), { DATABASE_WAIT_SECONDS: '1' });
    const ok = await healthz(base);
    expect(ok.code).toBe(200);
    expect(ok.body).toMatchObject({ state: 'ok', exitCode: 0, lastCompleted: { runId: 'run-ok' }, schedule: { cron: CRON } });
    // One next run: serve's log, /healthz and status agree (the next quarter's run, not tomorrow's daily check).
    const logged = /next run (\S+)$/m.exec(serve!.stderr)?.[1];
    expect(logged).toBe(ok.body.schedule.next);
    const status = startCli(['status', '--json'], { DATABASE_URL: db.url });
    await status.exited;
    expect(JSON.parse(status.stdout).schedule.next).toBe(logged);
    expect(logged).toBe(scheduleAround(CRON, new Date()).next!.toISOString());
    // Started after the quarter's run: nothing to catch up.
    expect(serve!.stderr).not.toMatch(/catching up/);

    await addRun(db.url, 'run-failed', 'failed', new Date(lastDue().getTime() + 60_000), 'batch 2: step "fetch" failed: gave up after 5 attempts');
    const failed = await healthz(base);
    expect(failed.code).toBe(503);
    expect(failed.body).toMatchObject({ state: 'failed', exitCode: 1 });

    proxy.cut();
    const down = await healthz(base);
    expect(down.code).toBe(503);
    expect(down.body).toMatchObject({ state: 'unreachable', exitCode: 2 });
    expect(down.body.summary).toMatch(new RegExp(`cannot connect to the database at 127\\.0\\.0\\.1:${proxy.port} \\(DATABASE_URL\\)`));
    await proxy.restore();
    for (const r of [ok, failed, down]) expect(JSON.stringify(r.body)).not.toMatch(/Db-Secret-Pa55|primero:primero|PRIMERO_PASSWORD/);
    expect(serve!.stderr).not.toContain('Db-Secret-Pa55');
    expect(await stopServe()).toBe(0);
  });

  it('503 overdue: the handler serve mounts, over a real ledger, answers as status does', async () => {
    db = await createTestDatabase(databaseTargets()[0]!);
    await migrate(db.url);
    await addRun(db.url, 'run-old', 'completed', new Date(lastDue().getTime() - 86_400_000));
    const opened = await openConfiguredDatabase({ source: { database: { connectionString: db.url }, setting: 'DATABASE_URL', sslSetting: 'database.ssl' }, logger: silentLogger });
    const handle = healthzHandler(() => currentStatus(opened, { cron: CRON, graceHours: 0 }));
    const server = http.createServer((req, res) => void (handle(req, res) || res.writeHead(404).end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const overdue = await healthz(base);
      expect(overdue.code).toBe(503);
      expect(overdue.body).toMatchObject({ state: 'overdue', exitCode: 1, quarterRunDone: false });
      expect((await fetch(`${base}/other`)).status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
      await opened.close();
    }
  });
});

describe('serve: a missed quarter, and SIGTERM', () => {
  it.each(databaseTargets())('started after a missed quarterly run, runs it at once (%s database)', async (kind) => {
    sim = await startSimulator({ cases: 40, seed: 'catch-up' });
    db = await createTestDatabase(kind);
    await migrate(db.url);
    // The last completed run ended before this quarter began (a day before its first scheduled tick): serve was down when it was due.
    await addRun(db.url, 'run-last-quarter', 'completed', new Date(lastDue().getTime() - 86_400_000));
    const base = await startServe(db.url);
    expect(await serve!.waitForLines(/catching up: the run due .* has not completed; running it now/, 1)).toBe(true);
    const deadline = Date.now() + 40_000;
    while (!/Run [0-9a-f-]+ complete/.test(serve!.stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(serve!.stdout, serve!.stderr).toMatch(/Run [0-9a-f-]+ complete/);
    const after = await healthz(base);
    expect(after.code).toBe(200);
    expect(after.body).toMatchObject({ state: 'ok', quarterRunDone: true });
    expect(await stopServe()).toBe(0);
    const runs = await withClient(db.url, async (c) => (await c.query<{ status: string }>("SELECT status FROM sync_runs WHERE run_id <> 'run-last-quarter'")).rows);
    expect(runs).toEqual([{ status: 'completed' }]);
  });

  it('SIGTERM during a run: the batch under way commits, exit 0; the next sync resumes the run from there', async () => {
    sim = await startSimulator({ cases: 400, seed: 'sigterm' });
    db = await createTestDatabase(databaseTargets()[0]!);
    // A database never synced: the quarter's run is due, serve starts it at once.
    await startServe(db.url);
    expect(await serve!.waitForLines(/^batch 2 of \d+:/, 1), serve!.stderr).toBe(true);
    expect(await stopServe()).toBe(0);
    expect(serve!.stderr).toMatch(/stopping after batch \d+ as asked/);
    expect(serve!.stdout).toMatch(/Run [0-9a-f-]+ stopped after \d+ batch\(es\) on request/);
    const [run] = await withClient(db.url, async (c) => (await c.query<{ run_id: string; status: string; batches: number }>('SELECT run_id, status, batches FROM sync_runs')).rows);
    expect(run!.status).toBe('running');
    expect(run!.batches).toBeGreaterThanOrEqual(2);
    const sync = startCli(['sync', '--page-size', '20'], { PRIMERO_URL: sim.url, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: 'primero', DATABASE_URL: db.url });
    expect((await sync.exited).code, sync.stderr).toBe(0);
    expect(sync.stderr).toContain(`resuming run ${run!.run_id}`);
    const [done] = await withClient(db.url, async (c) => (await c.query<{ status: string; n: string }>('SELECT status, (SELECT count(*) FROM cases) AS n FROM sync_runs')).rows);
    expect(done!.status).toBe('completed');
    expect(Number(done!.n)).toBeGreaterThan(0);
  });
});
