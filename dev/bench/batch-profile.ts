import type { SyncProfile } from '../../lib/profile/sync-profile.ts';
import type { RequestLogEntry } from '../sim/server.ts';

/**
 * Where a sync's time goes, from its profile (steps and phases, timed by the
 * sync itself) and from what the benchmark saw from outside: the simulator's
 * own time answering each request, and the database server's time executing
 * statements (pg_stat_database.active_time). Nothing in the product is timed
 * for the benchmark's sake.
 */
export interface ProfileLine {
  part: string;
  /** Mean over the batches, milliseconds. */
  msPerBatch: number;
  /** Sum over the batches, seconds. */
  seconds: number;
}

export interface BatchProfile {
  batches: number;
  /** Seconds in the start workflow's runs. */
  initSeconds: number;
  lines: ProfileLine[];
  /** The sync from process start to exit, phase by phase (seconds). */
  phases: { phase: string; seconds: number }[];
}

/** What the benchmark measured around one sync child process. */
export interface Observed {
  /** Spawn to exit, seconds. */
  wallSeconds: number;
  /** The simulator's requests during the sync (arrival, ms since the epoch, and time to answer). */
  requests: readonly RequestLogEntry[];
  /** The server's time executing the sync's statements, ms (null for the embedded database). */
  databaseMs: number | null;
}

const PARTS = [
  'fetch: Primero answering',
  'fetch: the rest (runtime, adaptor, job code)',
  'upsert',
  'next-batch (post the message)',
  'runtime between steps',
] as const;

/** Milliseconds of [from, to] during which at least one request was being answered. */
function answeringMs(requests: readonly RequestLogEntry[], from: number, to: number): number {
  const spans = requests
    .filter((r) => r.ms !== undefined)
    .map((r) => [Math.max(from, r.at), Math.min(to, r.at + r.ms!)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

export function summarizeProfile(profile: SyncProfile, observed: Observed): BatchProfile {
  const sums = new Map<string, number>(PARTS.map((p) => [p, 0]));
  const add = (part: (typeof PARTS)[number], ms: number) => sums.set(part, (sums.get(part) ?? 0) + Math.max(0, ms));
  let batches = 0;
  let initMs = 0;
  for (const run of profile.runs) {
    // The batch workflow is the one that fetches; the start workflow's runs are apart.
    if (!run.steps.some((s) => s.stepId === 'fetch')) {
      initMs += run.ms;
      continue;
    }
    batches++;
    let inSteps = 0;
    for (const s of run.steps) {
      inSteps += s.ms;
      if (s.stepId === 'fetch') {
        const from = profile.origin + s.at;
        const primero = answeringMs(observed.requests, from, from + s.ms);
        add('fetch: Primero answering', primero);
        add('fetch: the rest (runtime, adaptor, job code)', s.ms - primero);
      } else if (s.stepId === 'upsert') add('upsert', s.ms);
      else add('next-batch (post the message)', s.ms);
    }
    add('runtime between steps', run.ms - inSteps);
  }
  const n = Math.max(1, batches);
  const lines: ProfileLine[] = PARTS.map((part) => ({ part, msPerBatch: (sums.get(part) ?? 0) / n, seconds: (sums.get(part) ?? 0) / 1000 }));
  if (observed.databaseMs !== null) {
    lines.push({ part: 'database statements, every step (server active_time; within the above)', msPerBatch: observed.databaseMs / n, seconds: observed.databaseMs / 1000 });
  }
  return { batches, initSeconds: initMs / 1000, lines, phases: phases(profile, observed.wallSeconds) };
}

/** The sync from its process's start to its exit, by the marks the sync command sets (lib/cli/commands/sync/handler.ts). */
function phases(profile: SyncProfile, wallSeconds: number): { phase: string; seconds: number }[] {
  const m = profile.marks;
  const first = profile.runs[0]?.at;
  const last = profile.runs.at(-1);
  const start = profile.runs.filter((r) => !r.steps.some((s) => s.stepId === 'fetch')).reduce((sum, r) => sum + r.ms, 0);
  const cuts: [string, number | undefined, number | undefined][] = [
    ['process start, CLI loaded', 0, m.command],
    ['settings, Primero probe, database opened', m.command, m.prepared],
    ['migrations', m.prepared, m.migrated],
    ['sync lock, inbox, worker ready', m.migrated, first],
    ['workflow runs: start', 0, start],
    ['workflow runs: batches and between runs', first === undefined || last === undefined ? undefined : first + start, last ? last.at + last.ms : undefined],
    ['summary', last ? last.at + last.ms : undefined, m.synced],
  ];
  const out = cuts.map(([phase, a, b]) => ({ phase, seconds: a === undefined || b === undefined ? 0 : Math.max(0, b - a) / 1000 }));
  // The rest: writing the profile, closing the worker and the database, the process's exit.
  if (m.synced !== undefined) out.push({ phase: 'closing and exit', seconds: Math.max(0, wallSeconds - m.synced / 1000) });
  return out;
}
