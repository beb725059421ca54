import { QUERY_IDS, cursorOf, type BatchMessage } from './messages.ts';
import { firstBookmark, readStoredBookmark, withPageSize } from './bookmark.ts';
import type { RunInfo, StartRequest } from './job-states.ts';
import { computeWindow } from './window.ts';
import { nextQuarterStart, quarterRunDue } from './quarters.ts';

/**
 * How a run starts (the start workflow's init job): resume the newest
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
  /** Cases per Primero page for this start: a new run's, and at most a resumed run's (a smaller page fits a platform's output limit). */
  per: number;
}

export type RunStart =
  /** A new run: insert it into the ledger, then post its first message. */
  | { action: 'open'; run: RunInfo; message: BatchMessage }
  /** An unfinished run: mark it running again, then post the message it stopped at. */
  | { action: 'resume'; run: RunInfo; message: BatchMessage }
  /** A dry run: post its first message, write nothing. */
  | { action: 'dry-run'; run: RunInfo; message: BatchMessage }
  /** Nothing to do: not due, or a run is in progress. */
  | { action: 'none'; run: null; message: null; reason: string };

/** Cases per Primero page unless a start asks otherwise: Primero's own cap. */
export const DEFAULT_PAGE_SIZE = 1000;

/**
 * A start's page size: what the request asks (the CLI's --page-size), else the
 * ONA credential's `pageSize` (how a platform deployment sets it), else the
 * default.
 */
export function pageSizeFor(request: StartRequest, configuration: unknown): number {
  if (request.pageSize !== undefined) return request.pageSize;
  const configured = (configuration as { pageSize?: unknown } | null | undefined)?.pageSize;
  if (configured === undefined) return DEFAULT_PAGE_SIZE;
  if (typeof configured !== 'number' || !Number.isInteger(configured) || configured < 1 || configured > 1000) {
    throw new Error('the ONA database credential\'s pageSize must be a whole number from 1 to 1000');
  }
  return configured;
}

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
    case 'not-started': {
      // Opened but no batch committed: start its window over.
      const message = firstBookmark({ runId: run.run_id, window, per: input.per, casesLoaded: input.casesLoaded, dryRun: false });
      return { action: 'resume', run: { ...base, batch: 1 }, message };
    }
    case 'next': {
      const m = bookmark.message;
      const queries = Object.fromEntries(QUERY_IDS.map((id) => {
        const cursor = cursorOf(m.queries, id);
        return [id, withPageSize(cursor, Math.min(cursor.per, input.per))];
      }));
      return { action: 'resume', run: { ...base, batch: m.batch }, message: { ...m, queries } };
    }
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
  const message = firstBookmark({ runId: input.newRunId, window, per: input.per, casesLoaded: input.casesLoaded, dryRun: request.dryRun });
  const run: RunInfo = { runId: input.newRunId, resumed: false, window, batch: 1, dryRun: request.dryRun };
  return request.dryRun ? { action: 'dry-run', run, message } : { action: 'open', run, message };
}
