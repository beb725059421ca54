/**
 * Process-wide totals of time spent waiting on I/O, by kind. The adaptors add
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

export function recordIo(kind: IoKind, ms: number): void {
  totals[kind].ms += ms;
  totals[kind].calls += 1;
}

/** Times `work` as one call of `kind`, whether it succeeds or fails. */
export async function timeIo<T>(kind: IoKind, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    recordIo(kind, performance.now() - started);
  }
}

export function ioTotals(): Record<IoKind, IoTotal> {
  return { primero: { ...totals.primero }, database: { ...totals.database } };
}
