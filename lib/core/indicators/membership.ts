import { INDICATOR_RULES } from './declared.ts';

/**
 * Whether a case belongs to any declared indicator, by the same rules as its
 * Primero query (lib/core/indicators/declared.ts). Used on the membership query's
 * records: a changed case that matches none any more (a child who turned 18, a
 * case re-typed) is removed from `cases`.
 */
export function matchesAnIndicator(c: Record<string, unknown>): boolean {
  return INDICATOR_RULES.some((i) => i.includes(c));
}
