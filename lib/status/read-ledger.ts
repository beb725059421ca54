import type { Db } from '../db/queryable.ts';
import type { LedgerRun, RejectGroup, SyncLockState } from './compute.ts';
import { readSyncLock } from '../host/sync-lock.ts';

/**
 * The one reader of the ledger's runs (sync_runs), for the status, /healthz,
 * the report and the dashboard; read-only. A database without the ledger
 * (never migrated) has no runs: an answer, not an error.
 */
export interface LedgerSnapshot {
  runs: LedgerRun[];
  lastRunRejects: RejectGroup[];
  syncLock: SyncLockState;
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

async function hasLedger(db: Db): Promise<boolean> {
  const { rows } = await db.query("SELECT to_regclass('public.sync_runs')::text AS ledger");
  return Boolean(rows[0]?.ledger);
}

/** The last runs, newest first. */
export async function readRuns(db: Db, limit: number): Promise<LedgerRun[]> {
  if (!(await hasLedger(db))) return [];
  const { rows } = await db.query(
    `SELECT run_id, status, window_from, window_to, started_at, finished_at, last_progress_at, batches,
            cases_count, services_count, rejects_count, notes_count, removed_count, error,
            -- Through jsonb: a ledger from before migration 016 has no error_kind, and status still answers.
            to_jsonb(sync_runs) ->> 'error_kind' AS error_kind
       FROM sync_runs ORDER BY started_at DESC, run_id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    runId: String(r.run_id),
    status: r.status,
    windowFrom: iso(r.window_from),
    windowTo: iso(r.window_to)!,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
    lastProgressAt: iso(r.last_progress_at),
    batches: Number(r.batches),
    cases: Number(r.cases_count),
    services: Number(r.services_count),
    rejects: Number(r.rejects_count),
    nulled: Number(r.notes_count),
    removed: Number(r.removed_count),
    error: r.error ?? null,
    errorKind: r.error_kind ?? null,
  }));
}

/** The runs, the newest run's rejects by field and reason, and the sync lock: what the status is computed from. */
export async function readLedger(client: Db, limit = 5): Promise<LedgerSnapshot> {
  const syncLock = await readSyncLock(client);
  const runs = await readRuns(client, limit);
  if (!runs[0]) return { runs, lastRunRejects: [], syncLock };
  // By field and reason only: sync_rejects never holds the rejected value itself.
  const { rows: rejects } = await client.query(
    // An unknown code's row stands for the cases carrying it; any other row for one record or value.
    `SELECT kind, field, reason, sum(CASE WHEN kind = 'unknown_code' THEN coalesce(case_count, 1) ELSE 1 END)::int AS count FROM sync_rejects WHERE run_id = $1
      GROUP BY kind, field, reason ORDER BY 4 DESC, kind, field, reason LIMIT 50`,
    [runs[0].runId],
  );
  return { runs, syncLock, lastRunRejects: rejects.map((r) => ({ kind: String(r.kind), field: r.field ?? null, reason: String(r.reason), count: Number(r.count) })) };
}
