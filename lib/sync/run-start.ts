import { BatchMessage, firstCursor, QUERY_IDS, type QueryCursor, type QueryId } from './messages.ts';
import type { InitRequest, RunInfo } from './job-states.ts';
import { computeWindow } from './window.ts';

/**
 * How a sync starts (Job 0): resume the newest unfinished run from the message
 * its last committed batch left, or open a new run whose window starts where
 * the last completed run ended. A dry run never resumes and never writes.
 */
export interface UnfinishedRun {
  run_id: string;
  window_from: string | Date | null;
  window_to: string | Date;
  next_message: unknown;
  batches: number;
}

export interface RunStartInput {
  request: InitRequest;
  unfinished: UnfinishedRun | null;
  lastCompletedTo: string | Date | null;
  newRunId: string;
  now: Date;
  /** Whether `cases` holds any row: with none, no case can have left the indicators. */
  casesLoaded: boolean;
}

export type RunStart =
  /** A new run: insert it into the ledger, then post its first message. */
  | { action: 'open'; run: RunInfo; message: BatchMessage }
  /** An unfinished run: mark it running again, then post the message it stopped at. */
  | { action: 'resume'; run: RunInfo; message: BatchMessage }
  /** An unfinished run whose batches were all committed: only close it. */
  | { action: 'close'; run: RunInfo; message: null }
  /** A dry run: post its first message, write nothing. */
  | { action: 'dry-run'; run: RunInfo; message: BatchMessage };

const iso = (v: string | Date): string => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());

/**
 * The cursors a run starts with. The membership query looks for loaded cases
 * that left both indicators; over an empty `cases` table there are none, so a
 * first full run skips it (half the pages of a first run at 100 000 cases).
 */
export function firstQueries(per: number, casesLoaded: boolean): Record<QueryId, QueryCursor> {
  const queries = Object.fromEntries(QUERY_IDS.map((id) => [id, firstCursor(per)])) as Record<QueryId, QueryCursor>;
  if (!casesLoaded) queries.membership = { ...queries.membership, done: true, total: 0 };
  return queries;
}

export function planRunStart(input: RunStartInput): RunStart {
  const { request } = input;
  const resumable = input.unfinished && !request.since && !request.dryRun ? input.unfinished : null;
  if (resumable) {
    const window = { from: iso(resumable.window_from ?? '1970-01-01T00:00:00Z'), to: iso(resumable.window_to) };
    const base = { runId: resumable.run_id, resumed: true, window, dryRun: false };
    if (resumable.next_message === null || resumable.next_message === undefined) {
      if (resumable.batches > 0) return { action: 'close', run: { ...base, batch: resumable.batches, complete: true }, message: null };
      // Opened but no batch committed: start its window over.
      const message = BatchMessage.parse({ runId: resumable.run_id, batch: 1, window, queries: firstQueries(request.pageSize, input.casesLoaded) });
      return { action: 'resume', run: { ...base, batch: 1, complete: false }, message };
    }
    const parsed = BatchMessage.safeParse(resumable.next_message);
    if (!parsed.success) throw new Error(`run ${resumable.run_id} cannot be resumed: its saved message is not valid`);
    return { action: 'resume', run: { ...base, batch: parsed.data.batch, complete: false }, message: parsed.data };
  }
  const window = computeWindow({
    lastCompletedTo: input.lastCompletedTo === null ? null : iso(input.lastCompletedTo),
    since: request.since,
    now: input.now,
    overlapSeconds: request.overlapSeconds,
  });
  const message = BatchMessage.parse({
    runId: input.newRunId,
    batch: 1,
    window,
    queries: firstQueries(request.pageSize, input.casesLoaded),
    dryRun: request.dryRun,
  });
  const run: RunInfo = { runId: input.newRunId, resumed: false, window, batch: 1, dryRun: request.dryRun, complete: false };
  return request.dryRun ? { action: 'dry-run', run, message } : { action: 'open', run, message };
}
