import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, withClient } from '../support/databases.ts';
import { quietProgress, startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import type { SimulatorOptions } from '../../dev/sim/server.ts';
import { resultOf, runsOf, type SyncResult, ledgerOf, type Ledger } from '../support/result.ts';

/**
 * The real PostgreSQL server misbehaving during a real sync, through a TCP
 * proxy between the sync and the server: a connection dropped inside a
 * batch's transaction, dropped after COMMIT reached the server (the client
 * never hears back), the server refusing connections for a while, and for
 * longer than the retry budget. Each time the database must end up equal to a
 * clean run's, ledger counts included (a batch committed twice would double them).
 */
const DATA: SimulatorOptions = { cases: 160, seed: 'database-faults' };
const PAGE = 20;
/** Enough patience for an outage of a second or two, still quick to give up in the last test. */
const PATIENT = { maxAttempts: 9, minDelayMs: 200, maxDelayMs: 800, maxTotalMs: 30_000 };


describe.each(databaseTargets().filter((k) => k === 'server'))('PostgreSQL faults during a sync (%s database)', (kind) => {
  let clean: SyncResult;
  let cleanLedger: Ledger[];
  let h: SyncHarness | undefined;
  let proxy: TcpProxy | undefined;

  beforeAll(async () => {
    const c = await startSyncHarness(kind, DATA);
    try {
      await c.sync({ pageSize: PAGE });
      clean = await resultOf(c.db.url);
      cleanLedger = await ledgerOf(c.db.url);
      expect(cleanLedger[0]!.batches).toBeGreaterThan(4);
    } finally {
      await c.close();
    }
  }, 120_000);
  afterEach(async () => {
    await proxy?.stop();
    await h?.close();
    proxy = undefined;
    h = undefined;
  });

  /** A harness whose sync reaches the database only through a proxy. */
  async function proxied(): Promise<{ h: SyncHarness; proxy: TcpProxy; url: string }> {
    h = await startSyncHarness(kind, DATA);
    const direct = new URL(h.db.url);
    proxy = await startTcpProxy(direct.hostname, Number(direct.port || 5432));
    const url = new URL(h.db.url);
    url.port = String(proxy.port);
    return { h, proxy, url: url.toString() };
  }

  async function expectClean(harness: SyncHarness): Promise<void> {
    expect(await resultOf(harness.db.url)).toEqual(clean);
    expect(await ledgerOf(harness.db.url)).toEqual(cleanLedger);
  }

  it('survives the connection dropped in the middle of a batch transaction', async () => {
    const { h, proxy, url } = await proxied();
    let batches = 0;
    let fired: Promise<void> | undefined;
    await h.sync({
      databaseUrl: url,
      pageSize: PAGE,
      retry: PATIENT,
      progress: quietProgress(() => {
        // Cases of batch 3 are written but not committed when its services are inserted.
        if (++batches === 2) fired = proxy.dropWhenClientSends(/INSERT INTO "services"/);
      }),
    });
    await expect(fired).resolves.toBeUndefined();
    await expectClean(h);
  });

  it('does not write a batch twice when COMMIT reached the server but the answer was lost', async () => {
    const { h, proxy, url } = await proxied();
    let batches = 0;
    let fired: Promise<void> | undefined;
    await h.sync({
      databaseUrl: url,
      pageSize: PAGE,
      retry: PATIENT,
      progress: quietProgress(() => {
        if (++batches === 2) fired = proxy.dropWhenClientSends(/COMMIT/, { forward: true });
      }),
    });
    await expect(fired).resolves.toBeUndefined();
    await expectClean(h);
  });

  it('survives the server refusing connections for a while in the middle of a run', async () => {
    const { h, proxy, url } = await proxied();
    let batches = 0;
    const started = Date.now();
    await h.sync({
      databaseUrl: url,
      pageSize: PAGE,
      retry: PATIENT,
      progress: quietProgress(() => {
        if (++batches === 3) {
          proxy.cut();
          setTimeout(() => void proxy.restore(), 1500);
        }
      }),
    });
    expect(Date.now() - started).toBeGreaterThan(1500);
    await expectClean(h);
  });

  it('waits for a server that refuses connections when the sync starts', async () => {
    const { h, proxy, url } = await proxied();
    proxy.cut();
    setTimeout(() => void proxy.restore(), 1200);
    await h.sync({ databaseUrl: url, pageSize: PAGE, retry: PATIENT });
    await expectClean(h);
  });

  it('fails clearly when the outage outlasts the retry budget, and the next sync resumes the run', async () => {
    const { h, proxy, url } = await proxied();
    let batches = 0;
    const failing = h.sync({
      databaseUrl: url,
      pageSize: PAGE,
      retry: { maxAttempts: 3, minDelayMs: 50, maxDelayMs: 100, maxTotalMs: 5000 },
      progress: quietProgress(() => {
        if (++batches === 3) proxy.cut();
      }),
    });
    await expect(failing).rejects.toThrow(/^batch (\d+): (?!.*\bbatch \1\b).*(Connection terminated|ECONNREFUSED|ECONNRESET)/i);
    await proxy.restore();
    // The run could not even be marked failed: it stays open and the next sync resumes it.
    const [open] = await runsOf(h.db.url);
    expect(open?.status).toBe('running');
    expect(open!.batches).toBeGreaterThanOrEqual(3);
    const resumed = await h.sync({ databaseUrl: url, pageSize: PAGE, retry: PATIENT });
    expect(resumed.resumed).toBe(true);
    await expectClean(h);
  });
});
