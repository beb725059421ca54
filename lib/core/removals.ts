import { PRIMERO_ID, type CaseRow, type Note, type ServiceRow } from './mapping/map-case.ts';
import { matchesAnIndicator } from './indicators/membership.ts';

/**
 * Which loaded cases leave `cases` (and, by the foreign key's cascade, their
 * services), and why. Pure, plus the SQL that does it.
 *
 * - `disabled`: Primero disabled the case (`record_state` / `enabled` false).
 *   Any query over `cases` that does not know a flag would count it, so the row
 *   goes. When Primero enables it again its `last_updated_at` moves, the next
 *   run fetches it, and it is inserted again like any new case.
 * - `left`: the case matches neither indicator any more (a child who turned 18,
 *   a re-typed case).
 */
export type RemovalReason = 'left' | 'disabled';

export interface Removal {
  primeroId: string;
  /** The record's last_updated_at as fetched: a row newer than this was written by a later fetch and stays. */
  seenAt: string;
  reason: RemovalReason;
}

export interface RemovedCounts {
  left: number;
  disabled: number;
}

/** Primero emits both; `enabled` mirrors `record_state`. Only an explicit false disables (as the mapping reads it). */
export function isDisabled(record: Record<string, unknown>): boolean {
  return record.record_state === false || record.record_state === 'false' || record.enabled === false;
}

function seenAt(record: Record<string, unknown>): string | null {
  const t = typeof record.last_updated_at === 'string' ? Date.parse(record.last_updated_at) : NaN;
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export interface PlannedRows {
  cases: CaseRow[];
  services: ServiceRow[];
  notes: Note[];
}

/**
 * Takes the disabled cases out of a batch's rows (with their services and the
 * notes about them: nothing of a case that is not loaded is reported) and
 * returns them as removals. Call it on the mapped batch, before writing.
 */
export function withoutDisabled<P extends PlannedRows>(plan: P): { plan: P; disabled: Removal[] } {
  const disabled: Removal[] = [];
  const gone = new Set<string>();
  const cases = plan.cases.filter((row) => {
    if (row.record_state) return true;
    disabled.push({ primeroId: row.primero_id, seenAt: row.last_updated_date, reason: 'disabled' });
    gone.add(row.case_id);
    return false;
  });
  if (disabled.length === 0) return { plan, disabled };
  const ids = new Set(disabled.map((d) => d.primeroId));
  return {
    plan: {
      ...plan,
      cases,
      services: plan.services.filter((s) => !gone.has(s.case_id)),
      notes: plan.notes.filter((n) => n.primeroId === null || !ids.has(n.primeroId)),
    },
    disabled,
  };
}

/**
 * Removals from the membership query's records (every case changed in the
 * window, a few fields each): disabled ones, and enabled ones that match
 * neither indicator. Cases the batch writes anyway (`loaded`) are skipped.
 * The membership records must carry `record_state`/`enabled` beside `id`,
 * `age`, `type_of_case` and `last_updated_at`.
 */
export function membershipRemovals(membership: readonly Record<string, unknown>[], loaded: ReadonlySet<string>): Removal[] {
  const out: Removal[] = [];
  for (const c of membership) {
    // A non-UUID id cannot be in `cases` (uuid column) and would fail the DELETE's cast.
    if (typeof c.id !== 'string' || !PRIMERO_ID.test(c.id) || loaded.has(c.id)) continue;
    const disabled = isDisabled(c);
    if (!disabled && matchesAnIndicator(c)) continue;
    const at = seenAt(c);
    if (at !== null) out.push({ primeroId: c.id, seenAt: at, reason: disabled ? 'disabled' : 'left' });
  }
  return out;
}

/** One removal per case: the latest sighting wins; a case seen disabled anywhere is removed as disabled. */
export function mergeRemovals(...lists: readonly (readonly Removal[])[]): Removal[] {
  const byId = new Map<string, Removal>();
  for (const r of lists.flat()) {
    const seen = byId.get(r.primeroId);
    if (!seen) byId.set(r.primeroId, r);
    else byId.set(r.primeroId, { primeroId: r.primeroId, seenAt: r.seenAt > seen.seenAt ? r.seenAt : seen.seenAt, reason: r.reason === 'disabled' || seen.reason === 'disabled' ? 'disabled' : 'left' });
  }
  return [...byId.values()];
}

/** The removals as the one JSON parameter of REMOVE_CASES / COUNT_REMOVALS. */
export function removalRows(removals: readonly Removal[]): string {
  return JSON.stringify(removals.map((r) => ({ primero_id: r.primeroId, seen_at: r.seenAt, reason: r.reason })));
}

/**
 * Deletes the cases (their services go by ON DELETE CASCADE), unless the row
 * is newer than what was seen (a later fetch already wrote it back), and
 * answers how many went, by reason: one row `{left_count, disabled_count}`.
 * $1: `removalRows(...)`.
 */
export const REMOVE_CASES = `
  WITH gone AS (
    DELETE FROM cases c
    USING jsonb_to_recordset($1::jsonb) AS r(primero_id uuid, seen_at timestamptz, reason text)
    WHERE c.primero_id = r.primero_id AND (c.last_updated_date IS NULL OR c.last_updated_date <= r.seen_at)
    RETURNING r.reason
  )
  SELECT count(*) FILTER (WHERE reason = 'left')::integer AS left_count,
         count(*) FILTER (WHERE reason = 'disabled')::integer AS disabled_count
  FROM gone`;

/** What REMOVE_CASES would remove, by reason (dry runs report it without removing). */
export const COUNT_REMOVALS = `
  SELECT count(*) FILTER (WHERE r.reason = 'left')::integer AS left_count,
         count(*) FILTER (WHERE r.reason = 'disabled')::integer AS disabled_count
  FROM cases c
  JOIN jsonb_to_recordset($1::jsonb) AS r(primero_id uuid, seen_at timestamptz, reason text) ON c.primero_id = r.primero_id
  WHERE c.last_updated_date IS NULL OR c.last_updated_date <= r.seen_at`;

/** The one row REMOVE_CASES / COUNT_REMOVALS answer, as counts. */
export function removedCounts(rows: readonly { left_count: number | string; disabled_count: number | string }[] | undefined): RemovedCounts {
  const row = rows?.[0];
  return { left: Number(row?.left_count ?? 0), disabled: Number(row?.disabled_count ?? 0) };
}

/** Adds the batch's disabled removals to the run's ledger row. $1 run id, $2 the count. */
export const RECORD_DISABLED_REMOVED = `
  UPDATE sync_runs SET removed_disabled_count = removed_disabled_count + $2 WHERE run_id = $1`;
