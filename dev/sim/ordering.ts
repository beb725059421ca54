/**
 * Pure: Primero's sort (§2.3). Default `created_at desc`; any `order` other than
 * asc/desc/ASC/DESC means asc. srch_ columns sort by their typed value, other
 * fields by jsonb ordering of `data->'field'`. NULLs (missing) sort last for asc
 * and first for desc, as in PostgreSQL. There is no tie-breaker: ties keep
 * storage order, so paging over ties is as unstable as on a real server.
 */
import type { SimCase } from './generator.ts';
import { fieldValue } from './filters.ts';
import type { RackValue } from './query-params.ts';

export interface Ordering {
  field: string;
  direction: 'asc' | 'desc';
}

export function parseOrdering(orderBy: RackValue | undefined, order: RackValue | undefined): Ordering {
  const field = typeof orderBy === 'string' && orderBy !== '' ? orderBy : 'created_at';
  const dir = typeof order === 'string' ? order : 'desc';
  const direction = dir === 'desc' || dir === 'DESC' ? 'desc' : 'asc';
  return { field, direction };
}

// PostgreSQL jsonb ordering across types: Object > Array > Boolean > Number > String > Null.
const rank = (v: unknown): number =>
  v === null ? 0 : typeof v === 'string' ? 1 : typeof v === 'number' ? 2 : typeof v === 'boolean' ? 3 : Array.isArray(v) ? 4 : 5;

export function compareJsonb(a: unknown, b: unknown): number {
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'string' || typeof a === 'number') return a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return a.length - b.length;
    for (let i = 0; i < a.length; i++) {
      const d = compareJsonb(a[i], b[i]);
      if (d !== 0) return d;
    }
    return 0;
  }
  return 0;
}

/** Sorts `indexes` (positions in `cases`) in place and returns them. */
export function sortIndexes(indexes: number[], cases: readonly SimCase[], ordering: Ordering): number[] {
  const field = ordering.field;
  // `id` is a column, not in data: data->'id' is NULL for every row (§2.3).
  const keys = indexes.map((i) => (field === 'id' ? undefined : fieldValue(cases[i] as SimCase, field)));
  const order = indexes.map((_, k) => k);
  const sign = ordering.direction === 'asc' ? 1 : -1;
  order.sort((x, y) => {
    const a = keys[x], b = keys[y];
    const an = a === undefined, bn = b === undefined;
    if (an || bn) {
      if (an && bn) return 0;
      // NULLS LAST for asc, NULLS FIRST for desc.
      return (an ? 1 : -1) * sign;
    }
    return sign * compareJsonb(a, b);
  });
  return order.map((k) => indexes[k] as number);
}
