import type { BatchPlan } from './batch-plan.ts';
import type { BatchCounts } from './job-states.ts';
import type { KeyHolders } from './batch-plan.ts';

/** What a batch wrote (or, in a dry run, would write). `removed`: left both indicators; `removedDisabled`: disabled in Primero. */
export function countBatch(plan: BatchPlan, removed: number, removedDisabled = 0): BatchCounts {
  let rejects = 0;
  for (const n of plan.notes) if (n.kind === 'rejected') rejects++;
  return {
    cases: plan.cases.length,
    services: plan.services.length,
    rejects,
    notes: plan.notes.length - rejects,
    removed,
    removedDisabled,
  };
}

/** Rows `{key, holder}` (EXISTING_CASES, SERVICE_HOLDERS) as a map. */
export function keyHolders(rows: readonly { key: string; holder: string }[]): KeyHolders {
  return new Map(rows.map((r) => [r.key, r.holder]));
}

/**
 * Notes as rows of sync_rejects: ids, field, reason, kind; never a value of the record.
 * Unknown codes are written aggregated instead (RECORD_UNKNOWN_CODES), without case ids.
 */
export function noteRows(plan: BatchPlan): string {
  return JSON.stringify(
    plan.notes.filter((n) => n.kind !== 'unknown_code').map((n) => ({ primero_id: n.primeroId, case_id: n.caseId, reason: n.reason, field: n.field, kind: n.kind })),
  );
}
