import { describe, expect, it } from 'vitest';
import { advanceCursor, batchesLeft, pagesLeft } from '../../lib/core/paging.ts';
import { bookmarkAfter } from '../../lib/core/bookmark.ts';
import { firstCursor, type BatchMessage } from '../../lib/core/messages.ts';
import { casesQuery } from '../../lib/core/queries.ts';
import { sampleMessage } from '../support/batch-message.ts';

describe('keyset paging decision', () => {
  const c = firstCursor(100);

  it('is done when Primero has no more than one page', () => {
    expect(advanceCursor(c, { total: 100, count: 100, lastCreatedAt: '2024-01-01T00:00:00.000Z', lastIds: [] })).toMatchObject({ done: true, total: 100 });
    expect(advanceCursor(c, { total: 0, count: 0, lastCreatedAt: null, lastIds: [] })).toMatchObject({ done: true });
  });

  it('moves the cursor to the last created_at and back to page 1 when more remain', () => {
    expect(advanceCursor(c, { total: 250, count: 100, lastCreatedAt: '2024-02-03T04:05:06.789Z', lastIds: ['a', 'b'] })).toEqual({
      after: '2024-02-03T04:05:06.789Z',
      page: 1,
      per: 100,
      done: false,
      total: 250,
      // The next page starts at that created_at again and leaves out what this page read of it.
      seen: ['a', 'b'],
    });
  });

  it('advances the page when a whole page shares the cursor\'s created_at, so it never loops', () => {
    const at = '2024-02-03T04:05:06.789Z';
    const stuck = { ...c, after: at };
    expect(advanceCursor(stuck, { total: 300, count: 100, lastCreatedAt: at, lastIds: [] })).toMatchObject({ after: at, page: 2 });
  });

  it('stops on an empty page even if metadata claims more (a contradicting page)', () => {
    expect(advanceCursor(c, { total: 5000, count: 0, lastCreatedAt: null, lastIds: [] }).done).toBe(true);
  });

  it('counts pages and batches left from the totals', () => {
    expect(pagesLeft({ ...c, total: 250 })).toBe(3);
    expect(pagesLeft({ ...c, total: 250, page: 2 })).toBe(2);
    expect(pagesLeft({ ...c, done: true, total: 250 })).toBe(0);
    expect(pagesLeft(c)).toBe(1);
    expect(batchesLeft({ indicator_4_8: { ...c, total: 120 }, indicator_4_11a: { ...c, total: 950 }, membership: { ...c, done: true, total: 1 } })).toBe(10);
  });

  it('carries run id and window into the next message, and ends the run when all queries are done', () => {
    const msg: BatchMessage = { ...sampleMessage({ batch: 3, queries: { indicator_4_8: c, indicator_4_11a: c, membership: c } }), dryRun: false };
    const advanced = { ...msg.queries, indicator_4_8: { ...c, done: true } };
    expect(bookmarkAfter(msg, advanced)).toEqual({ ...msg, batch: 4, queries: advanced });
    expect(bookmarkAfter(msg, { indicator_4_8: { ...c, done: true }, indicator_4_11a: { ...c, done: true }, membership: { ...c, done: true } })).toBeNull();
  });
});

describe('Primero queries', () => {
  const window = { from: '2024-01-01T00:00:00Z', to: '2024-04-01T00:00:00Z' };

  it('asks 4.11a for ages 0..17 inclusive, in the window, in created_at order, only the mapped fields', () => {
    const q = casesQuery('indicator_4_11a', firstCursor(1000), window);
    expect(q).toMatchObject({ age: '0..17', not: { type_of_case: 'children_undergoing_reintegration_55427' }, last_updated_at: '2024-01-01T00:00:00Z..2024-04-01T00:00:00Z', order_by: 'created_at', order: 'asc', per: 1000, page: 1 });
    expect(String(q.fields).split(',')).toEqual(expect.arrayContaining(['case_id_display', 'services_section', 'location_current']));
    expect(q).not.toHaveProperty('record_state');
    expect(q).not.toHaveProperty('created_at');
  });

  it('asks 4.8 for the reintegration case type and resumes after the cursor', () => {
    const q = casesQuery('indicator_4_8', { ...firstCursor(500), after: '2024-02-03T04:05:06.789Z' }, window);
    expect(q).toMatchObject({ type_of_case: 'children_undergoing_reintegration_55427', created_at: '2024-02-03T04:05:06.789Z..' });
  });

  it('asks the membership query for a handful of fields only', () => {
    const q = casesQuery('membership', firstCursor(1000), window);
    expect(String(q.fields).split(',').sort()).toEqual(['age', 'created_at', 'id', 'last_updated_at', 'record_state', 'type_of_case']);
    expect(q).not.toHaveProperty('age');
  });
});
