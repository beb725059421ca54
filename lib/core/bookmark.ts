import { BatchMessage, firstCursor, MEMBERSHIP_QUERY, QUERY_IDS, type Queries, type SyncWindow } from './messages.ts';
import { allDone } from './paging.ts';

/**
 * The run's bookmark, in one module, as a Singer tap keeps every state
 * operation in one helper: the message of the run's first batch not yet
 * committed. How a run's first one looks, how a committed batch moves it, the
 * statements that store it (in the batch's own transaction, so it moves only
 * with the data) and close the run, and how a stored one is read back.
 */

/**
 * The cursors a run starts with. The membership query looks for loaded cases
 * that left every indicator; over an empty `cases` table there are none, so a
 * first full run skips it (half the pages of a first run at 100 000 cases).
 */
export function firstQueries(per: number, casesLoaded: boolean): Queries {
  const queries: Queries = Object.fromEntries(QUERY_IDS.map((id) => [id, firstCursor(per)]));
  if (!casesLoaded) queries[MEMBERSHIP_QUERY] = { ...firstCursor(per), done: true, total: 0 };
  return queries;
}

/** The bookmark a run starts from: its first batch. */
export function firstBookmark(run: { runId: string; window: SyncWindow; per: number; casesLoaded: boolean; dryRun: boolean }): BatchMessage {
  return BatchMessage.parse({ runId: run.runId, batch: 1, window: run.window, queries: firstQueries(run.per, run.casesLoaded), dryRun: run.dryRun });
}

/** Where the bookmark moves once a batch is committed: the next batch, or null when every query is done (the run is complete). */
export function bookmarkAfter(current: BatchMessage, advanced: Queries): BatchMessage | null {
  if (allDone(advanced)) return null;
  return { ...current, batch: current.batch + 1, queries: advanced };
}

/** A run's row in the ledger, as far as its bookmark goes. */
export interface StoredRun {
  status: string;
  next_message: unknown;
  batches: number;
}

export type StoredBookmark =
  /** Resume here. */
  | { state: 'next'; message: BatchMessage }
  /** Every batch committed; only the run's closing is missing. */
  | { state: 'all-committed' }
  /** Opened, no batch committed: the run starts over from its first batch. */
  | { state: 'not-started' }
  | { state: 'completed' }
  /** No such run, or a saved message that is not valid: nothing to resume from. */
  | { state: 'unreadable'; why: string };

/** What a stored bookmark says, whoever reads it back (open-run resuming a run, the CLI retrying a batch). */
export function readStoredBookmark(row: StoredRun | undefined): StoredBookmark {
  if (!row) return { state: 'unreadable', why: 'missing' };
  if (row.status === 'completed') return { state: 'completed' };
  if (row.next_message === null || row.next_message === undefined) return row.batches > 0 ? { state: 'all-committed' } : { state: 'not-started' };
  const parsed = BatchMessage.safeParse(row.next_message);
  return parsed.success ? { state: 'next', message: parsed.data } : { state: 'unreadable', why: 'saved message not valid' };
}

/**
 * Claims a batch for writing, in its transaction: first a transaction-level
 * advisory lock on the run, so two deliveries of one message (a webhook may
 * deliver twice) write one after the other; then, in a statement of its own
 * (a fresh snapshot), the run's bookmark as the first delivery left it. Not a
 * row lock: a batch that hangs must not keep the CLI from marking its run
 * failed.
 */
export const LOCK_RUN_FOR_BATCH = `SELECT pg_advisory_xact_lock(1347374657, hashtext($1))`;
export const CLAIM_BATCH = `SELECT status, batches FROM sync_runs WHERE run_id = $1`;

export type BatchClaim = { decision: 'write' } | { decision: 'duplicate' } | { decision: 'refuse'; why: string };

/** Whether a batch's message is the run's bookmark (write it), one already committed (a repeated delivery: write nothing), or not this run's to write. */
export function claimBatch(row: { status: string; batches: number } | undefined, message: BatchMessage): BatchClaim {
  if (!row) return { decision: 'refuse', why: `run ${message.runId} is not in the ledger` };
  if (row.status === 'completed' || message.batch <= row.batches) return { decision: 'duplicate' };
  if (row.status !== 'running') return { decision: 'refuse', why: `run ${message.runId} is not running any more (${row.status})` };
  if (message.batch !== row.batches + 1) return { decision: 'refuse', why: `batch ${message.batch} of run ${message.runId} is not the next one (${row.batches} committed)` };
  return { decision: 'write' };
}

/** Reads the bookmark of one run. */
export const READ_BOOKMARK = `SELECT status, next_message, batches FROM sync_runs WHERE run_id = $1`;

/**
 * Moves the bookmark with a batch's counts, in the batch's transaction; no
 * row back when the run is no longer running (taken over or marked failed),
 * and the job then rolls the batch back.
 */
export const RECORD_BATCH = `
  UPDATE sync_runs SET
    batches = $2,
    pages = $3::jsonb,
    next_message = $4::jsonb,
    cases_count = cases_count + $5,
    services_count = services_count + $6,
    rejects_count = rejects_count + $7,
    removed_count = removed_count + $8,
    notes_count = notes_count + $9,
    last_progress_at = now()
  WHERE run_id = $1 AND status = 'running'
  RETURNING run_id`;

/** Closes a run: the bookmark is spent. */
export const COMPLETE_RUN = `
  UPDATE sync_runs SET status = 'completed', finished_at = now(), next_message = NULL, error = NULL, last_progress_at = now()
  WHERE run_id = $1
  RETURNING run_id, window_from, window_to, batches, cases_count, services_count, rejects_count, removed_count, notes_count,
            extract(epoch FROM finished_at - started_at) AS seconds`;
