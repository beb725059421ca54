import { Cron } from 'croner';
import { currentQuarter, nextQuarterStart, previousQuarter, quarterRunDue, quarterStart, startOfQuarter } from '../core/quarters.ts';
import { DEFAULT_STALLED_AFTER_MINUTES } from '../core/job-states.ts';
import type { FailureKind } from '../core/retry.ts';

/** What to do after a failed run, by how it failed: refused credentials must not meet the next start unchanged (six failed logins lock a Primero account). */
const AFTER_FAILURE: Record<FailureKind, string> = {
  transient: 'it may pass on its own; the next sync resumes it',
  refused: 'correct the Primero credentials (or the OpenFn credential) before the next sync, which resumes it',
  permanent: 'the next sync resumes it',
};

/**
 * Pure: how the sync stands, from the ledger rows, the schedule and the clock.
 * The same answer for `primero-ona status` and serve's `/healthz`, so a
 * monitor and a person never disagree. No secrets and no case data: run ids,
 * times, counts, field names and reasons only.
 */
export interface LedgerRun {
  runId: string;
  status: 'running' | 'completed' | 'failed';
  windowFrom: string | null;
  windowTo: string;
  startedAt: string;
  finishedAt: string | null;
  /** When a batch last committed, or the run opened or resumed. */
  lastProgressAt: string | null;
  batches: number;
  cases: number;
  services: number;
  rejects: number;
  /** Values the run loaded as NULL. */
  nulled: number;
  removed: number;
  error: string | null;
  /** How the run failed (migration 016): transient, refused credentials, or permanent; null when it did not, or the ledger predates it. */
  errorKind?: FailureKind | null;
}

export interface RejectGroup {
  kind: string;
  field: string | null;
  reason: string;
  count: number;
}

/** The sync lock (lib/host/sync-lock.ts): whether a local sync holds it now, and when one last took and released it. */
export interface SyncLockState {
  held: boolean;
  takenAt: string | null;
  releasedAt: string | null;
}

export type StatusState = 'ok' | 'running' | 'stopped' | 'failed' | 'overdue' | 'never-run' | 'unreachable';

export interface SyncStatus {
  state: StatusState;
  /** For monitoring: 0 healthy, 1 failed, stopped or overdue (or never run), 2 database unreachable. */
  exitCode: 0 | 1 | 2;
  /** One line for a person. */
  summary: string;
  checkedAt: string;
  schedule: { cron: string; timezone: 'UTC'; next: string | null; lastDue: string | null } | null;
  /** Whether a run that started at or after the last scheduled time has completed (true when nothing is scheduled yet). */
  quarterRunDone: boolean;
  /** When the quarter's run became overdue (lastDue + grace), if it is. */
  overdueSince: string | null;
  lastCompleted: { runId: string; finishedAt: string | null; windowTo: string } | null;
  /** Newest first. */
  runs: LedgerRun[];
  /** Rejects and notes of the newest run, by kind, field and reason. */
  lastRunRejects: RejectGroup[];
}

export interface StatusInput {
  runs: readonly LedgerRun[];
  lastRunRejects: readonly RejectGroup[];
  /** The workflow's cron trigger (UTC); null when it has none. */
  cron: string | null;
  now: Date;
  /** How long after its scheduled time the quarter's run may take before it counts as overdue. */
  graceHours?: number;
  /** Unknown (not read): as if no local sync had ever taken it. */
  syncLock?: SyncLockState;
}

/** The start workflow's own rule: a running run with no batch committed for this long has a stopped chain. */
const STALLED_AFTER_MINUTES = DEFAULT_STALLED_AFTER_MINUTES;

const NO_LOCK: SyncLockState = { held: false, takenAt: null, releasedAt: null };

/**
 * Whether a run the ledger calls running is being run now. A local sync holds
 * the sync lock for its whole run: held, it is live; free, while the run's last
 * batch committed under it, its sync is gone (killed or interrupted). A run
 * that no local lock drove is the platform's (Lightning takes no lock): live
 * while its batches commit within the start's stall window.
 */
export function runLiveness(run: LedgerRun, lock: SyncLockState, now: Date): { live: boolean; why: string } {
  const progressAt = run.lastProgressAt ?? run.startedAt;
  const progress = Date.parse(progressAt);
  if (lock.held) return { live: true, why: `a sync holds the sync lock; last batch committed ${progressAt}` };
  const underLock = lock.takenAt !== null && Date.parse(lock.takenAt) <= progress && (lock.releasedAt === null || Date.parse(lock.releasedAt) >= progress);
  if (underLock) return { live: false, why: `the sync that ran it ended without completing it (the sync lock is free); last batch committed ${progressAt}` };
  const stalledAt = progress + STALLED_AFTER_MINUTES * 60_000;
  if (now.getTime() < stalledAt) return { live: true, why: `no local sync holds the sync lock, and a batch committed ${progressAt} (a platform chain; stopped if none commits by ${new Date(stalledAt).toISOString()})` };
  return { live: false, why: `no batch has committed since ${progressAt} (over ${STALLED_AFTER_MINUTES} minutes) and no sync holds the sync lock` };
}

export const DEFAULT_GRACE_HOURS = 24;

/**
 * When the quarter's run was due: the start workflow's cron fires daily and
 * opens a run only once a quarter has begun (Cambodian time) with no completed
 * run reaching into it (lib/core/quarters.ts quarterRunDue). So the run due now is the first
 * cron occurrence on or after this quarter's start, once it has passed (else
 * the previous quarter's); the next is the first on or after the next
 * quarter's start. `next` is also the next tick when one is sooner and
 * `soonerNext` says a run is pending (a failed or stopped chain is resumed by
 * the next tick).
 */
export function scheduleAround(cron: string, now: Date, soonerNext = false): { lastDue: Date | null; next: Date | null } {
  const job = new Cron(cron, { timezone: 'UTC', paused: true });
  try {
    const firstTickFrom = (t: Date) => job.nextRun(new Date(t.getTime() - 1)) ?? null;
    const thisQuarter = quarterStart(now);
    let lastDue = firstTickFrom(thisQuarter);
    if (lastDue && lastDue.getTime() > now.getTime()) lastDue = firstTickFrom(startOfQuarter(previousQuarter(currentQuarter(now))));
    const nextQuarter = firstTickFrom(nextQuarterStart(now));
    return { lastDue, next: soonerNext ? job.nextRun(now) : nextQuarter };
  } finally {
    job.stop();
  }
}

export function computeStatus(input: StatusInput): SyncStatus {
  const { now } = input;
  const graceMs = (input.graceHours ?? DEFAULT_GRACE_HOURS) * 3_600_000;
  const runs = [...input.runs];
  const last: LedgerRun | null = runs[0] ?? null;
  const completed = runs.find((r) => r.status === 'completed') ?? null;
  // The quarter's run is done once a completed run's window reaches into the quarter it was due in (the rule the start job applies).
  const dueFrom = input.cron ? scheduleAround(input.cron, now).lastDue : null;
  const dueDone = !dueFrom || runs.some((r) => r.status === 'completed' && !quarterRunDue(r.windowTo, dueFrom));
  const around = input.cron ? scheduleAround(input.cron, now, !dueDone || (last !== null && last.status !== 'completed')) : { lastDue: null, next: null };
  const overdueAt = around.lastDue ? new Date(around.lastDue.getTime() + graceMs) : null;
  const overdue = !dueDone && overdueAt !== null && now.getTime() > overdueAt.getTime() && last !== null;

  const liveness = last?.status === 'running' ? runLiveness(last, input.syncLock ?? NO_LOCK, now) : null;
  let state: StatusState;
  let summary: string;
  const next = around.next ? `; next scheduled run ${around.next.toISOString()}` : '';
  if (!last) {
    state = 'never-run';
    summary = `no sync has run on this database yet${next}`;
  } else if (last.status === 'failed') {
    state = 'failed';
    summary = `last run ${last.runId} failed${last.error ? `: ${last.error.split('\n')[0]}` : ''}; ${AFTER_FAILURE[last.errorKind ?? 'permanent']}${next}`;
  } else if (last.status === 'running' && !liveness!.live) {
    state = 'stopped';
    summary = `run ${last.runId} stopped with ${last.batches} batches committed: ${liveness!.why}; the next sync resumes it from its last committed batch${next}`;
  } else if (overdue) {
    state = 'overdue';
    summary = `the run due ${around.lastDue!.toISOString()} has not completed (overdue since ${overdueAt!.toISOString()}); ${completed ? `last completed run ${completed.runId} finished ${completed.finishedAt ?? '?'}` : 'no run has completed yet'}`;
  } else if (last.status === 'running') {
    state = 'running';
    summary = `run ${last.runId} is under way (started ${last.startedAt}, ${last.batches} batches committed): ${liveness!.why}${next}`;
  } else {
    state = 'ok';
    summary = `last run ${last.runId} completed ${last.finishedAt ?? ''}: ${last.cases} case rows, ${last.rejects} rejected${next}`;
  }
  // A run under way is healthy unless it made the quarter's run overdue; a stopped one, or never run, is not.
  const exitCode = state === 'ok' || state === 'running' ? 0 : 1;
  return {
    state,
    exitCode,
    summary,
    checkedAt: now.toISOString(),
    schedule: input.cron ? { cron: input.cron, timezone: 'UTC', next: around.next?.toISOString() ?? null, lastDue: around.lastDue?.toISOString() ?? null } : null,
    quarterRunDone: dueDone,
    overdueSince: overdue ? overdueAt!.toISOString() : null,
    lastCompleted: completed ? { runId: completed.runId, finishedAt: completed.finishedAt, windowTo: completed.windowTo } : null,
    runs,
    lastRunRejects: [...input.lastRunRejects],
  };
}

/** The answer when the database cannot be reached: no ledger to read. */
export function unreachableStatus(reason: string, now: Date, cron: string | null): SyncStatus {
  const around = cron ? scheduleAround(cron, now) : { lastDue: null, next: null };
  return {
    state: 'unreachable',
    exitCode: 2,
    summary: reason,
    checkedAt: now.toISOString(),
    schedule: cron ? { cron, timezone: 'UTC', next: around.next?.toISOString() ?? null, lastDue: around.lastDue?.toISOString() ?? null } : null,
    quarterRunDone: false,
    overdueSince: null,
    lastCompleted: null,
    runs: [],
    lastRunRejects: [],
  };
}
