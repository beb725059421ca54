import { BatchMessage, firstCursor, MEMBERSHIP_QUERY, QUERY_IDS, type Queries, type QueryCursor, type SyncWindow } from './messages.ts';
import { allDone } from './paging.ts';
import { check } from './schema.ts';

/**
 * The run's bookmark, in one module, as a Singer tap keeps every state
 * operation in one helper: the message of the run's first batch not yet
 * committed. How a run's first one looks, how a committed batch moves it, how a
 * batch claims it, and how a stored one is read back. It moves only in the
 * batch's own transaction (lib/sql/ledger.ts RECORD_BATCH), with the data.
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
  return { runId: run.runId, batch: 1, window: run.window, queries: firstQueries(run.per, run.casesLoaded), dryRun: run.dryRun };
}

/** Where the bookmark moves once a batch is committed: the next batch, or null when every query is done (the run is complete). */
export function bookmarkAfter(current: BatchMessage, advanced: Queries): BatchMessage | null {
  if (allDone(advanced)) return null;
  return { ...current, batch: current.batch + 1, queries: advanced };
}

/**
 * A cursor read with another page size: the same records from the same place.
 * A cursor inside a group of records sharing one created_at (page > 1) starts
 * at the page that holds its offset, so a smaller page re-reads a few records
 * (they are merged and upserts are idempotent) and never skips one.
 */
export function withPageSize(cursor: QueryCursor, per: number): QueryCursor {
  if (cursor.per === per || cursor.done) return { ...cursor, per };
  const offset = (cursor.page - 1) * cursor.per;
  return { ...cursor, per, page: Math.floor(offset / per) + 1 };
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
  /** Opened, no batch committed: the run starts over from its first batch. */
  | { state: 'not-started' }
  | { state: 'completed' }
  /** No such run, or a saved message that is not valid: nothing to resume from. */
  | { state: 'unreadable'; why: string };

/** What a stored bookmark says, whoever reads it back (init resuming a run, the CLI after a failed batch). */
export function readStoredBookmark(row: StoredRun | undefined): StoredBookmark {
  if (!row) return { state: 'unreadable', why: 'missing' };
  if (row.status === 'completed') return { state: 'completed' };
  if (row.next_message === null || row.next_message === undefined) return row.batches > 0 ? { state: 'unreadable', why: 'saved message missing' } : { state: 'not-started' };
  const parsed = check(BatchMessage, row.next_message);
  return parsed.ok ? { state: 'next', message: parsed.value } : { state: 'unreadable', why: 'saved message not valid' };
}

export type BatchClaim = { decision: 'write' } | { decision: 'duplicate'; complete: boolean } | { decision: 'refuse'; why: string };

/** Whether a batch's message is the run's bookmark (write it), one already committed (a repeated delivery: write nothing), or not this run's to write. */
export function claimBatch(row: { status: string; batches: number } | undefined, message: BatchMessage): BatchClaim {
  if (!row) return { decision: 'refuse', why: `run ${message.runId} is not in the ledger` };
  if (row.status === 'completed' || message.batch <= row.batches) return { decision: 'duplicate', complete: row.status === 'completed' };
  if (row.status !== 'running') return { decision: 'refuse', why: `run ${message.runId} is not running any more (${row.status})` };
  if (message.batch !== row.batches + 1) return { decision: 'refuse', why: `batch ${message.batch} of run ${message.runId} is not the next one (${row.batches} committed)` };
  return { decision: 'write' };
}
