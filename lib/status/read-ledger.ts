import type pg from 'pg';
import type { LedgerRun, RejectGroup, SyncLockState } from './compute.ts';
import { readSyncLock } from '../host/sync-lock.ts';

/**
 * Reads the ledger for the status (read-only). A database without the ledger
 * (never migrated) has no runs: an answer, not an error.
 */
export interface LedgerSnapshot {
  runs: LedgerRun[];
  lastRunRejects: RejectGroup[];
  syncLock: SyncLockState;
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

export async function readLedger(client: Pick<pg.Client, 'query'>, limit = 5): Promise<LedgerSnapshot> {
  const { rows: exists } = await client.query<{ ledger: string | null }>("SELECT to_regclass('public.sync_runs')::text AS ledger");
  const syncLock = await readSyncLock(client);
  if (!exists[0]?.ledger) return { runs: [], lastRunRejects: [], syncLock };
  const { rows } = await client.query(
    `SELECT run_id, status, window_from, window_to, started_at, finished_at, last_progress_at, batches,
            cases_count, services_count, rejects_count, notes_count, removed_count, error
       FROM sync_runs ORDER BY started_at DESC, run_id DESC LIMIT $1`,
    [limit],
  );
  const runs: LedgerRun[] = rows.map((r) => ({
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
    notes: Number(r.notes_count),
    removed: Number(r.removed_count),
    error: r.error ?? null,
  }));
  if (!runs[0]) return { runs, lastRunRejects: [], syncLock };
  // By field and reason only: sync_rejects never holds the rejected value itself.
  const { rows: rejects } = await client.query(
    `SELECT kind, field, reason, count(*)::int AS count FROM sync_rejects WHERE run_id = $1
      GROUP BY kind, field, reason ORDER BY count(*) DESC, kind, field, reason LIMIT 50`,
    [runs[0].runId],
  );
  return { runs, syncLock, lastRunRejects: rejects.map((r) => ({ kind: String(r.kind), field: r.field ?? null, reason: String(r.reason), count: Number(r.count) })) };
}
