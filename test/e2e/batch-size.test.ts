import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../lib/host/runner/runner.ts';
import { buildCredentialMap } from '../../lib/host/credentials.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { databaseTargets, type TargetKind } from '../support/databases.ts';
import { resultOf, type SyncResult } from '../support/result.ts';
import { cleanResult, startSyncHarness, WORKFLOW, type SyncHarness } from '../support/sync-harness.ts';

/**
 * A platform stores each step's output (a dataclip) and passes it to the next
 * step only under its size limit (512 KB on the smallest cloud plan). Run step
 * by step as Lightning runs them, fetch's output stays under the credential's
 * `maxBatchKb`: pages whose batch is larger are read again smaller, and the
 * smaller page goes on with the run. The data loaded is the same.
 */
const DATA = { cases: 150, seed: 'batch-size' };

describe.each(databaseTargets())('a batch under the platform\'s output limit (%s database)', (kind: TargetKind) => {
  let clean: SyncResult;
  let h: SyncHarness | undefined;
  beforeAll(async () => {
    clean = await cleanResult(kind, DATA, { pageSize: 100 });
  }, 120_000);
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('keeps every fetch output under maxBatchKb, carries the smaller page on, and loads what a run without the limit loads', async () => {
    h = await startSyncHarness(kind, DATA);
    const MAX_KB = 96;
    const map = buildCredentialMap(h.settings, h.db.url, { url: '', apiKey: '' });
    const runner = await createRunner({ workflowPath: WORKFLOW, logger: silentLogger, credentials: { ...map, primero: { ...map.primero, maxBatchKb: MAX_KB }, ona: { ...map.ona, pageSize: 100 } } });
    const start = await runner.execute({ data: { when: 'now' } }, { start: 'cron' });
    let message = (start.state.data as { message: { queries: Record<string, { per: number }> } | null }).message;
    expect(message!.queries.indicator_4_11a!.per).toBe(100);
    const sizes: number[] = [];
    const pers: number[] = [];
    while (message) {
      // fetch alone, then upsert on its output: the two steps' hand-over is what a platform stores.
      const fetched = await runner.execute({ data: message }, { start: 'webhook', end: 'fetch' });
      expect(fetched.failures).toEqual([]);
      sizes.push(Buffer.byteLength(JSON.stringify(fetched.state.data)));
      const written = await runner.execute(fetched.state, { start: 'upsert' });
      expect(written.failures).toEqual([]);
      message = (written.state.data as { message: typeof message }).message;
      if (message) pers.push(message.queries.indicator_4_11a!.per);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_KB * 1024);
    // The first batch (with Primero's reference data) was read again smaller, and the run went on at that size.
    expect(pers[0]).toBeLessThan(100);
    expect(await resultOf(h.db.url)).toEqual(clean);
  });
});
