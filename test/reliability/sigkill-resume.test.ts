import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';
import { expectedCases, expectedServices } from '../support/oracle.ts';
import { startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';
import { createRng } from '../../dev/sim/prng.ts';
import { startCli } from '../support/cli.ts';
import { resultOf, type SyncResult, ledgerOf, type Ledger } from '../support/result.ts';

/**
 * `primero-ona sync` killed with SIGKILL at random points (during start-up,
 * migrations, init, or anywhere inside a batch), a new `sync` started after
 * each kill, until one is let finish. The database must then equal a clean
 * run's, ledger counts included: each batch committed exactly once.
 */
const PAGE = 5;
const KILLS = 12;
const SEED = process.env.SIGKILL_SEED ?? 'sigkill-1';


describe.each(databaseTargets().filter((k) => k === 'server'))('SIGKILL at random points, then resume (%s database)', (kind) => {
  let h: SyncHarness;
  let target: TestDatabase;
  let clean: SyncResult;
  let cleanLedger: Ledger[];

  beforeAll(async () => {
    h = await startSyncHarness(kind, { cases: 300, seed: 'sigkill' });
    await h.sync({ pageSize: PAGE });
    clean = await resultOf(h.db.url);
    cleanLedger = await ledgerOf(h.db.url);
    target = await createTestDatabase(kind);
  }, 120_000);
  afterAll(async () => {
    await target?.drop();
    await h?.close();
  });

  it(`ends equal to a clean run after ${KILLS} kills (seed ${SEED})`, async () => {
    const rng = createRng(SEED);
    const env = { PRIMERO_URL: h.sim.url, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: 'primero', DATABASE_URL: target.url };
    const points: string[] = [];
    for (let attempt = 0; points.length < KILLS && attempt < KILLS * 3; attempt++) {
      const cli = startCli(['sync', '--page-size', String(PAGE)], env);
      // A quarter of the kills by time alone (start-up, migrations, init); the rest inside batches.
      let point: string;
      if (rng.chance(0.25)) {
        // Start-up, migrations and init take about a second.
        const ms = rng.int(100, 1000);
        await Promise.race([new Promise((r) => setTimeout(r, ms)), cli.exited]);
        point = `${ms} ms after start`;
      } else {
        // A batch takes some tens of ms: a delay up to 40 ms lands anywhere inside the next one.
        const batches = rng.int(1, 3);
        const ms = rng.int(0, 40);
        const reached = await cli.waitForLines(/^batch \d+ of \d+/, batches);
        if (reached) await new Promise((r) => setTimeout(r, ms));
        point = `${ms} ms after batch line ${batches}`;
      }
      if (cli.child.exitCode !== null) {
        // The run finished before the kill: nothing left to resume.
        expect(cli.child.exitCode).toBe(0);
        break;
      }
      cli.child.kill('SIGKILL');
      const { signal } = await cli.exited;
      expect(signal).toBe('SIGKILL');
      points.push(point);
    }
    expect(points.length, `kill points: ${points.join('; ')}`).toBeGreaterThanOrEqual(10);

    const last = startCli(['sync', '--page-size', String(PAGE)], env);
    const { code } = await last.exited;
    expect(code, last.stderr).toBe(0);
    expect(last.stdout).toMatch(/complete in/);

    const records = h.sim.records();
    const done = await resultOf(target.url);
    expect(done).toEqual(clean);
    expect(done.cases.length).toBe(expectedCases(records).length);
    expect(done.services.length).toBe(expectedServices(records).length);
    // One run, resumed each time; every batch counted once.
    expect(await ledgerOf(target.url)).toEqual(cleanLedger);
  }, 150_000);
});
