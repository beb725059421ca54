import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { startCli, type CliRun } from '../support/cli.ts';
import { startHangingProxy, type HangingProxy } from '../support/hanging-proxy.ts';

/** A page after a query's first (keyset paging: created_at from the last record on): read by a batch, never by the start workflow. */
const AFTER_FIRST_PAGE = (url: URL) => url.searchParams.has('created_at');
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

/**
 * `serve` left running for years: a batch that hangs is stopped at
 * BATCH_TIMEOUT_SECONDS, the run fails in one line, and serve stays up
 * (answering /healthz, exiting 0 on SIGTERM) for the next scheduled run.
 */
let sim: Simulator | undefined;
let proxy: HangingProxy | undefined;
let db: TestDatabase | undefined;
let serve: CliRun | undefined;
afterEach(async () => {
  if (serve && serve.child.exitCode === null) {
    serve.child.kill('SIGKILL');
    await serve.exited;
  }
  await proxy?.stop();
  await sim?.stop();
  await db?.drop();
  serve = proxy = sim = db = undefined;
});

describe('serve: a batch past its time limit', () => {
  it('is stopped, the run fails in one line, and serve keeps running', async () => {
    sim = await startSimulator({ cases: 200, seed: 'serve-hang' });
    proxy = await startHangingProxy(sim.url, AFTER_FIRST_PAGE);
    db = await createTestDatabase(databaseTargets()[0]!);
    serve = startCli(['serve', '--health-port', '0', '--page-size', '20'], {
      PRIMERO_URL: proxy.url,
      PRIMERO_USER: 'primero',
      PRIMERO_PASSWORD: 'primero',
      // The job's own request timeout is longer than the batch's limit: only the limit stops the batch.
      PRIMERO_TIMEOUT_MS: '120000',
      BATCH_TIMEOUT_SECONDS: '2',
      DATABASE_URL: db.url,
    });
    expect(await serve.waitForLines(/^serving: /, 1), serve.stderr).toBe(true);
    const base = /health (http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(serve.stderr)![1]!;
    // A database never synced: the quarter's run is due and starts at once, then hangs on one page.
    expect(await serve.waitForLines(/scheduled sync failed/, 1), serve.stderr).toBe(true);
    const failure = serve.stderr.split('\n').filter((l) => /scheduled sync failed/.test(l));
    expect(failure).toHaveLength(1);
    expect(failure[0]).toMatch(/^ERROR scheduled sync failed: batch \d+ stopped after 2 s in step "fetch" \(BATCH_TIMEOUT_SECONDS\) \(run primero-ona sync again/);
    expect(proxy.held).toBe(1);
    expect(serve.stderr).not.toMatch(/\n\s+at /); // no stack trace

    // Still up: /healthz answers with the failed run, and SIGTERM ends it cleanly.
    expect(serve.child.exitCode).toBeNull();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ state: 'failed', exitCode: 1 });
    serve.child.kill('SIGTERM');
    expect((await serve.exited).code).toBe(0);
    const runs = await withClient(db.url, async (c) => (await c.query<{ status: string; error: string }>('SELECT status, error FROM sync_runs')).rows);
    expect(runs).toEqual([{ status: 'failed', error: expect.stringMatching(/stopped after 2 s/) }]);
  });
});
