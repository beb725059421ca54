import pg from 'pg';
import type { Logger } from '../log/logger.ts';
import type { BatchCounts } from '../core/job-states.ts';
import { kindOf, type Failure, type FailureKind } from '../core/retry.ts';
import { READ_RUN, RECORD_FAILURE } from '../sql/ledger.ts';

/**
 * The CLI's own reads and writes of the ledger (the jobs do the rest): where a
 * run stands after a batch, its run-wide counts, and a failure the jobs could
 * not record (a batch stopped at its limit, the chain's end lost).
 */
export interface RunRow {
  status: string;
  next_message: unknown;
  batches: number;
  error: string | null;
  error_step: string | null;
  error_kind: FailureKind | null;
}

async function withLedger<T>(connection: pg.ClientConfig, f: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(connection);
  client.on('error', () => {});
  try {
    await client.connect();
    return await f(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The run's row, or undefined when there is no such run. */
export function readRun(connection: pg.ClientConfig, runId: string): Promise<RunRow | undefined> {
  return withLedger(connection, async (c) => (await c.query<RunRow>(READ_RUN, [runId])).rows[0]);
}

/** The run's counts as the ledger adds them up over its batches (resumed ones included). */
export function readRunTotals(connection: pg.ClientConfig, runId: string): Promise<BatchCounts> {
  return withLedger(connection, async (c) => {
    const { rows } = await c.query(
      `SELECT cases_count, services_count, rejects_count, notes_count, removed_count, removed_disabled_count FROM sync_runs WHERE run_id = $1`,
      [runId],
    );
    const r = rows[0] ?? {};
    return {
      cases: Number(r.cases_count ?? 0),
      services: Number(r.services_count ?? 0),
      rejects: Number(r.rejects_count ?? 0),
      nulled: Number(r.notes_count ?? 0),
      removed: Number(r.removed_count ?? 0),
      removedDisabled: Number(r.removed_disabled_count ?? 0),
    };
  });
}

/** Records a failure the jobs could not; left `running` when even this fails, the run is still resumed by the next start. */
export async function markRunFailed(connection: pg.ClientConfig, runId: string, failure: Failure, logger: Logger): Promise<void> {
  try {
    await withLedger(connection, (c) => c.query(RECORD_FAILURE, [runId, failure.line, 'cli', kindOf(failure)]));
  } catch (e) {
    logger.warn(`could not mark run ${runId} as failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}
