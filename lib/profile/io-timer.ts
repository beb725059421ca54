/**
 * Process-wide totals of wall time spent waiting on I/O, by kind. The adaptors add
 * to them; the profile of a sync (see sync-profile.ts) reads them per batch.
 * Always on: adding two numbers per request or statement costs nothing
 * measurable, and a switch would be one more thing to wire through.
 */
export type IoKind = 'primero' | 'database';

export interface IoTotal {
  ms: number;
  calls: number;
}

const totals: Record<IoKind, IoTotal> = { primero: { ms: 0, calls: 0 }, database: { ms: 0, calls: 0 } };
/** Calls in flight and since when, per kind: overlapping calls count once, as wall time busy. */
const busy: Record<IoKind, { inFlight: number; since: number }> = { primero: { inFlight: 0, since: 0 }, database: { inFlight: 0, since: 0 } };

/** Times `work` as one call of `kind`, whether it succeeds or fails. */
export async function timeIo<T>(kind: IoKind, work: () => Promise<T>): Promise<T> {
  const b = busy[kind];
  if (b.inFlight++ === 0) b.since = performance.now();
  try {
    return await work();
  } finally {
    totals[kind].calls += 1;
    if (--b.inFlight === 0) totals[kind].ms += performance.now() - b.since;
  }
}

export function ioTotals(): Record<IoKind, IoTotal> {
  return { primero: { ...totals.primero }, database: { ...totals.database } };
}

/** Adds I/O timed elsewhere (a batch's worker thread, whose totals are its own) to this thread's totals. */
export function addIoTotals(delta: Record<IoKind, IoTotal>): void {
  for (const kind of ['primero', 'database'] as const) {
    totals[kind].ms += delta[kind].ms;
    totals[kind].calls += delta[kind].calls;
  }
}
