import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { startCli } from '../support/cli.ts';
import { listMigrations } from '../../lib/db/migrate.ts';
import { removeTlsPostgres, startTlsPostgres, type TlsPostgres } from '../support/tls-postgres.ts';

/**
 * Every command that opens the database does it one way, from the same
 * settings: against a server that requires TLS (hostssl only, a self-signed
 * certificate), each connects with the CA of the settings, and each is refused
 * when given no TLS settings, in one line, without the password.
 */
let server: TlsPostgres;
let sim: Simulator;
let dir: string;
beforeAll(async () => {
  server = await startTlsPostgres();
  sim = await startSimulator({ cases: 60, seed: 'tls-commands', asOf: '2026-06-01T00:00:00Z' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'pos-tls-cli-'));
});
afterAll(async () => {
  await sim?.stop();
  if (server) await removeTlsPostgres(server);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const primeroEnv = () => ({ PRIMERO_URL: sim.url, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: 'primero' });

/** A credentials file naming the database and its CA, as an operator writes it. */
async function credentialsFor(database: string): Promise<string> {
  const file = path.join(dir, `${database}.json`);
  await writeFile(file, JSON.stringify({ primero: { url: sim.url, user: 'primero', password: 'primero' }, database: { connectionString: server.url(database), ssl: { ca: server.caFile, rejectUnauthorized: true } } }));
  return file;
}

const tables = async (database: string) =>
  (await server.query<{ table_name: string }>(database, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map((r) => r.table_name);

async function expectPlainRefused(args: string[], database: string, exitCode = 1) {
  const cli = startCli(args, { ...primeroEnv(), DATABASE_URL: server.url(database), DATABASE_WAIT_SECONDS: '1' });
  const { code } = await cli.exited;
  expect(code).toBe(exitCode);
  const lines = cli.stderr.split('\n').filter((l) => l.startsWith('primero-ona:'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`cannot connect to the database at 127\\.0\\.0\\.1:${server.port} \\(DATABASE_URL\\): .*no encryption`));
  expect(cli.stderr + cli.stdout).not.toContain(server.password);
}

describe('commands against a database that requires TLS', () => {
  it('migrate: applies the migrations with the credentials file CA; refused without TLS', async () => {
    const db = await server.createDatabase();
    await expectPlainRefused(['migrate'], db);
    expect(await tables(db)).toEqual([]);
    const cli = startCli(['migrate', '-c', await credentialsFor(db)], {});
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`Applied ${(await listMigrations()).length} migration\\(s\\) to PostgreSQL at 127\\.0\\.0\\.1:${server.port}/${db}`));
    expect(await tables(db)).toContain('sync_runs');
    expect(cli.stderr + cli.stdout).not.toContain(server.password);
  });

  it('report: on a fresh database prints the no-completed-sync line and leaves it without tables (DATABASE_SSL_CA); refused without TLS', async () => {
    const db = await server.createDatabase();
    await expectPlainRefused(['report'], db);
    const cli = startCli(['report'], { DATABASE_URL: server.url(db), DATABASE_SSL_CA: server.caFile });
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout.trim()).toBe('No sync has completed on this database yet: nothing to report. Run `primero-ona sync` first.');
    expect(await tables(db)).toEqual([]);
  });

  it('sync, then report and status: the whole run over TLS; sync refused without TLS writes nothing', async () => {
    const db = await server.createDatabase();
    await expectPlainRefused(['sync'], db);
    expect(await tables(db)).toEqual([]);
    const file = await credentialsFor(db);
    const sync = startCli(['sync', '-c', file], {});
    expect((await sync.exited).code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/Run [0-9a-f-]+ complete/);
    const [run] = await server.query<{ status: string; ssl: boolean }>(db, "SELECT status FROM sync_runs");
    expect(run!.status).toBe('completed');
    const report = startCli(['report', '-c', file, '--quarter', 'all', '--detail'], {});
    expect((await report.exited).code).toBe(0);
    expect(report.stdout).toMatch(/4\.11a Children receiving case management support/);
    expect(report.stdout).toMatch(/Sum of rows: [1-9]/);
    expect(sync.stderr + sync.stdout + report.stdout + report.stderr).not.toContain(server.password);
    // status: read-only over TLS (exit 0, the run just completed); refused in plain text with exit 2.
    await expectPlainRefused(['status'], db, 2);
    const status = startCli(['status', '-c', file, '--json'], {});
    expect((await status.exited).code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'ok', exitCode: 0, runs: [{ status: 'completed' }] });
    expect(status.stdout + status.stderr).not.toContain(server.password);
  });
});

describe('serve against a database that requires TLS', () => {
  it('serve: migrates, catches up the due run and answers /healthz over TLS; refused without TLS', async () => {
    const db = await server.createDatabase();
    await expectPlainRefused(['serve', '--health-port', '0'], db);
    const serve = startCli(['serve', '-c', await credentialsFor(db), '--health-port', '0', '--page-size', '50'], {});
    try {
      expect(await serve.waitForLines(/^serving: PostgreSQL at 127\.0\.0\.1:\d+/, 1), serve.stderr).toBe(true);
      const base = /health (http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(serve.stderr)![1]!;
      const deadline = Date.now() + 60_000;
      while (!/Run [0-9a-f-]+ complete/.test(serve.stdout) && Date.now() < deadline && serve.child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      expect(serve.stdout, serve.stderr).toMatch(/Run [0-9a-f-]+ complete/);
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ state: 'ok', exitCode: 0 });
      serve.child.kill('SIGTERM');
      expect((await serve.exited).code).toBe(0);
      expect(serve.stderr + serve.stdout).not.toContain(server.password);
    } finally {
      if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
    }
  });
});

describe('a database that is down at start-up', () => {
  it('down for a short while: migrate waits for it and succeeds', async () => {
    const db = await server.createDatabase();
    const file = await credentialsFor(db);
    await server.stop();
    let cli;
    try {
      cli = startCli(['migrate', '-c', file], {});
      expect(await cli.waitForLines(/WARN waiting for the database at 127\.0\.0\.1:\d+ \(database\.connectionString\)/, 1)).toBe(true);
    } finally {
      await server.start();
    }
    const { code } = await cli.exited;
    expect(code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`Applied ${(await listMigrations()).length} migration`));
    expect(cli.stderr + cli.stdout).not.toContain(server.password);
  });

  it('down for longer than the budget: one line naming the setting, host and port, never the password', async () => {
    const db = await server.createDatabase();
    const file = await credentialsFor(db);
    await server.stop();
    try {
      for (const [args, env, setting] of [
        [['sync', '-c', file], { DATABASE_WAIT_SECONDS: '2' }, 'database\\.connectionString'],
        [['migrate'], { DATABASE_WAIT_SECONDS: '2', DATABASE_URL: server.url(db), DATABASE_SSL_CA: server.caFile }, 'DATABASE_URL'],
      ] as const) {
        const started = Date.now();
        const cli = startCli([...args], { ...env });
        const { code } = await cli.exited;
        expect(code).toBe(1);
        expect(Date.now() - started).toBeGreaterThan(2000);
        const lines = cli.stderr.split('\n').filter((l) => l.startsWith('primero-ona:'));
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(new RegExp(`^primero-ona: cannot connect to the database at 127\\.0\\.0\\.1:${server.port} \\(${setting}\\) after waiting \\d+s: connect ECONNREFUSED`));
        expect(cli.stderr + cli.stdout).not.toContain(server.password);
        expect(cli.stderr).not.toMatch(/unexpected error/);
      }
    } finally {
      await server.start();
    }
  });
});
