import { PRIMERO_ID } from '../mapping/map-case.ts';
import { INDICATORS } from '../indicators/declared.ts';

/**
 * Whether a case belongs to any declared indicator, by the same rules as its
 * Primero query (lib/indicators/declared.ts). Used on the membership query's
 * records: a changed case that matches none any more (a child who turned 18, a
 * case re-typed) is removed from `cases`.
 */
export function matchesAnIndicator(c: Record<string, unknown>): boolean {
  return INDICATORS.some((i) => i.includes(c));
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
