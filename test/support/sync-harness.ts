import { DEFAULT_WORKFLOW } from '../../lib/build/default-workflow.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../dev/sim/server.ts';
import { migrate } from '../../lib/db/migrate.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { runSync, type SyncOptions, type SyncSummary } from '../../lib/host/run-sync.ts';
import type { ProgressDisplay, BatchProgress } from '../../lib/host/progress.ts';
import type { Settings } from '../../lib/config/settings.ts';
import { createTestDatabase, withClient, type TargetKind, type TestDatabase } from './databases.ts';
import type { ExpectedCase, ExpectedService } from './oracle.ts';
import { resultOf, type SyncResult } from './result.ts';

/**
 * A simulator, a fresh migrated database and a way to run the real sync
 * in-process (the same runSync the CLI uses: real runtime, jobs, inbox, HTTP).
 */
export const WORKFLOW = DEFAULT_WORKFLOW;

/** The data set's "now", fixed so the same seed gives the same data on any day. */
export const AS_OF = '2026-06-01T00:00:00Z';

export interface SyncHarness {
  sim: Simulator;
  db: TestDatabase;
  settings: Settings;
  sync(options?: Partial<SyncOptions>): Promise<SyncSummary>;
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  casesInDb(): Promise<ExpectedCase[]>;
  servicesInDb(): Promise<ExpectedService[]>;
  checksum(): Promise<string>;
  close(): Promise<void>;
}

/** Retries of transient failures without the production waits, so a test of a failing run ends in seconds. */
export const FAST_RETRY = { maxAttempts: 3, minDelayMs: 50, maxDelayMs: 200, maxTotalMs: 30_000 };

export const quietProgress = (onBatch?: (p: BatchProgress) => void): ProgressDisplay => ({ update: (p) => onBatch?.(p), stop() {} });

export async function startSyncHarness(kind: TargetKind, sim: SimulatorOptions = {}): Promise<SyncHarness> {
  const simulator = await startSimulator({ cases: 200, seed: 'e2e', asOf: AS_OF, maxFailedAttempts: 0, ...sim });
  const db = await createTestDatabase(kind);
  await migrate(db.url);
  const settings: Settings = {
    primero: { url: simulator.url, user: 'primero', password: 'primero', authMode: 'basic', timeoutMs: 5000, maxAttempts: 3, maxRetryMs: 3000 },
    database: { connectionString: db.url },
  };
  const query = <T,>(text: string, values?: unknown[]) => withClient(db.url, async (c) => (await c.query(text, values)).rows as T[]);
  return {
    sim: simulator,
    db,
    settings,
    sync: (options = {}) =>
      // As the CLI: each run in a worker thread, the embedded database one connection at a time.
      runSync({ workflowPath: WORKFLOW, settings, databaseUrl: db.url, logger: silentLogger, databasePoolMax: kind === 'embedded' ? 1 : 10, progress: quietProgress(), messageTimeoutMs: 20_000, retry: FAST_RETRY, ...options }),
    query,
    casesInDb: () =>
      query<ExpectedCase>(`SELECT case_id, primero_id::text, record_state, to_char(last_updated_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_updated_date,
        to_char(registration_date, 'YYYY-MM-DD') AS registration_date, status, to_char(date_closure, 'YYYY-MM-DD') AS date_closure, case_source, disabled, type_of_case, sex, age, protection_concerns, placement_type,
        consent_for_reporting, location_code, province_current, province_current_code, district_current, district_current_code,
        province_caregiver, district_caregiver FROM cases ORDER BY case_id COLLATE "C"`),
    servicesInDb: () =>
      query<ExpectedService>(`SELECT unique_id, case_id, service_type,
        to_char(service_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS service_date FROM services ORDER BY unique_id COLLATE "C"`),
    checksum: async () => {
      const [row] = await query<{ sum: string }>(`SELECT md5(
        coalesce((SELECT string_agg((to_jsonb(c) - 'synced_at')::text, '|' ORDER BY c.case_id COLLATE "C") FROM cases c), '') ||
        coalesce((SELECT string_agg(s::text, '|' ORDER BY s.unique_id COLLATE "C") FROM (SELECT unique_id, case_id, service_type, service_type_code, service_date FROM services) s), '')
      ) AS sum`);
      return row!.sum;
    },
    async close() {
      await simulator.stop();
      await db.drop();
    },
  };
}

/** What a sync with no fault loads into a fresh database: the result a faulty or limited run must end equal to. */
export async function cleanResult(kind: TargetKind, sim: SimulatorOptions, options: Partial<SyncOptions>): Promise<SyncResult> {
  const c = await startSyncHarness(kind, sim);
  try {
    await c.sync(options);
    return await resultOf(c.db.url);
  } finally {
    await c.close();
  }
}
