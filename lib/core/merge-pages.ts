/**
 * Both indicator queries can return the same case (a child under 18 in
 * reintegration), and keyset paging re-reads the boundary record: merge the
 * pages and keep one record per Primero `id`, the most recently updated.
 */
export type RawCase = Record<string, unknown>;

function updatedAt(c: RawCase): number {
  const t = typeof c.last_updated_at === 'string' ? Date.parse(c.last_updated_at) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

export interface MergedCases {
  cases: RawCase[];
  /** Records without a usable `id`: they cannot be de-duplicated and are passed on to be rejected. */
  withoutId: RawCase[];
  duplicates: number;
}

export function mergeById(pages: readonly (readonly unknown[])[]): MergedCases {
  const byId = new Map<string, RawCase>();
  const withoutId: RawCase[] = [];
  let duplicates = 0;
  for (const page of pages) {
    for (const item of page) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        withoutId.push({ value: typeof item } as RawCase);
        continue;
      }
      const c = item as RawCase;
      const id = c.id;
      if (typeof id !== 'string' || id.length === 0) {
        withoutId.push(c);
        continue;
      }
      const seen = byId.get(id);
      if (seen) {
        duplicates++;
        if (updatedAt(c) < updatedAt(seen)) continue;
      }
      byId.set(id, c);
    }
  }
  return { cases: [...byId.values()], withoutId, duplicates };
}
