import type { BatchCounts } from './job-states.ts';
import type { KeyHolders, SettledBatch } from './batch-plan.ts';
import type { RemovedCounts } from './removals.ts';

/**
 * What a batch adds to its run's counts, each word meaning one thing
 * everywhere (summary, ledger, status): `cases` and `services` that no earlier
 * batch of the run wrote (keyset paging reads the record on a page boundary
 * twice), `rejects` records not loaded and `nulled` values loaded as NULL, as
 * recorded in sync_rejects (a repeated note is recorded once).
 */
export function countBatch(plan: SettledBatch, fresh: ReadonlySet<string>, recorded: readonly { kind: string }[], removed: RemovedCounts): BatchCounts {
  const freshIds = new Set(plan.cases.filter((c) => fresh.has(c.primero_id)).map((c) => c.case_id));
  let rejects = 0;
  for (const n of recorded) if (n.kind === 'rejected') rejects++;
  return {
    cases: freshIds.size,
    services: plan.services.filter((s) => freshIds.has(s.case_id)).length,
    rejects,
    nulled: recorded.length - rejects,
    removed: removed.left,
    removedDisabled: removed.disabled,
  };
}

/** Rows `{key, holder}` (EXISTING_CASES, SERVICE_HOLDERS) as a map. */
export function keyHolders(rows: readonly { key: string; holder: string }[]): KeyHolders {
  return new Map(rows.map((r) => [r.key, r.holder]));
}

/** Primero ids of the batch's cases that no earlier batch of the run wrote (EXISTING_CASES rows with `this_run`). */
export function freshCases(plan: SettledBatch, rows: readonly { key: string; holder: string; this_run: boolean }[]): Set<string> {
  const written = new Set(rows.filter((r) => r.this_run).map((r) => r.holder));
  return new Set(plan.cases.map((c) => c.primero_id).filter((id) => !written.has(id)));
}

/**
 * The notes to record in sync_rejects: ids, field, reason, kind; never a value
 * of the record. Unknown codes are recorded aggregated instead, and notes of a
 * case an earlier batch of the run wrote are on record already.
 */
export function noteRows(plan: SettledBatch, fresh: ReadonlySet<string>): string {
  const loaded = new Set(plan.cases.map((c) => c.primero_id));
  return JSON.stringify(
    plan.notes
      .filter((n) => n.kind !== 'unknown_code' && (n.primeroId === null || !loaded.has(n.primeroId) || fresh.has(n.primeroId)))
      .map((n) => ({ primero_id: n.primeroId, case_id: n.caseId, reason: n.reason, field: n.field, kind: n.kind })),
  );
}
