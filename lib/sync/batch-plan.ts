import { mapCase, type CaseRow, type Note, type ServiceRow } from '../mapping/map-case.ts';
import type { ReferenceData } from '../mapping/reference-data.ts';
import type { RawCase } from './merge-pages.ts';

/**
 * Everything one batch writes, worked out before any I/O: case rows, service
 * rows and notes (rejects, unknown codes, nulled values). Conflicts inside the
 * batch are settled here; conflicts with rows already in the database are
 * settled by `settleConflicts` once the writer has looked them up.
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

/** Rows already in the database that the batch's keys point at. */
export interface ExistingKeys {
  /** case_id -> primero_id of rows in `cases`. */
  cases: ReadonlyMap<string, string>;
  /** unique_id -> case_id of rows in `services`. */
  services: ReadonlyMap<string, string>;
}

/** A batch ready to write: no row in it can overwrite another record's row. */
export interface SettledBatch extends BatchPlan {
  /**
   * case_ids of the batch's cases already in `cases`: only they can have
   * services in the table to replace. A new case has none (services point at
   * cases), so a first load deletes nothing.
   */
  reloaded: string[];
}

/**
 * Drops rows that would overwrite another Primero record's row: a case_id_display
 * already held by a different Primero id, a service unique_id held by another
 * case. Each becomes a reject; the rest of the batch loads. After the services
 * of `reloaded` cases are deleted, none of the batch's services is in the
 * table: they can be inserted, not upserted.
 */
export function settleConflicts(plan: BatchPlan, existing: ExistingKeys): SettledBatch {
  const reloaded: string[] = [];
  const notes = [...plan.notes];
  const cases = plan.cases.filter((row) => {
    const holder = existing.cases.get(row.case_id);
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
  const services = plan.services.filter((s) => {
    if (!kept.has(s.case_id)) return false;
    const holder = existing.services.get(s.unique_id);
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
  return { cases, services, notes, reloaded };
}
