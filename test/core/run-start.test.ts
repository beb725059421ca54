import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_SIZE, pageSizeFor, planRunStart, type UnfinishedRun } from '../../lib/core/run-start.ts';
import { quarterRunDue, quarterStart } from '../../lib/core/quarters.ts';
import { StartRequest } from '../../lib/core/job-states.ts';
import { firstCursor } from '../../lib/core/messages.ts';
import { check, parseAt } from '../../lib/core/schema.ts';

const now = new Date('2025-04-01T02:00:00.500Z');
const newRunId = '11111111-2222-4333-8444-555555555555';
const oldRunId = '99999999-8888-4777-8666-555555555555';
const request = (r: Record<string, unknown> = {}) => parseAt(StartRequest, { when: 'now', ...r }, 'test');
/** What the daily cron asks (it gives no input). */
const scheduled = (r: Record<string, unknown> = {}) => parseAt(StartRequest, r, 'test');
const saved = {
  runId: oldRunId,
  batch: 4,
  window: { from: '2025-01-01T00:00:00Z', to: '2025-03-01T00:00:00Z' },
  queries: { indicator_4_8: { ...firstCursor(1000), done: true }, indicator_4_11a: { ...firstCursor(1000), after: '2024-05-05T00:00:00.000Z' }, membership: firstCursor(1000) },
  dryRun: false,
};
const unfinished = (over: Partial<UnfinishedRun> = {}): UnfinishedRun => ({
  run_id: oldRunId,
  status: 'running',
  last_progress_at: new Date('2025-04-01T01:00:00Z'),
  window_from: new Date('2025-01-01T00:00:00Z'),
  window_to: new Date('2025-03-01T00:00:00Z'),
  next_message: saved,
  batches: 3,
  ...over,
});

describe('how a sync starts', () => {
  it('opens a first run over everything, up to its own start', () => {
    const s = planRunStart({ request: request(), unfinished: null, lastCompletedTo: null, newRunId, now, casesLoaded: true, per: 1000 });
    expect(s.action).toBe('open');
    expect(s.run).toMatchObject({ runId: newRunId, resumed: false, batch: 1, window: { from: '1970-01-01T00:00:00Z', to: '2025-04-01T02:00:00Z' } });
    expect(s.message?.queries.indicator_4_11a).toEqual(firstCursor(1000));
  });

  it('skips the membership query on a run over an empty cases table: no loaded case can have left', () => {
    const empty = planRunStart({ request: request(), unfinished: null, lastCompletedTo: null, newRunId, now, casesLoaded: false, per: 1000 });
    expect(empty.message?.queries.membership).toMatchObject({ done: true, total: 0 });
    expect(empty.message?.queries.indicator_4_8?.done).toBe(false);
    const loaded = planRunStart({ request: request(), unfinished: null, lastCompletedTo: null, newRunId, now, casesLoaded: true, per: 1000 });
    expect(loaded.message?.queries.membership?.done).toBe(false);
  });

  it('starts where the last completed run ended, minus the overlap', () => {
    const s = planRunStart({ request: request({ overlapSeconds: 60 }), unfinished: null, lastCompletedTo: new Date('2025-03-01T00:00:00Z'), newRunId, now, casesLoaded: true, per: 1000 });
    expect(s.run?.window.from).toBe('2025-02-28T23:59:00Z');
  });

  it('resumes an unfinished run from the message its last committed batch saved', () => {
    const s = planRunStart({ request: request(), unfinished: unfinished(), lastCompletedTo: null, newRunId, now, casesLoaded: true, per: 1000 });
    expect(s.action).toBe('resume');
    expect(s.message).toEqual(saved);
    expect(s.run).toMatchObject({ runId: oldRunId, resumed: true, batch: 4, window: { from: '2025-01-01T00:00:00.000Z', to: '2025-03-01T00:00:00.000Z' } });
  });

  it('resumes with a smaller page than its saved message (a platform output limit), never a larger one', () => {
    const smaller = planRunStart({ request: request(), unfinished: unfinished(), lastCompletedTo: null, newRunId, now, casesLoaded: true, per: 250 });
    expect(Object.values(smaller.message!.queries).map((c) => c.per)).toEqual([250, 250, 250]);
    expect(smaller.message!.queries.indicator_4_11a).toMatchObject({ after: '2024-05-05T00:00:00.000Z', page: 1 });
    const larger = planRunStart({ request: request(), unfinished: unfinished({ next_message: { ...saved, queries: { ...saved.queries, membership: { ...firstCursor(100), after: '2024-05-05T00:00:00.000Z', page: 4 } } } }), lastCompletedTo: null, newRunId, now, casesLoaded: true, per: 1000 });
    // Page 4 of 100 (records 300 on) inside one created_at: at 1000 a page that is page 1 again, read from the tie group's start.
    expect(larger.message!.queries.membership).toMatchObject({ per: 100, page: 4 });
    const tie = planRunStart({ request: request(), unfinished: unfinished({ next_message: { ...saved, queries: { ...saved.queries, membership: { ...firstCursor(100), after: '2024-05-05T00:00:00.000Z', page: 4 } } } }), lastCompletedTo: null, newRunId, now, casesLoaded: true, per: 30 });
    // Record 300 is on page 11 of 30 (records 300-329): nothing skipped.
    expect(tie.message!.queries.membership).toMatchObject({ per: 30, page: 11 });
  });

  it('takes the page size from the request, else the ONA credential, else the default; refuses a bad one in one line', () => {
    expect(pageSizeFor(request({ pageSize: 50 }), { pageSize: 200 })).toBe(50);
    expect(pageSizeFor(request(), { host: 'x', pageSize: 200 })).toBe(200);
    expect(pageSizeFor(request(), {})).toBe(DEFAULT_PAGE_SIZE);
    expect(() => pageSizeFor(request(), { pageSize: 5000 })).toThrow(/pageSize must be a whole number from 1 to 1000/);
  });

  it('starts a backfill (--since) as a new run even when one is unfinished', () => {
    const s = planRunStart({ request: request({ since: '2024-01-01T00:00:00Z' }), unfinished: unfinished(), lastCompletedTo: null, newRunId, now, casesLoaded: true, per: 1000 });
    expect(s).toMatchObject({ action: 'open', run: { runId: newRunId, window: { from: '2024-01-01T00:00:00Z' } } });
  });

  it('never resumes or writes in a dry run', () => {
    const s = planRunStart({ request: request({ dryRun: true, pageSize: 50 }), unfinished: unfinished(), lastCompletedTo: null, newRunId, now, casesLoaded: true, per: 50 });
    expect(s.action).toBe('dry-run');
    expect(s.message).toMatchObject({ dryRun: true, queries: { membership: { per: 50 } } });
  });

  it('refuses to resume from a saved message that is not valid', () => {
    expect(() => planRunStart({ request: request(), unfinished: unfinished({ next_message: { runId: 'x' } }), lastCompletedTo: null, newRunId, now, casesLoaded: true, per: 1000 })).toThrow(/cannot be resumed/);
  });
});

describe('the daily start (cron): a run only when the quarter is due, a stopped chain resumed', () => {
  const completedThisQuarter = new Date('2025-04-01T02:00:00Z');

  it('quarters begin at midnight in Phnom Penh (UTC+7)', () => {
    expect(quarterStart(new Date('2025-04-01T02:00:00Z')).toISOString()).toBe('2025-03-31T17:00:00.000Z');
    expect(quarterStart(new Date('2025-03-31T16:59:59Z')).toISOString()).toBe('2024-12-31T17:00:00.000Z');
    expect(quarterStart(new Date('2025-12-31T18:00:00Z')).toISOString()).toBe('2025-12-31T17:00:00.000Z');
  });

  it('opens no run mid-quarter after a completed one', () => {
    const s = planRunStart({ request: scheduled(), unfinished: null, lastCompletedTo: completedThisQuarter, newRunId, now: new Date('2025-05-15T02:00:00Z'), casesLoaded: true, per: 1000 });
    expect(s.action).toBe('none');
    expect(s.message).toBeNull();
    expect(s.action === 'none' && s.reason).toMatch(/next is due from 2025-06-30T17:00:00.000Z/);
  });

  it('opens one after a quarter boundary, from where the last run ended', () => {
    const s = planRunStart({ request: scheduled(), unfinished: null, lastCompletedTo: completedThisQuarter, newRunId, now: new Date('2025-07-01T02:00:00Z'), casesLoaded: true, per: 1000 });
    expect(s).toMatchObject({ action: 'open', run: { runId: newRunId, window: { from: '2025-04-01T01:59:00Z', to: '2025-07-01T02:00:00Z' } } });
  });

  it('catches up a missed quarter, and opens the very first run at once', () => {
    expect(quarterRunDue(new Date('2024-10-01T02:00:00Z'), new Date('2025-05-20T00:00:00Z'))).toBe(true);
    const first = planRunStart({ request: scheduled(), unfinished: null, lastCompletedTo: null, newRunId, now: new Date('2025-05-20T00:00:00Z'), casesLoaded: false, per: 1000 });
    expect(first.action).toBe('open');
  });

  it('resumes a failed chain the next day, from its bookmark', () => {
    const s = planRunStart({ request: scheduled(), unfinished: unfinished({ status: 'failed' }), lastCompletedTo: null, newRunId, now: new Date('2025-04-02T02:00:00Z'), casesLoaded: true, per: 1000 });
    expect(s).toMatchObject({ action: 'resume', message: saved });
  });

  it('resumes a running run whose batches stopped coming, and leaves alone one whose batches still flow', () => {
    const stalled = planRunStart({ request: scheduled(), unfinished: unfinished({ last_progress_at: new Date('2025-04-02T00:30:00Z') }), lastCompletedTo: null, newRunId, now: new Date('2025-04-02T02:00:00Z'), casesLoaded: true, per: 1000 });
    expect(stalled.action).toBe('resume');
    const flowing = planRunStart({ request: scheduled(), unfinished: unfinished({ last_progress_at: new Date('2025-04-02T01:55:00Z') }), lastCompletedTo: null, newRunId, now: new Date('2025-04-02T02:00:00Z'), casesLoaded: true, per: 1000 });
    expect(flowing).toMatchObject({ action: 'none', message: null });
  });

  it("ignores what Lightning's cron hands back (the last start's output), and refuses anything else it does not know", () => {
    expect(parseAt(StartRequest, { run: { runId: newRunId }, message: null, skipped: null, posted: undefined }, 'test').when).toBe('due');
    expect(check(StartRequest, { pagesize: 10 })).toEqual({ ok: false, error: 'pagesize: unknown key' });
  });
});
