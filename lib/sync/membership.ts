import { PRIMERO_ID } from '../mapping/map-case.ts';
import { REINTEGRATION_TYPE } from './queries.ts';

/**
 * Whether a case belongs to either indicator, by the same rules as the Primero
 * queries (type_of_case exact; age 0..17 inclusive, numbers only). Used on the
 * membership query's records: a changed case that matches neither any more (a
 * child who turned 18, a case re-typed) is removed from `cases`.
 */
export function matchesAnIndicator(c: Record<string, unknown>): boolean {
  if (c.type_of_case === REINTEGRATION_TYPE) return true;
  const age = c.age;
  return typeof age === 'number' && Number.isInteger(age) && age >= 0 && age <= 17;
}

export interface Leaver {
  primeroId: string;
  lastUpdatedAt: string;
}

/** Changed cases that match neither indicator, minus those this batch loads anyway. */
export function leavers(membership: readonly Record<string, unknown>[], loadedIds: ReadonlySet<string>): Leaver[] {
  const out: Leaver[] = [];
  for (const c of membership) {
    // A non-UUID id cannot be in `cases` (uuid column) and would fail the DELETE's cast.
    if (typeof c.id !== 'string' || !PRIMERO_ID.test(c.id) || loadedIds.has(c.id) || matchesAnIndicator(c)) continue;
    const t = typeof c.last_updated_at === 'string' ? Date.parse(c.last_updated_at) : NaN;
    if (Number.isNaN(t)) continue;
    out.push({ primeroId: c.id, lastUpdatedAt: new Date(t).toISOString() });
  }
  return out;
}
