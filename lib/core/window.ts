/**
 * The sync window on Primero's `last_updated_at`. Primero compares that field at
 * whole seconds (TO_TIMESTAMP without fractions), so bounds are whole seconds:
 * `from` rounded down, `to` rounded down too (the run's start), and the next run
 * starts `overlapSeconds` before this run's `to`, re-reading what changed while
 * this run started; upserts are idempotent, so the overlap costs only time.
 */
export const DEFAULT_OVERLAP_SECONDS = 60;
export const BEGINNING_OF_TIME = '1970-01-01T00:00:00Z';

export interface WindowInput {
  /** `to` of the last completed run, if any. */
  lastCompletedTo: string | null;
  /** --since: a first run or a backfill starts here. */
  since?: string | undefined;
  now: Date;
  overlapSeconds?: number;
}

export function toWholeSecondIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function computeWindow(input: WindowInput): { from: string; to: string } {
  const overlap = (input.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS) * 1000;
  const to = toWholeSecondIso(input.now.getTime());
  let fromMs: number;
  if (input.since) fromMs = Date.parse(input.since);
  else if (input.lastCompletedTo) fromMs = Date.parse(input.lastCompletedTo) - overlap;
  else fromMs = Date.parse(BEGINNING_OF_TIME);
  if (Number.isNaN(fromMs)) throw new Error(`not a date-time: ${input.since ?? input.lastCompletedTo}`);
  const from = toWholeSecondIso(Math.min(fromMs, Date.parse(to)));
  return { from, to };
}
