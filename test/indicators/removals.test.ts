import { describe, expect, it } from 'vitest';
import { removedCounts, splitRemovals } from '../../lib/core/removals.ts';
import { isDisabled } from '../../lib/core/records.ts';
import { mapCase, type CaseRow, type Note, type ServiceRow } from '../../lib/core/mapping/map-case.ts';
import { unknownCodes } from '../../lib/core/mapping/unknown-codes.ts';
import type { ReferenceData } from '../../lib/core/mapping/reference-data.ts';

const ref: ReferenceData = {
  labels: { sex: new Map([['male', 'Male']]), disability_type: new Map(), protection_concerns: new Map(), service_type: new Map([['counselling', 'Counselling']]) },
  districts: new Map([['1006', { district: 'Chetr Borei', province: 'Kratie', provinceCode: '10' }]]),
};
const id = (n: number) => `6f1c8a57-1111-4a2b-9c3d-${String(n).padStart(12, '0')}`;
const record = (n: number, extra: Record<string, unknown> = {}) => ({
  id: id(n),
  case_id_display: `c${n}`,
  last_updated_at: '2025-02-01T00:00:00.000Z',
  age: 5,
  sex: 'male',
  services_section: [{ unique_id: `s${n}`, service_type: 'counselling' }],
  ...extra,
});

function planOf(records: Record<string, unknown>[]) {
  const plan = { cases: [] as CaseRow[], services: [] as ServiceRow[], notes: [] as Note[] };
  for (const r of records) {
    const m = mapCase(r, ref);
    if (!m.ok) throw new Error(m.reject.reason);
    plan.cases.push(m.row);
    plan.services.push(...m.services);
    plan.notes.push(...m.notes);
  }
  return plan;
}

describe('disabled cases leave the batch', () => {
  it('takes a disabled case out of the cases to write (nothing of it is written or reported), as a removal for reason disabled', () => {
    const { cases, removals } = splitRemovals([record(1), record(2, { record_state: false, sex: 'robot' }), record(3, { enabled: false })], []);
    expect(cases.map((c) => c.case_id_display)).toEqual(['c1']);
    expect(removals).toEqual([
      { primero_id: id(2), seen_at: '2025-02-01T00:00:00.000Z', reason: 'disabled' },
      { primero_id: id(3), seen_at: '2025-02-01T00:00:00.000Z', reason: 'disabled' },
    ]);
  });

  it('leaves a batch without disabled cases as it is', () => {
    const cases = [record(1)];
    expect(splitRemovals(cases, [])).toEqual({ cases, removals: [] });
  });

  it('passes a disabled record it cannot remove (no usable id) on to the mapping, which rejects it with its reason', () => {
    const bad = record(4, { id: 'not-a-uuid', record_state: false });
    expect(splitRemovals([bad], []).cases).toEqual([bad]);
  });

  it('reads disabled the way Primero says it: record_state false (or "false"), or enabled false', () => {
    expect(isDisabled({ record_state: false })).toBe(true);
    expect(isDisabled({ record_state: 'false' })).toBe(true);
    expect(isDisabled({ enabled: false })).toBe(true);
    expect(isDisabled({ record_state: true, enabled: true })).toBe(false);
    expect(isDisabled({})).toBe(false);
  });
});

describe('removals from the membership query', () => {
  const at = '2025-03-01T10:00:00.000Z';
  it('removes cases that left both indicators (left) and disabled ones (disabled), skipping what the batch loads', () => {
    const membership = [
      { id: id(1), age: 19, last_updated_at: at }, // left
      { id: id(2), age: 5, last_updated_at: at, record_state: false }, // still matches, but disabled
      { id: id(3), age: 30, last_updated_at: at, enabled: false }, // left and disabled: disabled
      { id: id(4), age: 5, last_updated_at: at }, // still in 4.11a
      { id: id(5), age: 19, last_updated_at: at }, // loaded by this batch anyway
      { id: 'not-a-uuid', age: 19, last_updated_at: at },
      { id: id(6), age: 19, last_updated_at: 'yesterday' },
    ];
    expect(splitRemovals([record(5)], membership).removals).toEqual([
      { primero_id: id(1), seen_at: at, reason: 'left' },
      { primero_id: id(2), seen_at: at, reason: 'disabled' },
      { primero_id: id(3), seen_at: at, reason: 'disabled' },
    ]);
  });

  it('merges the sightings: one removal per case, disabled wins, the latest sighting counts', () => {
    const removals = splitRemovals(
      [record(1, { record_state: false, last_updated_at: '2025-01-01T00:00:00.000Z' })],
      [{ id: id(1), age: 30, last_updated_at: '2025-02-01T00:00:00.000Z' }, { id: id(2), age: 30, last_updated_at: at }],
    ).removals;
    expect(removals).toEqual([
      { primero_id: id(1), seen_at: '2025-02-01T00:00:00.000Z', reason: 'disabled' },
      { primero_id: id(2), seen_at: at, reason: 'left' },
    ]);
  });

  it('reads the SQL answer as counts by reason', () => {
    expect(removedCounts([{ left_count: '2', disabled_count: 1 }])).toEqual({ left: 2, disabled: 1 });
    expect(removedCounts(undefined)).toEqual({ left: 0, disabled: 0 });
  });
});

describe('unknown codes, aggregated', () => {
  it('counts the cases carrying each unknown code per field, once per case, only for cases loaded', () => {
    const plan = planOf([
      record(1, { sex: 'robot', services_section: [{ unique_id: 'a', service_type: 'new_one' }, { unique_id: 'b', service_type: 'new_one' }] }),
      record(2, { sex: 'robot', location_current: '2501' }),
      record(3, { sex: 'robot' }),
    ]);
    const loaded = new Set([id(1), id(2)]);
    expect(unknownCodes(plan.notes, loaded).map(({ field, code, cases }) => ({ field, code, cases }))).toEqual([
      { field: 'location_current', code: '2501', cases: 1 },
      { field: 'services_section.service_type', code: 'new_one', cases: 1 },
      { field: 'sex', code: 'robot', cases: 2 },
    ]);
    expect(unknownCodes(plan.notes).find((u) => u.field === 'sex')?.cases).toBe(3);
  });

});
