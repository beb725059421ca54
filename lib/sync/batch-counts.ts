import type { BatchPlan } from './batch-plan.ts';
import type { BatchCounts } from './job-states.ts';
import type { KeyHolders } from './batch-plan.ts';

/** What a batch wrote (or, in a dry run, would write). */
export function countBatch(plan: BatchPlan, removed: number): BatchCounts {
  let rejects = 0;
  for (const n of plan.notes) if (n.kind === 'rejected') rejects++;
  return { cases: plan.cases.length, services: plan.services.length, rejects, notes: plan.notes.length - rejects, removed };
}

/** Rows `{key, holder}` (EXISTING_CASES, SERVICE_HOLDERS) as a map. */
export function keyHolders(rows: readonly { key: string; holder: string }[]): KeyHolders {
  return new Map(rows.map((r) => [r.key, r.holder]));
}

/** Notes as rows of sync_rejects: ids, field, reason, kind; never a value of the record. */
export function noteRows(plan: BatchPlan): string {
  return JSON.stringify(
    plan.notes.map((n) => ({ primero_id: n.primeroId, case_id: n.caseId, reason: n.reason, field: n.field, kind: n.kind })),
  );
}
