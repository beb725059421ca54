import { afterAll, beforeAll, afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';
import { startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';
import { startCli } from '../support/cli.ts';
import { ledgerOf, resultOf, type SyncResult } from '../support/result.ts';

/**
 * Two `primero-ona sync` processes against one database: the database
 * advisory lock lets one run, the other refuses at once with a clear message
 * and a non-zero exit, and nothing is written twice.
 */
const PAGE = 5;


describe.each(databaseTargets().filter((k) => k === 'server'))('two syncs at once (%s database)', (kind) => {
  let h: SyncHarness;
  let clean: SyncResult;
  let cleanLedger: unknown[];
  let target: TestDatabase | undefined;

  beforeAll(async () => {
    h = await startSyncHarness(kind, { cases: 250, seed: 'concurrent' });
    await h.sync({ pageSize: PAGE });
    clean = await resultOf(h.db.url);
    cleanLedger = await ledgerOf(h.db.url);
  }, 120_000);
  afterEach(async () => {
    await target?.drop();
    target = undefined;
  });
  afterAll(async () => h?.close());

  const envFor = (db: TestDatabase) => ({ PRIMERO_URL: h.sim.url, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: 'primero', DATABASE_URL: db.url });

  async function expectOneRunOnly(db: TestDatabase): Promise<void> {
    expect(await resultOf(db.url)).toEqual(clean);
    expect(await ledgerOf(db.url)).toEqual(cleanLedger);
  }

  it('started at the same moment: one runs, the other refuses and exits non-zero', async () => {
    target = await createTestDatabase(kind);
    const a = startCli(['sync', '--page-size', String(PAGE)], envFor(target));
    const b = startCli(['sync', '--page-size', String(PAGE)], envFor(target));
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    const codes = [ea.code, eb.code].sort();
    expect(codes[0]).toBe(0);
    expect(codes[1]).not.toBe(0);
    const loser = ea.code === 0 ? b : a;
    expect(loser.stderr).toMatch(/primero-ona: another sync is already running against this database/);
    expect(loser.stderr).toMatch(/this one wrote nothing/);
    expect(loser.stdout).toBe('');
    await expectOneRunOnly(target);
  }, 90_000);

  it('started while another is in the middle of its run: refuses, and the first completes untouched', async () => {
    target = await createTestDatabase(kind);
    // Slow Primero down so the first run is surely still going when the second starts.
    h.sim.setLatency(80);
    const a = startCli(['sync', '--page-size', String(PAGE)], envFor(target));
    expect(await a.waitForLines(/^batch \d+ of \d+/, 2)).toBe(true);
    const b = startCli(['sync', '--page-size', String(PAGE)], envFor(target));
    const eb = await b.exited;
    h.sim.setLatency(0);
    expect(eb.code).toBe(1);
    expect(b.stderr).toMatch(/another sync is already running/);
    expect(a.child.exitCode).toBeNull();
    const ea = await a.exited;
    expect(ea.code, a.stderr).toBe(0);
    await expectOneRunOnly(target);
  }, 90_000);
});
