import { encodeQuery, type Query } from './query.ts';
import type { ListPage } from './client.ts';

/**
 * Read-ahead for keyset-paged case queries. When a job asks getCases for a
 * page with `{readAhead: {keyset: 'created_at'}}`, the adaptor requests the
 * page that follows it (as the caller's keyset paging will ask for it) as soon
 * as this one arrives, so Primero prepares it while the batch is mapped and
 * written. The next getCases with exactly that request takes it from here.
 *
 * Nothing depends on it for correctness: an entry is used once, only for the
 * identical request (same server, user and query string), only while fresh,
 * and a miss or a failed read-ahead means an ordinary request. The bookmark
 * and the inbox chain are untouched: the next batch still asks for its page.
 */
export interface KeysetReadAhead {
  /** The field the query pages on with a `from..` range, ascending. */
  keyset: string;
}

/**
 * The query for the page after `page`, or null when there is none. Mirrors
 * the sync's keyset cursor (lib/sync/paging.ts advanceCursor): more pages while
 * `total > page * per`; the next page starts at the last record's keyset value
 * (page 1), or, when the whole page shares the current start, at the next page.
 */
export function nextKeysetQuery(query: Query, page: ListPage<Record<string, unknown>>, keyset: string): Query | null {
  const per = Number(query.per);
  const pageNo = Number(query.page ?? 1);
  const total = page.metadata?.total;
  if (!Number.isInteger(per) || per < 1 || !Number.isInteger(pageNo) || typeof total !== 'number') return null;
  const count = page.data.length;
  if (count === 0 || total <= pageNo * per) return null;
  const range = typeof query[keyset] === 'string' ? (query[keyset] as string) : '';
  const after = range.endsWith('..') ? range.slice(0, -2) : null;
  let last: string | null = null;
  for (let i = count - 1; i >= 0 && last === null; i--) {
    const v = page.data[i]?.[keyset];
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) last = v;
  }
  if (last && last !== after) return { ...query, [keyset]: `${last}..`, page: 1 };
  return { ...query, page: pageNo + 1 };
}

interface Entry {
  at: number;
  page: Promise<ListPage<Record<string, unknown>> | null>;
}

export const READ_AHEAD_MAX_AGE_MS = 60_000;
/** A batch reads one page of each of a few queries: a handful of entries bounds the memory to one batch ahead. */
const MAX_ENTRIES = 6;

export class ReadAheadCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = READ_AHEAD_MAX_AGE_MS,
  ) {}

  static key(server: string, query: Query): string {
    return `${server} ${encodeQuery(query)}`;
  }

  /** Keeps a page being read; a failure is remembered as null (the caller then asks again itself). */
  put(key: string, page: Promise<ListPage<Record<string, unknown>>>): void {
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), page: page.catch(() => null) });
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The page read ahead for exactly this request, once; undefined when there is none or it is stale. */
  take(key: string): Promise<ListPage<Record<string, unknown>> | null> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    return this.now() - entry.at <= this.maxAgeMs ? entry.page : undefined;
  }

  clear(): void {
    this.entries.clear();
  }
}
