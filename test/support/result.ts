import { withClient } from './databases.ts';

/**
 * What a sync left in a database, in a form two databases can be compared by:
 * every column of every case and service row (but synced_at, which is when),
 * the rejects and notes (but their ids and times), and the runs' outcome.
 */
export interface SyncResult {
  cases: Record<string, unknown>[];
  services: Record<string, unknown>[];
  rejects: Record<string, unknown>[];
}

export async function resultOf(url: string): Promise<SyncResult> {
  return withClient(url, async (c) => {
    const cases = (await c.query(`SELECT to_jsonb(t) - 'synced_at' AS row FROM cases t ORDER BY case_id COLLATE "C"`)).rows.map((r) => r.row as Record<string, unknown>);
    const services = (await c.query(`SELECT to_jsonb(t) - 'synced_at' AS row FROM services t ORDER BY unique_id COLLATE "C"`)).rows.map((r) => r.row as Record<string, unknown>);
    const rejects = (
      await c.query(`SELECT primero_id, case_id, field, reason, kind FROM sync_rejects
        ORDER BY primero_id COLLATE "C" NULLS FIRST, case_id COLLATE "C" NULLS FIRST, field COLLATE "C", reason COLLATE "C", kind`)
    ).rows as Record<string, unknown>[];
    return { cases, services, rejects };
  });
}

export interface RunRow {
  status: string;
  batches: number;
  next_message: unknown;
  error: string | null;
}

export const runsOf = (url: string) =>
  withClient(url, async (c) => (await c.query(`SELECT status, batches, next_message, error FROM sync_runs ORDER BY started_at`)).rows as RunRow[]);

/** A run's counts in the ledger: a batch committed twice would double them. */
export interface Ledger {
  status: string;
  batches: number;
  cases_count: number;
  services_count: number;
  rejects_count: number;
  notes_count: number;
}

export const ledgerOf = (url: string) =>
  withClient(url, async (c) => (await c.query('SELECT status, batches, cases_count, services_count, rejects_count, notes_count FROM sync_runs')).rows as Ledger[]);
