import { matchesAnIndicator } from './indicators/membership.ts';
import { isDisabled, PRIMERO_ID, updatedAt } from './records.ts';

/**
 * Which loaded cases leave `cases` (and, by the foreign key's cascade, their
 * services), and why, decided by the fetch job from what it read. Pure;
 * lib/sql/writes.ts REMOVE_CASES does it.
 *
 * - `disabled`: Primero disabled the case (`record_state` / `enabled` false).
 *   Any query over `cases` that does not know a flag would count it, so the row
 *   goes. When Primero enables it again its `last_updated_at` moves, the next
 *   run fetches it, and it is inserted again like any new case.
 * - `left`: the case matches neither indicator any more (a child who turned 18,
 *   a re-typed case).
 */
export type RemovalReason = 'left' | 'disabled';

/** One case to remove, as REMOVE_CASES reads it: a row newer than `seen_at` was written by a later fetch and stays. */
export interface Removal {
  primero_id: string;
  seen_at: string;
  reason: RemovalReason;
}

export interface RemovedCounts {
  left: number;
  disabled: number;
}

type Record_ = Record<string, unknown>;

function removal(record: Record_, reason: RemovalReason): Removal | null {
  const seen = updatedAt(record);
  // A non-UUID id cannot be in `cases` (uuid column) and would fail the DELETE's cast.
  return typeof record.id === 'string' && PRIMERO_ID.test(record.id) && seen !== null ? { primero_id: record.id, seen_at: seen, reason } : null;
}

/**
 * Splits a batch: the indicator cases to write, and the cases to remove: the
 * disabled ones among them (nothing of them is written or reported), and from
 * the membership query's records (every case changed in the window, a few
 * fields each) the disabled ones and the enabled ones that match neither
 * indicator. A case the batch writes is never removed by it. One removal per
 * case: the latest sighting wins; a case seen disabled anywhere goes as disabled.
 */
export function splitRemovals(cases: readonly Record_[], membership: readonly Record_[]): { cases: Record_[]; removals: Removal[] } {
  const kept: Record_[] = [];
  const found: Removal[] = [];
  for (const c of cases) {
    const gone = isDisabled(c) ? removal(c, 'disabled') : null;
    if (gone) found.push(gone);
    else kept.push(c);
  }
  const loaded = new Set(kept.map((c) => c.id));
  for (const m of membership) {
    if (loaded.has(m.id)) continue;
    const gone = isDisabled(m) ? removal(m, 'disabled') : matchesAnIndicator(m) ? null : removal(m, 'left');
    if (gone) found.push(gone);
  }
  const byId = new Map<string, Removal>();
  for (const r of found) {
    const seen = byId.get(r.primero_id);
    byId.set(r.primero_id, seen ? { ...r, seen_at: r.seen_at > seen.seen_at ? r.seen_at : seen.seen_at, reason: r.reason === 'disabled' || seen.reason === 'disabled' ? 'disabled' : 'left' } : r);
  }
  return { cases: kept, removals: [...byId.values()] };
}

/** The one row REMOVE_CASES answers, as counts. */
export function removedCounts(rows: readonly { left_count: number | string; disabled_count: number | string }[] | undefined): RemovedCounts {
  const row = rows?.[0];
  return { left: Number(row?.left_count ?? 0), disabled: Number(row?.disabled_count ?? 0) };
}
