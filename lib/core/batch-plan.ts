import { mapCase, type CaseRow, type Note, type ServiceRow } from './mapping/map-case.ts';
import type { ReferenceData } from './mapping/reference-data.ts';
import type { RawCase } from './merge-pages.ts';

/**
 * Everything one batch writes, worked out before any I/O: case rows, service
 * rows and notes (rejects, unknown codes, nulled values). Conflicts inside the
 * batch are settled here; conflicts with rows already in the database by
 * `settleConflicts` (case_ids, looked up before writing) and
 * `dropServiceConflicts` (service unique_ids the insert had to skip).
 */
export interface BatchPlan {
  cases: CaseRow[];
  services: ServiceRow[];
  notes: Note[];
}

export function planBatch(cases: readonly RawCase[], withoutId: readonly RawCase[], ref: ReferenceData): BatchPlan {
  const plan: BatchPlan = { cases: [], services: [], notes: [] };
  const caseIdOwner = new Map<string, string>(); // case_id_display -> Primero id
  const serviceOwner = new Map<string, string>(); // service unique_id -> case_id
  for (const raw of [...withoutId, ...cases]) {
    const mapped = mapCase(raw, ref);
    plan.notes.push(...mapped.notes);
    if (!mapped.ok) {
      plan.notes.push(mapped.reject);
      continue;
    }
    const { row } = mapped;
    const owner = caseIdOwner.get(row.case_id);
    if (owner !== undefined && owner !== row.primero_id) {
      plan.notes.push({
        primeroId: row.primero_id,
        caseId: row.case_id,
        field: 'case_id_display',
        reason: `case_id_display also used by Primero record ${owner}`,
        kind: 'rejected',
      });
      continue;
    }
    caseIdOwner.set(row.case_id, row.primero_id);
    plan.cases.push(row);
    for (const s of mapped.services) {
      const other = serviceOwner.get(s.unique_id);
      if (other !== undefined && other !== s.case_id) {
        plan.notes.push({
          primeroId: row.primero_id,
          caseId: row.case_id,
          field: 'services_section.unique_id',
          reason: `service ${s.unique_id} also belongs to case ${other}; not loaded`,
          kind: 'rejected',
        });
        continue;
      }
      serviceOwner.set(s.unique_id, s.case_id);
      plan.services.push(s);
    }
  }
  return plan;
}

/** key -> the record that already holds it in the table (case_id -> primero_id, unique_id -> case_id). */
export type KeyHolders = ReadonlyMap<string, string>;

/** A batch ready to write: no case row in it can overwrite another record's row. */
export interface SettledBatch extends BatchPlan {
  /**
   * case_ids of the batch's cases already in `cases`: only they can have
   * services in the table to replace. A new case has none (services point at
   * cases), so a first load deletes nothing.
   */
  reloaded: string[];
}

/**
 * Drops case rows that would overwrite another Primero record's row (a
 * case_id_display already held by a different Primero id) and their services.
 * Each becomes a reject; the rest of the batch loads.
 */
export function settleConflicts(plan: BatchPlan, caseHolders: KeyHolders): SettledBatch {
  const reloaded: string[] = [];
  const notes = [...plan.notes];
  const cases = plan.cases.filter((row) => {
    const holder = caseHolders.get(row.case_id);
    if (holder === undefined) return true;
    if (holder === row.primero_id) {
      reloaded.push(row.case_id);
      return true;
    }
    notes.push({
      primeroId: row.primero_id,
      caseId: row.case_id,
      field: 'case_id_display',
      reason: `case_id_display already loaded for Primero record ${holder}`,
      kind: 'rejected',
    });
    return false;
  });
  const kept = new Set(cases.map((c) => c.case_id));
  return { cases, services: plan.services.filter((s) => kept.has(s.case_id)), notes, reloaded };
}

/**
 * Drops service rows whose unique_id another case holds in the table, each a
 * reject. Once the reloaded cases' services are deleted, that is the only way a
 * service of the batch can already be there: the writer inserts the rest and
 * skips these, then asks who holds the keys it skipped.
 */
export function dropServiceConflicts(plan: SettledBatch, serviceHolders: KeyHolders): SettledBatch {
  const notes = [...plan.notes];
  const services = plan.services.filter((s) => {
    const holder = serviceHolders.get(s.unique_id);
    if (holder === undefined || holder === s.case_id) return true;
    notes.push({
      primeroId: null,
      caseId: s.case_id,
      field: 'services_section.unique_id',
      reason: `service ${s.unique_id} already loaded under case ${holder}`,
      kind: 'rejected',
    });
    return false;
  });
  return { ...plan, services, notes };
}
