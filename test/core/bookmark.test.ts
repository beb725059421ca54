import { describe, expect, it } from 'vitest';
import { bookmarkAfter, claimBatch, firstBookmark, firstQueries, readStoredBookmark } from '../../lib/core/bookmark.ts';
import { QUERY_IDS } from '../../lib/core/messages.ts';
import { SAMPLE_RUN_ID, sampleMessage } from '../support/batch-message.ts';

describe('the run bookmark', () => {
  const window = { from: '2024-01-01T00:00:00Z', to: '2024-04-01T00:00:00Z' };

  it('starts at batch 1 with a cursor per query; over an empty cases table the membership query is done', () => {
    const first = firstBookmark({ runId: SAMPLE_RUN_ID, window, per: 50, casesLoaded: false, dryRun: false });
    expect(first).toMatchObject({ runId: SAMPLE_RUN_ID, batch: 1, window, dryRun: false });
    expect(Object.keys(first.queries)).toEqual([...QUERY_IDS]);
    expect(first.queries.membership).toMatchObject({ done: true, total: 0 });
    expect(firstQueries(50, true).membership?.done).toBe(false);
  });

  it('moves to the next batch with the advanced cursors, and is spent when every query is done', () => {
    const m = { ...sampleMessage({ batch: 3 }), dryRun: false };
    const advanced = { ...m.queries, indicator_4_8: { ...m.queries.indicator_4_8!, done: true } };
    expect(bookmarkAfter(m, advanced)).toEqual({ ...m, batch: 4, queries: advanced });
    const done = Object.fromEntries(Object.entries(m.queries).map(([id, c]) => [id, { ...c, done: true }]));
    expect(bookmarkAfter(m, done)).toBeNull();
  });

  it.each([
    ['a saved message: resume there', { status: 'failed', next_message: sampleMessage({ batch: 5 }), batches: 4 }, 'next'],
    // Every batch committed and the run open cannot be: the last batch closes the run in its transaction.
    ['no message, batches committed: nothing to resume from', { status: 'running', next_message: null, batches: 4 }, 'unreadable'],
    ['no message, nothing committed: start over', { status: 'running', next_message: null, batches: 0 }, 'not-started'],
    ['a completed run', { status: 'completed', next_message: null, batches: 9 }, 'completed'],
    ['a message that is not valid', { status: 'running', next_message: { runId: 'x' }, batches: 2 }, 'unreadable'],
  ] as const)('reads back %s', (_what, row, state) => {
    expect(readStoredBookmark(row).state).toBe(state);
  });

  it.each([
    ['the run\'s bookmark: write it', { status: 'running', batches: 3 }, 4, 'write'],
    ['a batch committed already: a repeated delivery', { status: 'running', batches: 4 }, 4, 'duplicate'],
    ['any batch of a completed run', { status: 'completed', batches: 9 }, 9, 'duplicate'],
    ['a batch past the last of a completed run', { status: 'completed', batches: 9 }, 10, 'duplicate'],
    ['a run marked failed', { status: 'failed', batches: 3 }, 4, 'refuse'],
    ['a batch ahead of the bookmark', { status: 'running', batches: 1 }, 4, 'refuse'],
  ] as const)('claims %s', (_what, row, batch, decision) => {
    expect(claimBatch(row, { ...sampleMessage({ batch }), dryRun: false }).decision).toBe(decision);
  });

  it('reads a missing run as unreadable', () => {
    expect(readStoredBookmark(undefined)).toEqual({ state: 'unreadable', why: 'missing' });
  });
});
