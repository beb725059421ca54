import { describe, expect, it } from 'vitest';
import { nextKeysetQuery, ReadAheadCache } from '../../lib/primero/read-ahead.ts';
import type { ListPage } from '../../lib/primero/client.ts';
import { pageOutcome } from '../../lib/sync/fetched-pages.ts';
import { firstCursor, type QueryCursor } from '../../lib/sync/messages.ts';
import { advanceCursor } from '../../lib/sync/paging.ts';
import { type CasesQuery, casesQuery } from '../../lib/sync/queries.ts';

const window = { from: '1970-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' };
const page = (createdAts: string[], total: number): ListPage => ({
  data: createdAts.map((c, i) => ({ id: `id-${i}`, created_at: c })),
  metadata: { total, per: 3, page: 1 },
});

/** What the next batch will ask for, by the sync's own cursor logic; null when the query is done. */
function syncNext(cursor: QueryCursor, p: ListPage): CasesQuery | null {
  const next = advanceCursor(cursor, pageOutcome({ records: p.data, metadata: p.metadata }, cursor));
  return next.done ? null : casesQuery('indicator_4_8', next, window);
}

describe('nextKeysetQuery', () => {
  const cursors: [string, QueryCursor][] = [
    ['first page', firstCursor(3)],
    ['a later keyset page', { after: '2024-01-01T00:00:00.000Z', page: 1, per: 3, done: false, total: 10 }],
    ['a page past a run of equal created_at', { after: '2024-01-01T00:00:00.000Z', page: 2, per: 3, done: false, total: 10 }],
  ];
  const pages: [string, ListPage][] = [
    ['more to come', page(['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'], 10)],
    ['the whole page at the cursor', page(['2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'], 10)],
    ['the last page', page(['2024-03-01T00:00:00.000Z'], 3)],
    ['an empty page', page([], 0)],
  ];
  for (const [cname, cursor] of cursors) {
    for (const [pname, p] of pages) {
      it(`asks for what the next batch asks for: ${cname}, ${pname}`, () => {
        const query = casesQuery('indicator_4_8', cursor, window);
        expect(nextKeysetQuery(query, p, 'created_at')).toEqual(syncNext(cursor, p));
      });
    }
  }

  it('reads nothing ahead without metadata', () => {
    expect(nextKeysetQuery({ per: 3, page: 1 }, { data: [{ created_at: '2024-01-01T00:00:00Z' }] }, 'created_at')).toBeNull();
  });
});

describe('ReadAheadCache', () => {
  const result: ListPage = { data: [{ id: 'a' }], metadata: { total: 1, per: 1, page: 1 } };

  it('gives a page once, for the identical request only', async () => {
    const cache = new ReadAheadCache();
    cache.put(ReadAheadCache.key('s u', { page: 2, per: 1 }), Promise.resolve(result));
    expect(cache.take(ReadAheadCache.key('other u', { page: 2, per: 1 }))).toBeUndefined();
    expect(await cache.take(ReadAheadCache.key('s u', { page: 2, per: 1 }))).toBe(result);
    expect(cache.take(ReadAheadCache.key('s u', { page: 2, per: 1 }))).toBeUndefined();
  });

  it('forgets stale pages and turns a failed read into null (the caller asks again)', async () => {
    let now = 0;
    const cache = new ReadAheadCache(() => now, 1000);
    cache.put('stale', Promise.resolve(result));
    cache.put('failed', Promise.reject(new Error('503')));
    now = 500;
    expect(await cache.take('failed')).toBeNull();
    now = 2000;
    expect(cache.take('stale')).toBeUndefined();
  });
});
