import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, type Runner } from '../../lib/host/runner/runner.ts';
import { buildCredentialMap } from '../../lib/host/credentials.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { databaseTargets, type TargetKind } from '../support/databases.ts';
import { resultOf, runsOf, type SyncResult } from '../support/result.ts';
import { startCli } from '../support/cli.ts';
import { cleanResult, startSyncHarness, WORKFLOW, type SyncHarness } from '../support/sync-harness.ts';

/**
 * A batch that fails on the platform, run as Lightning runs it: each workflow
 * run through @openfn/runtime on the built jobs (dist/), one webhook run per
 * batch, nothing in memory between them. The failure is in the ledger as soon
 * as the batch fails (status says so), and the next start, the daily cron with
 * its usual empty input, resumes the run from its bookmark at once, without
 * the stall rule's hour.
 */
const DATA = { cases: 160, seed: 'failure-record' };
const PAGE = 20;

describe.each(databaseTargets())('a failed batch on record at once (%s database)', (kind: TargetKind) => {
  let clean: SyncResult;
  let h: SyncHarness | undefined;
  beforeAll(async () => {
    clean = await cleanResult(kind, DATA, { pageSize: PAGE });
  }, 120_000);
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** The platform's runs: the workflows through the runtime, with no webhook (each batch run on the last output's message). */
  async function platform(harness: SyncHarness, primeroPassword?: string): Promise<Runner> {
    const credentials = buildCredentialMap(harness.settings, harness.db.url, { url: '', apiKey: '' });
    const primero = { ...credentials.primero, ...(primeroPassword ? { password: primeroPassword } : {}) };
    return createRunner({ workflowPath: WORKFLOW, logger: silentLogger, credentials: { ...credentials, primero, ona: { ...credentials.ona, pageSize: PAGE } } });
  }
  const ledger = (harness: SyncHarness) =>
    harness.query<{ status: string; error: string | null; error_step: string | null; error_kind: string | null; batches: number }>(
      'SELECT status, error, error_step, error_kind, batches FROM sync_runs',
    );
  /** Batches until one fails or the run completes; the message to run next, if any. */
  async function batches(runner: Runner, first: unknown): Promise<{ next: unknown; failed: string[] }> {
    let message = first;
    while (message) {
      const result = await runner.execute({ data: message }, { start: 'webhook' });
      if (result.failures.length > 0) return { next: message, failed: result.failures.map((f) => `${f.stepId}: ${f.message}`) };
      message = (result.state.data as { message: unknown }).message;
    }
    return { next: null, failed: [] };
  }
  async function statusOf(harness: SyncHarness): Promise<{ code: number | null; state: string; summary: string }> {
    const cli = startCli(['status', '--json'], { DATABASE_URL: harness.db.url, DATABASE_WAIT_SECONDS: '5' });
    const { code } = await cli.exited;
    const out = JSON.parse(cli.stdout) as { state: string; summary: string };
    return { code, ...out };
  }

  it('Primero failing past the job\'s retries: failed at fetch, transient, said by status; the next daily start resumes it and it ends as a clean run', async () => {
    h = await startSyncHarness(kind, DATA);
    const runner = await platform(h);
    const start = await runner.execute({ data: { when: 'now' } }, { start: 'cron' });
    expect(start.failures).toEqual([]);
    const first = (start.state.data as { message: unknown }).message;
    h.sim.setFaults({ rate: 0, kinds: [] });
    // Batch 1 goes through; then Primero answers 503 to everything.
    const one = await runner.execute({ data: first }, { start: 'webhook' });
    expect(one.failures).toEqual([]);
    h.sim.setFaults({ rate: 1, kinds: ['503'], retryAfterSeconds: 0 });
    const two = await batches(runner, (one.state.data as { message: unknown }).message);
    expect(two.failed).toEqual([expect.stringMatching(/^upsert: batch 2 not written: cases \(indicator_4_(8|11a), page 1\): Primero answered 503 \(gave up after 3 attempts\)$/)]);
    expect(await ledger(h)).toEqual([{ status: 'failed', error: expect.stringMatching(/Primero answered 503/), error_step: 'fetch', error_kind: 'transient', batches: 1 }]);
    const status = await statusOf(h);
    expect(status).toMatchObject({ code: 1, state: 'failed' });
    expect(status.summary).toMatch(/failed.*Primero answered 503/);

    // The next day's start: the cron's usual input (nothing), well within the stall rule's hour.
    h.sim.clearFaults();
    const resume = await runner.execute({ data: {} }, { start: 'cron' });
    expect(resume.failures).toEqual([]);
    expect(resume.state.data).toMatchObject({ run: { resumed: true, batch: 2 }, message: { batch: 2 } });
    const rest = await batches(runner, (resume.state.data as { message: unknown }).message);
    expect(rest.failed).toEqual([]);
    expect(await ledger(h)).toEqual([{ status: 'completed', error: null, error_step: null, error_kind: null, batches: expect.any(Number) }]);
    expect(await resultOf(h.db.url)).toEqual(clean);
  });

  it('a write that fails in upsert: rolled back, on record at once as not transient; fixed, the next start resumes it', async () => {
    h = await startSyncHarness(kind, DATA);
    const runner = await platform(h);
    const start = await runner.execute({ data: { when: 'now' } }, { start: 'cron' });
    // A rule the batch's services break: the statement fails inside the batch's transaction.
    await h.query(`ALTER TABLE services ADD CONSTRAINT test_no_services CHECK (unique_id = '')`);
    const failed = await batches(runner, (start.state.data as { message: unknown }).message);
    expect(failed.failed).toEqual([expect.stringMatching(/^upsert: .*test_no_services/)]);
    const [run] = await ledger(h);
    expect(run).toMatchObject({ status: 'failed', error_step: 'upsert', error_kind: 'permanent', batches: 0 });
    expect(run!.error).toMatch(/^batch 1: .*test_no_services.*\(SQLSTATE 23514\)$/);
    // Nothing of the batch stayed.
    expect(await h.query('SELECT count(*)::int AS n FROM cases')).toEqual([{ n: 0 }]);
    expect((await statusOf(h)).state).toBe('failed');

    await h.query('ALTER TABLE services DROP CONSTRAINT test_no_services');
    const resume = await runner.execute({ data: {} }, { start: 'cron' });
    expect(resume.state.data).toMatchObject({ run: { resumed: true, batch: 1 } });
    expect((await batches(runner, (resume.state.data as { message: unknown }).message)).failed).toEqual([]);
    expect((await runsOf(h.db.url)).map((r) => r.status)).toEqual(['completed']);
    expect(await resultOf(h.db.url)).toEqual(clean);
  });

  it('the same failed write through sync: one line that says its batch and step once', async () => {
    h = await startSyncHarness(kind, DATA);
    await h.query(`ALTER TABLE services ADD CONSTRAINT test_no_services CHECK (unique_id = '')`);
    await expect(h.sync({ pageSize: PAGE })).rejects.toThrow(/^batch (\d+): step "upsert" failed: (?!.*\bbatch \1\b).*test_no_services.*\(SQLSTATE 23514\)/);
  });

  it('a Primero password that was changed: failed at fetch as refused, and status warns before the next start meets it unchanged', async () => {
    h = await startSyncHarness(kind, DATA);
    const start = await (await platform(h)).execute({ data: { when: 'now' } }, { start: 'cron' });
    const failed = await batches(await platform(h, 'changed-since'), (start.state.data as { message: unknown }).message);
    expect(failed.failed).toEqual([expect.stringMatching(/^upsert: batch 1 not written: .*Primero answered 401/)]);
    expect(await ledger(h)).toEqual([{ status: 'failed', error: expect.stringMatching(/Primero answered 401/), error_step: 'fetch', error_kind: 'refused', batches: 0 }]);
    const status = await statusOf(h);
    expect(status).toMatchObject({ code: 1, state: 'failed' });
    expect(status.summary).toMatch(/Primero answered 401.*; correct the Primero credentials \(or the OpenFn credential\) before the next sync/);
    expect(status.summary).not.toContain('changed-since');
  });
});
