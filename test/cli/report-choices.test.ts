import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentQuarter } from '../../lib/core/quarters.ts';
import { listMigrations } from '../../lib/db/migrate.ts';
import { startCli } from '../support/cli.ts';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/databases.ts';
import { startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';

/**
 * `report` says which database it read, and refuses, in one line, what would
 * print zeros or another quarter than asked: a quarter still to come or that
 * the views do not hold, and --html with --quarter all. Read-only commands
 * never create an embedded database to read nothing; migrate names each
 * migration once.
 */
const failureLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('primero-ona:'));

describe.each(databaseTargets())('report (%s database)', (kind) => {
  let h: SyncHarness;
  let env: Record<string, string>;
  let held: string[];
  let dir: string;
  beforeAll(async () => {
    h = await startSyncHarness(kind, { cases: 80, seed: 'report-choices' });
    await h.sync();
    env = { DATABASE_URL: h.db.url };
    held = (await h.query<{ quarter: string }>('SELECT quarter FROM indicator_case_quarters GROUP BY quarter, quarter_start ORDER BY quarter_start')).map((r) => r.quarter);
    dir = await mkdtemp(path.join(os.tmpdir(), 'pos-report-choices-'));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says which database it read, on stderr', async () => {
    const cli = startCli(['report'], env);
    expect((await cli.exited).code, cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(new RegExp(`^database: PostgreSQL at ${new URL(h.db.url).host}${new URL(h.db.url).pathname}$`, 'm'));
    expect(cli.stdout).not.toMatch(/^database:/m);
  });

  it('refuses a quarter that has not begun, and one the views do not hold, instead of printing zeros', async () => {
    const future = startCli(['report', '--quarter', '2099-Q1'], env);
    expect((await future.exited).code).toBe(1);
    expect(failureLines(future.stderr)).toEqual([`primero-ona: 2099-Q1 has not begun: the current quarter is ${currentQuarter(new Date())}`]);
    expect(future.stdout).toBe('');
    const before = startCli(['report', '--quarter', '1999-Q1', '--format', 'csv'], env);
    expect((await before.exited).code).toBe(1);
    expect(failureLines(before.stderr)).toEqual([`primero-ona: no figures for 1999-Q1: the indicator views hold ${held[0]} to ${held.at(-1)}`]);
    // A quarter the views hold is shown.
    const known = startCli(['report', '--quarter', held.at(-2)!], env);
    expect((await known.exited).code, known.stderr).toBe(0);
    expect(known.stdout).toContain(held.at(-2)!);
  });

  it('refuses --html with --quarter all, writing nothing', async () => {
    const file = path.join(dir, 'all.html');
    const cli = startCli(['report', '--html', file, '--quarter', 'all'], env);
    expect((await cli.exited).code).toBe(1);
    expect(failureLines(cli.stderr)).toEqual(['primero-ona: --html shows one quarter beside the one before it, with the trend of every quarter; --quarter all is not one quarter']);
    expect(existsSync(file)).toBe(false);
  });
});

describe('read-only commands and the embedded database', () => {
  it.each([['report'], ['status']])('%s without DATABASE_URL and no embedded database: one line, nothing created', async (command) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pos-no-db-'));
    try {
      const data = path.join(dir, 'pglite');
      const cli = startCli([command], { PGLITE_DATA_DIR: data });
      expect((await cli.exited).code).toBe(1);
      expect(failureLines(cli.stderr)).toEqual([`primero-ona: no database to read: DATABASE_URL is not set, and there is no embedded database at ${data}`]);
      expect(existsSync(data)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('migrate', () => {
  let db: TestDatabase | undefined;
  afterAll(() => db?.drop());

  it('names each migration it applies once', async () => {
    db = await createTestDatabase(databaseTargets()[0]!);
    const cli = startCli(['migrate'], { DATABASE_URL: db.url });
    expect((await cli.exited).code, cli.stderr).toBe(0);
    const output = cli.stdout + cli.stderr;
    for (const m of await listMigrations()) expect(output.split(m.name).length - 1, `${m.name} in:\n${output}`).toBe(1);
  });
});
