import { describe, expect, it } from 'vitest';
import { dropServiceConflicts, planBatch, settleConflicts } from '../../lib/core/batch-plan.ts';
import type { ReferenceData } from '../../lib/core/mapping/reference-data.ts';

const ref: ReferenceData = {
  labels: { sex: new Map(), disability_type: new Map(), protection_concerns: new Map(), service_type: new Map([['counselling', 'Counselling']]) },
  districts: new Map(),
};
const t = '2024-03-05T06:07:08.123Z';
// Primero ids are UUIDs (cases.primero_id is a uuid column); the mapping rejects anything else.
const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const P3 = '00000000-0000-4000-8000-000000000003';
const c = (id: string, display: string, services: unknown[] = []) => ({ id, case_id_display: display, last_updated_at: t, services_section: services });

describe('planning a batch', () => {
  it('loads the good records and rejects the bad ones with reasons', () => {
    const plan = planBatch([c(P1, 'A', [{ unique_id: 's1', service_type: 'counselling' }]), { id: P2, last_updated_at: t }], [{ case_id_display: 'B' }], ref);
    expect(plan.cases.map((r) => r.case_id)).toEqual(['A']);
    expect(plan.services.map((s) => s.unique_id)).toEqual(['s1']);
    expect(plan.notes.map((n) => [n.primeroId, n.field, n.kind])).toEqual([
      [null, 'id', 'rejected'],
      [P2, 'case_id_display', 'rejected'],
    ]);
  });

  it('rejects a second Primero record claiming the same case_id_display', () => {
    const plan = planBatch([c(P1, 'A'), c(P2, 'A')], [], ref);
    expect(plan.cases.map((r) => r.primero_id)).toEqual([P1]);
    expect(plan.notes).toEqual([expect.objectContaining({ primeroId: P2, field: 'case_id_display', kind: 'rejected' })]);
  });

  it('rejects the same service unique_id under a second case', () => {
    const plan = planBatch([c(P1, 'A', [{ unique_id: 's1' }]), c(P2, 'B', [{ unique_id: 's1' }, { unique_id: 's2' }])], [], ref);
    expect(plan.services.map((s) => [s.unique_id, s.case_id])).toEqual([['s1', 'A'], ['s2', 'B']]);
    expect(plan.notes).toEqual([expect.objectContaining({ caseId: 'B', field: 'services_section.unique_id' })]);
  });

  it('drops case rows (and their services) that would overwrite rows of other Primero records already loaded', () => {
    const plan = planBatch([c(P1, 'A', [{ unique_id: 's1' }]), c(P2, 'B', [{ unique_id: 's2' }]), c(P3, 'C', [{ unique_id: 's3' }])], [], ref);
    const settled = settleConflicts(plan, new Map([['A', 'someone-else'], ['B', P2]]));
    expect(settled.cases.map((r) => r.case_id)).toEqual(['B', 'C']);
    expect(settled.services.map((s) => s.unique_id)).toEqual(['s2', 's3']);
    expect(settled.notes.map((n) => [n.caseId, n.field, n.kind])).toEqual([['A', 'case_id_display', 'rejected']]);
    // Only B was loaded before: only its services are there to replace.
    expect(settled.reloaded).toEqual(['B']);
  });

  it('marks the cases already loaded, whose services are replaced', () => {
    const plan = planBatch([c(P1, 'A', []), c(P2, 'B', []), c(P3, 'C', [])], [], ref);
    expect(settleConflicts(plan, new Map([['B', P2]])).reloaded).toEqual(['B']);
  });

  it('has nothing to replace when no case of the batch was loaded before', () => {
    const plan = planBatch([c(P1, 'A', [{ unique_id: 's1' }]), c(P2, 'B', [{ unique_id: 's2' }])], [], ref);
    const settled = settleConflicts(plan, new Map());
    expect(settled.reloaded).toEqual([]);
    expect(settled.services.map((s) => s.unique_id)).toEqual(['s1', 's2']);
  });

  it('drops services whose unique_id another case holds, and keeps those the case itself holds', () => {
    const plan = planBatch([c(P1, 'A', [{ unique_id: 's1' }, { unique_id: 's2' }]), c(P2, 'B', [{ unique_id: 's3' }])], [], ref);
    const settled = dropServiceConflicts(settleConflicts(plan, new Map()), new Map([['s1', 'A'], ['s3', 'Z']]));
    expect(settled.services.map((s) => s.unique_id)).toEqual(['s1', 's2']);
    expect(settled.notes).toEqual([
      { primeroId: null, caseId: 'B', field: 'services_section.unique_id', reason: 'service s3 already loaded under case Z', kind: 'rejected' },
    ]);
    expect(settled.cases.map((r) => r.case_id)).toEqual(['A', 'B']);
  });
});
