import type pg from 'pg';

/**
 * Whether any sync run has completed on this database. Read-only: a database
 * that was never migrated has no ledger, and that is an answer (no), not an error.
 */
export async function hasCompletedSync(client: Pick<pg.Client, 'query'>): Promise<boolean> {
  const { rows } = await client.query<{ ledger: string | null }>("SELECT to_regclass('public.sync_runs')::text AS ledger");
  if (!rows[0]?.ledger) return false;
  const done = await client.query("SELECT 1 FROM sync_runs WHERE status = 'completed' LIMIT 1");
  return done.rows.length > 0;
}

export const NO_COMPLETED_SYNC = 'No sync has completed on this database yet: nothing to report. Run `primero-ona sync` first.';
