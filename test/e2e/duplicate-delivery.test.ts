import { afterEach, describe, expect, it } from 'vitest';
import { buildCredentialMap } from '../../lib/host/credentials.ts';
import { createRunner } from '../../lib/host/runner/runner.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { firstBookmark } from '../../lib/core/bookmark.ts';
import { databaseTargets } from '../support/databases.ts';
import { startSyncHarness, WORKFLOW, type SyncHarness } from '../support/sync-harness.ts';

/**
 * A webhook may deliver a message twice (Lightning retries a delivery it did
 * not see answered). A batch already committed, delivered again, writes
 * nothing, closes nothing and posts nothing; the run stays as it was.
 */
describe.each(databaseTargets())('a batch message delivered again (%s database)', (kind) => {
  let h: SyncHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('after its run completed: no error, nothing written, nothing posted', async () => {
    h = await startSyncHarness(kind, { cases: 60 });
    const summary = await h.sync({ pageSize: 20 });
    const before = { checksum: await h.checksum(), runs: await h.query(`SELECT run_id, status, batches, cases_count, next_message FROM sync_runs`) };
    const runner = await createRunner({ workflowPath: WORKFLOW, logger: silentLogger });
    const credentials = buildCredentialMap(h.settings, h.db.url, { url: 'http://127.0.0.1:9/never-posted', apiKey: 'k' });
    const again = firstBookmark({ runId: summary.runId, window: summary.window, per: 20, casesLoaded: false, dryRun: false });
    const result = await runner.execute({ data: again }, { start: 'webhook', credentials });
    expect(result.failures).toEqual([]);
    // The run it belongs to has completed, and the outcome says so: a repeated delivery changes nothing.
    expect(result.state.data).toMatchObject({ message: null, posted: false, outcome: { complete: true, duplicate: true, counts: { cases: 0, services: 0 } } });
    expect(await h.checksum()).toBe(before.checksum);
    expect(await h.query(`SELECT run_id, status, batches, cases_count, next_message FROM sync_runs`)).toEqual(before.runs);
  });
});
