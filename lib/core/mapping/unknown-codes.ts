import type { Note } from './map-case.ts';

/**
 * Unknown option and location codes, aggregated: one entry per field and code
 * with the number of cases that carry it. This is what an operator needs to
 * fix data_dictionary, locations_lookup or the Primero form; no case id goes
 * with it, so a child's sex or village never sits next to their case id in a
 * report. Pure.
 */
export interface UnknownCode {
  field: string;
  code: string;
  /** Cases of the batch carrying this code in this field (a case counts once, however many services carry it). */
  cases: number;
  reason: string;
}

/** `loaded`: Primero ids of the cases the batch writes; codes of records it does not write (rejected, disabled) are left out. */
export function unknownCodes(notes: readonly Note[], loaded?: ReadonlySet<string>): UnknownCode[] {
  const groups = new Map<string, { field: string; code: string; reason: string; cases: Set<string> }>();
  for (const n of notes) {
    if (n.kind !== 'unknown_code' || n.code === undefined) continue;
    if (loaded && (n.primeroId === null || !loaded.has(n.primeroId))) continue;
    const key = `${n.field}\u0000${n.code}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { field: n.field, code: n.code, reason: n.reason, cases: new Set() }));
    g.cases.add(n.primeroId ?? n.caseId ?? '');
  }
  return [...groups.values()]
    .map((g) => ({ field: g.field, code: g.code, cases: g.cases.size, reason: g.reason }))
    .sort((a, b) => (a.field === b.field ? (a.code < b.code ? -1 : 1) : a.field < b.field ? -1 : 1));
}
