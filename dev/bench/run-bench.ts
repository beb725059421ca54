import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { PROJECT_ROOT } from '../../lib/build/default-workflow.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../../lib/log/logger.ts';
import { startSimulator, type Simulator } from '../sim/server.ts';
import { openBenchDatabase } from './bench-database.ts';
import { summarizeProfile, type BatchProfile } from './batch-profile.ts';
import { changeCases } from './change-cases.ts';
import { activeTimeMs } from './database-time.ts';
import { residentIncremental } from './resident.ts';
import { startupTimes } from './startup.ts';
import { measureFetchFloor } from './fetch-floor.ts';
import { benchResult, type BenchResult } from './report.ts';
import { runSyncChild, type SyncChildInput, type SyncChildResult } from './sync-child.ts';
import type { SyncProfile } from '../../lib/profile/sync-profile.ts';
import { measureWriteFloor } from './write-floor.ts';
import { measurePlatformCost } from './platform-batch.ts';

/**
 * One benchmark run: a simulator with `cases` generated cases (no added
 * latency), a fresh database, then in order: the full sync, the fetch floor
 * over the same window, the write floor over the rows the sync left, and a
 * second sync after `changedFraction` of the cases changed, the same in a
 * resident process (as `serve` runs it), and the CLI's start-up (`--version`,
 * `status`). Then the platform's per-step cost (bench/platform-cost.ts), a
 * full sync on the embedded default (unless `embedded` is false), and, unless
 * `latency` is null, the simulator slowed by the latency model: a full sync
 * into another fresh database, and the latency floor over its window.
 */
export interface BenchOptions {
  cases: number;
  pageSize: number;
  seed: string;
  changedFraction: number;
  /** The latency model for the latency runs; null skips them. */
  latency: { latencyMs: number; perRecordMs: number } | null;
  /** Measure the embedded default too (a full sync with PGlite inside the sync process). */
  embedded: boolean;
}

export interface BenchReport {
  result: BenchResult;
  profile: BatchProfile;
  incrementalProfile: BatchProfile;
  /** The full sync against the simulator with latency, when it ran. */
  latencyProfile?: BatchProfile;
  notes: Record<string, string>;
}

const CREDENTIALS = { user: 'primero', password: 'primero' };

/** A sync child process, with what the benchmark sees of it from outside: Primero's answers, the server's statement time. */
async function observedSync(sim: Simulator, db: { url: string; kind: 'server' | 'embedded' }, input: SyncChildInput): Promise<SyncChildResult & { profile: SyncChildResult['profile']; summary: BatchProfile }> {
  const before = await activeTimeMs(db.url, db.kind);
  sim.clearRequests();
  const result = await runSyncChild(input);
  const after = await activeTimeMs(db.url, db.kind);
  const requests = [...sim.requests];
  const databaseMs = before !== null && after !== null ? after - before : null;
  return { ...result, summary: summarizeProfile(result.profile, { wallSeconds: result.seconds, requests, databaseMs }) };
}

export async function runBench(options: BenchOptions, logger: Logger): Promise<BenchReport> {
  let started = performance.now();
  const sim = await startSimulator({ cases: options.cases, seed: options.seed, ...CREDENTIALS, maxFailedAttempts: 0, loginThrottlePerMinute: 0 });
  logger.info(`simulator: ${options.cases} cases generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const db = await openBenchDatabase();
  try {
    const primero = { url: sim.url, ...CREDENTIALS };
    logger.info(`full sync (${db.kind} database)...`);
    const full = await observedSync(sim, db, { primero, databaseUrl: db.url, pageSize: options.pageSize });
    const { window, services, batches } = await afterFullSync(db.url);
    logger.info(`full sync: ${full.seconds.toFixed(2)} s; fetch floor...`);
    const fetchFloor = await measureFetchFloor({ ...primero, window, per: options.pageSize });
    if (fetchFloor.batches !== batches) logger.warn(`fetch floor read ${fetchFloor.batches} batches, the sync ${batches}`);
    logger.info(`fetch floor: ${fetchFloor.seconds.toFixed(2)} s; write floor...`);
    const writeFloor = await measureWriteFloor(db.url, db.pglite);
    started = performance.now();
    const changed = changeCases(sim, options.changedFraction);
    logger.info(`write floor: ${writeFloor.seconds.toFixed(2)} s; changed ${changed} cases in ${((performance.now() - started) / 1000).toFixed(1)} s; incremental sync...`);
    const incremental = await observedSync(sim, db, { primero, databaseUrl: db.url, pageSize: options.pageSize });
    logger.info(`incremental sync: ${incremental.seconds.toFixed(2)} s; the same in a resident process...`);
    const resident = await residentIncremental(sim, primero, db.url, options.pageSize, options.changedFraction);
    logger.info(`resident incremental sync: ${resident.toFixed(2)} s; start-up (--version, status)...`);
    const startup = await startupTimes(db.url);
    logger.info(`cli start ${startup.cliStartMs.toFixed(0)} ms, status ${startup.statusMs.toFixed(0)} ms; platform cost per step...`);
    const platform = await measurePlatformCost();
    logger.info(`platform: ${platform.perStepMs.toFixed(1)} ms a step`);
    const embedded = options.embedded ? await embeddedRuns(primero, options.pageSize, logger) : null;
    const latency = options.latency ? await latencyRuns(sim, primero, options.pageSize, options.latency, logger) : null;
    const steps = platform.steps.map((s) => `${s.id} ${s.warmMs.toFixed(1)}`).join(', ');
    const coldSteps = platform.steps.map((s) => `${s.id} ${s.coldMs.toFixed(0)}`).join(', ');
    return {
      result: benchResult({
        cases: options.cases,
        services,
        sync_s: full.seconds,
        fetch_floor_s: fetchFloor.seconds,
        write_floor_s: writeFloor.seconds,
        incremental_s: incremental.seconds,
        incremental_resident_s: resident,
        cli_start_ms: startup.cliStartMs,
        status_ms: startup.statusMs,
        peak_rss_mb: Math.max(full.peakRssMb, incremental.peakRssMb),
        sync_s_embedded: embedded?.sync.seconds ?? null,
        peak_rss_mb_embedded: embedded?.sync.peakRssMb ?? null,
        peak_rss_mb_embedded_first_start: embedded?.firstStart.peakRssMb ?? null,
        latency_floor_s: latency?.floor.seconds ?? null,
        sync_latency_s: latency?.sync.seconds ?? null,
        platform_batch_ms: platform.perStepMs,
        platform_batch_cold_ms: platform.perStepColdMs,
        ...(await builtJobSizes()),
      }),
      ...(latency ? { latencyProfile: latency.sync.summary } : {}),
      profile: full.summary,
      incrementalProfile: incremental.summary,
      notes: {
        cases: 'generated by the simulator',
        services: 'service rows loaded',
        fetch: `${fetchFloor.requests} requests in ${fetchFloor.batches} batches`,
        write: `${writeFloor.rows.cases} cases, ${writeFloor.rows.services} services, ${(writeFloor.bytes / 1e6).toFixed(1)} MB`,
        incremental: `${changed} cases changed; ${workflowSeconds(incremental.profile).toFixed(2)} s in workflow runs, the rest process start and exit`,
        resident: `the same (${changed} cases changed again) in a process that stays up, as serve runs it: worker and adaptors already loaded`,
        sync: `full sync, empty ${db.kind} database, sync CLI child process; ${workflowSeconds(full.profile).toFixed(2)} s in workflow runs`,
        rss: `sync process peak resident memory (${db.kind} database); target <= 256`,
        ...(embedded ? { embedded: `full sync, PGlite in the sync process; ${workflowSeconds(embedded.sync.profile).toFixed(2)} s in workflow runs` } : {}),
        ...(latency
          ? {
              latencyFloor: `${options.latency!.latencyMs} ms + ${options.latency!.perRecordMs} ms a record; ${latency.floor.requests} requests one after another`,
              latencySync: `full sync, empty ${db.kind} database; ${workflowSeconds(latency.sync.profile).toFixed(2)} s in workflow runs`,
            }
          : {}),
        platform: `median ms per step: ${steps}; target <= 50`,
        platformCold: `fresh process, adaptor imports included: ${coldSteps}`,
      },
    };
  } finally {
    await sim.stop();
    await db.close();
  }
}

/**
 * The embedded default, as a newcomer meets it (no DATABASE_URL: PGlite inside
 * the sync process, its files in a folder): `migrate` creates the database
 * (PGlite's initdb, once per folder) and migrates it, then a full sync runs on
 * that folder. The two peaks are kept apart: the first start is paid once,
 * the sync's peak every quarter.
 */
async function embeddedRuns(primero: { url: string; user: string; password: string }, pageSize: number, logger: Logger) {
  const dir = await mkdtemp(path.join(tmpdir(), 'primero-ona-bench-embedded-'));
  try {
    const pgliteDataDir = path.join(dir, 'pglite');
    logger.info('embedded default (no DATABASE_URL): first start (initdb) and migrations...');
    const firstStart = await runSyncChild({ primero, pageSize, pgliteDataDir, command: 'migrate' });
    logger.info(`embedded first start: ${firstStart.seconds.toFixed(2)} s, ${firstStart.peakRssMb.toFixed(1)} MB; full sync...`);
    const sync = await runSyncChild({ primero, pageSize, pgliteDataDir });
    logger.info(`embedded full sync: ${sync.seconds.toFixed(2)} s, ${sync.peakRssMb.toFixed(1)} MB`);
    return { firstStart, sync };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The latency runs: the simulator slowed by the model, a full sync into a
 * fresh database of the same kind, then the latency floor (the same pages one
 * after another) over the window that sync read. The model is removed after.
 */
async function latencyRuns(
  sim: Simulator,
  primero: { url: string; user: string; password: string },
  pageSize: number,
  model: { latencyMs: number; perRecordMs: number },
  logger: Logger,
) {
  const db = await openBenchDatabase(process.env, '_latency');
  sim.setLatency(model.latencyMs, model.perRecordMs);
  try {
    logger.info(`full sync against the simulator with latency (${model.latencyMs} ms + ${model.perRecordMs} ms a record)...`);
    const sync = await observedSync(sim, db, { primero, databaseUrl: db.url, pageSize });
    const { window } = await afterFullSync(db.url);
    logger.info(`full sync with latency: ${sync.seconds.toFixed(2)} s; latency floor...`);
    const floor = await measureFetchFloor({ ...primero, window, per: pageSize });
    logger.info(`latency floor: ${floor.seconds.toFixed(2)} s`);
    return { sync, floor };
  } finally {
    sim.setLatency(0, 0);
    await db.close();
  }
}

/** The built jobs' sizes in KB: all of them, and the largest. */
async function builtJobSizes(): Promise<{ dist_kb_total: number; dist_kb_largest: number }> {
  const dir = path.join(PROJECT_ROOT, 'dist', 'jobs');
  const sizes = await Promise.all((await readdir(dir)).filter((f) => f.endsWith('.js')).map(async (f) => (await stat(path.join(dir, f))).size / 1024));
  return { dist_kb_total: sizes.reduce((a, b) => a + b, 0), dist_kb_largest: Math.max(...sizes) };
}

/** Time inside @openfn/runtime (init and every batch), as the sync's own profile recorded it. */
function workflowSeconds(profile: SyncProfile): number {
  return profile.runs.reduce((sum, r) => sum + r.ms, 0) / 1000;
}

/** The window and batch count of the run the full sync completed, and the services it left. */
async function afterFullSync(url: string): Promise<{ window: { from: string; to: string }; services: number; batches: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const run = await client.query<{ window_from: Date; window_to: Date; batches: number }>(
      `SELECT window_from, window_to, batches FROM sync_runs WHERE status = 'completed' ORDER BY started_at DESC LIMIT 1`,
    );
    const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM services');
    const r = run.rows[0];
    if (!r) throw new Error('the full sync left no completed run in sync_runs');
    const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
    return { window: { from: iso(r.window_from), to: iso(r.window_to) }, services: Number(count.rows[0]!.n), batches: r.batches };
  } finally {
    await client.end();
  }
}
