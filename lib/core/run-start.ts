import type { BatchMessage } from './messages.ts';
import { firstBookmark, readStoredBookmark } from './bookmark.ts';
import type { RunInfo, StartRequest } from './job-states.ts';
import { computeWindow } from './window.ts';
import { nextQuarterStart, quarterRunDue } from './quarters.ts';

/**
 * How a run starts (the start workflow's open-run job): resume the newest
 * unfinished run from the message its last committed batch left, or open a
 * new run whose window starts where the last completed run ended, or do
 * nothing. The daily cron asks `when: 'due'`: a new run opens only when the
 * quarter's run is due, and an unfinished run is resumed only when its chain
 * has stopped (failed, or no batch committed for a while), so a run whose
 * batches are still flowing is left alone. A dry run never resumes and never
 * writes.
 */
export interface UnfinishedRun {
  run_id: string;
  status: string;
  window_from: string | Date | null;
  window_to: string | Date;
  next_message: unknown;
  batches: number;
  /** When a batch last committed (or the run opened or resumed). */
  last_progress_at: string | Date | null;
}

export interface RunStartInput {
  request: StartRequest;
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
  | { action: 'dry-run'; run: RunInfo; message: BatchMessage }
  /** Nothing to do: not due, or a run is in progress. */
  | { action: 'none'; run: null; message: null; reason: string };

const iso = (v: string | Date): string => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());

/** A chain that stopped: its run failed, or no batch committed within `stalledAfterMinutes`. */
export function chainStopped(run: UnfinishedRun, now: Date, stalledAfterMinutes: number): boolean {
  if (run.status === 'failed') return true;
  if (run.last_progress_at === null) return true;
  return now.getTime() - Date.parse(iso(run.last_progress_at)) >= stalledAfterMinutes * 60_000;
}

function resume(run: UnfinishedRun, input: RunStartInput): RunStart {
  const window = { from: iso(run.window_from ?? '1970-01-01T00:00:00Z'), to: iso(run.window_to) };
  const base = { runId: run.run_id, resumed: true, window, dryRun: false };
  const bookmark = readStoredBookmark(run);
  switch (bookmark.state) {
    case 'all-committed':
      return { action: 'close', run: { ...base, batch: run.batches, complete: true }, message: null };
    case 'not-started': {
      // Opened but no batch committed: start its window over.
      const message = firstBookmark({ runId: run.run_id, window, per: input.request.pageSize, casesLoaded: input.casesLoaded, dryRun: false });
      return { action: 'resume', run: { ...base, batch: 1, complete: false }, message };
    }
    case 'next':
      return { action: 'resume', run: { ...base, batch: bookmark.message.batch, complete: false }, message: bookmark.message };
    default:
      throw new Error(`run ${run.run_id} cannot be resumed: ${bookmark.state === 'unreadable' ? `its ${bookmark.why}` : 'it completed'}`);
  }
}

export function planRunStart(input: RunStartInput): RunStart {
  const { request, unfinished, now } = input;
  const scheduled = request.when === 'due' && !request.dryRun && !request.since;
  if (unfinished && !request.since && !request.dryRun) {
    if (!scheduled || chainStopped(unfinished, now, request.stalledAfterMinutes)) return resume(unfinished, input);
    return { action: 'none', run: null, message: null, reason: `run ${unfinished.run_id} is in progress (a batch committed less than ${request.stalledAfterMinutes} minutes ago)` };
  }
  if (scheduled && !quarterRunDue(input.lastCompletedTo, now)) {
    return { action: 'none', run: null, message: null, reason: `this quarter's run has completed (its window ends ${iso(input.lastCompletedTo!)}); the next is due from ${nextQuarterStart(now).toISOString()}` };
  }
  const window = computeWindow({
    lastCompletedTo: input.lastCompletedTo === null ? null : iso(input.lastCompletedTo),
    since: request.since,
    now,
    overlapSeconds: request.overlapSeconds,
  });
  const message = firstBookmark({ runId: input.newRunId, window, per: request.pageSize, casesLoaded: input.casesLoaded, dryRun: request.dryRun });
  const run: RunInfo = { runId: input.newRunId, resumed: false, window, batch: 1, dryRun: request.dryRun, complete: false };
  return request.dryRun ? { action: 'dry-run', run, message } : { action: 'open', run, message };
}
