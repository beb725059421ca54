import { describe, expect, it } from 'vitest';
import { planRunStart, type UnfinishedRun } from '../../lib/core/run-start.ts';
import { quarterRunDue, quarterStart } from '../../lib/core/quarters.ts';
import { StartRequest } from '../../lib/core/job-states.ts';
import { firstCursor } from '../../lib/core/messages.ts';

const now = new Date('2025-04-01T02:00:00.500Z');
const newRunId = '11111111-2222-4333-8444-555555555555';
const oldRunId = '99999999-8888-4777-8666-555555555555';
const request = (r: Record<string, unknown> = {}) => StartRequest.parse({ when: 'now', ...r });
/** What the daily cron asks (it gives no input). */
const scheduled = (r: Record<string, unknown> = {}) => StartRequest.parse(r);
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
    const s = planRunStart({ request: request(), unfinished: null, lastCompletedTo: null, newRunId, now, casesLoaded: true });
    expect(s.action).toBe('open');
    expect(s.run).toMatchObject({ runId: newRunId, resumed: false, batch: 1, window: { from: '1970-01-01T00:00:00Z', to: '2025-04-01T02:00:00Z' } });
    expect(s.message?.queries.indicator_4_11a).toEqual(firstCursor(1000));
  });

  it('skips the membership query on a run over an empty cases table: no loaded case can have left', () => {
    const empty = planRunStart({ request: request(), unfinished: null, lastCompletedTo: null, newRunId, now, casesLoaded: false });
    expect(empty.message?.queries.membership).toMatchObject({ done: true, total: 0 });
    expect(empty.message?.queries.indicator_4_8?.done).toBe(false);
    const loaded = planRunStart({ request: request(), unfinished: null, lastCompletedTo: null, newRunId, now, casesLoaded: true });
    expect(loaded.message?.queries.membership?.done).toBe(false);
  });

  it('starts where the last completed run ended, minus the overlap', () => {
    const s = planRunStart({ request: request({ overlapSeconds: 60 }), unfinished: null, lastCompletedTo: new Date('2025-03-01T00:00:00Z'), newRunId, now, casesLoaded: true });
    expect(s.run?.window.from).toBe('2025-02-28T23:59:00Z');
  });

  it('resumes an unfinished run from the message its last committed batch saved', () => {
    const s = planRunStart({ request: request(), unfinished: unfinished(), lastCompletedTo: null, newRunId, now, casesLoaded: true });
    expect(s.action).toBe('resume');
    expect(s.message).toEqual(saved);
    expect(s.run).toMatchObject({ runId: oldRunId, resumed: true, batch: 4, window: { from: '2025-01-01T00:00:00.000Z', to: '2025-03-01T00:00:00.000Z' } });
  });

  it('only closes an unfinished run whose every batch was committed', () => {
    const s = planRunStart({ request: request(), unfinished: unfinished({ next_message: null, batches: 7 }), lastCompletedTo: null, newRunId, now, casesLoaded: true });
    expect(s).toMatchObject({ action: 'close', message: null, run: { complete: true, runId: oldRunId } });
  });

  it('starts a backfill (--since) as a new run even when one is unfinished', () => {
    const s = planRunStart({ request: request({ since: '2024-01-01T00:00:00Z' }), unfinished: unfinished(), lastCompletedTo: null, newRunId, now, casesLoaded: true });
    expect(s).toMatchObject({ action: 'open', run: { runId: newRunId, window: { from: '2024-01-01T00:00:00Z' } } });
  });

  it('never resumes or writes in a dry run', () => {
    const s = planRunStart({ request: request({ dryRun: true, pageSize: 50 }), unfinished: unfinished(), lastCompletedTo: null, newRunId, now, casesLoaded: true });
    expect(s.action).toBe('dry-run');
    expect(s.message).toMatchObject({ dryRun: true, queries: { membership: { per: 50 } } });
  });

  it('refuses to resume from a saved message that is not valid', () => {
    expect(() => planRunStart({ request: request(), unfinished: unfinished({ next_message: { runId: 'x' } }), lastCompletedTo: null, newRunId, now, casesLoaded: true })).toThrow(/cannot be resumed/);
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
    const s = planRunStart({ request: scheduled(), unfinished: null, lastCompletedTo: completedThisQuarter, newRunId, now: new Date('2025-05-15T02:00:00Z'), casesLoaded: true });
    expect(s.action).toBe('none');
    expect(s.message).toBeNull();
    expect(s.action === 'none' && s.reason).toMatch(/next is due from 2025-06-30T17:00:00.000Z/);
  });

  it('opens one after a quarter boundary, from where the last run ended', () => {
    const s = planRunStart({ request: scheduled(), unfinished: null, lastCompletedTo: completedThisQuarter, newRunId, now: new Date('2025-07-01T02:00:00Z'), casesLoaded: true });
    expect(s).toMatchObject({ action: 'open', run: { runId: newRunId, window: { from: '2025-04-01T01:59:00Z', to: '2025-07-01T02:00:00Z' } } });
  });

  it('catches up a missed quarter, and opens the very first run at once', () => {
    expect(quarterRunDue(new Date('2024-10-01T02:00:00Z'), new Date('2025-05-20T00:00:00Z'))).toBe(true);
    const first = planRunStart({ request: scheduled(), unfinished: null, lastCompletedTo: null, newRunId, now: new Date('2025-05-20T00:00:00Z'), casesLoaded: false });
    expect(first.action).toBe('open');
  });

  it('resumes a failed chain the next day, from its bookmark', () => {
    const s = planRunStart({ request: scheduled(), unfinished: unfinished({ status: 'failed' }), lastCompletedTo: null, newRunId, now: new Date('2025-04-02T02:00:00Z'), casesLoaded: true });
    expect(s).toMatchObject({ action: 'resume', message: saved });
  });

  it('resumes a running run whose batches stopped coming, and leaves alone one whose batches still flow', () => {
    const stalled = planRunStart({ request: scheduled(), unfinished: unfinished({ last_progress_at: new Date('2025-04-02T00:30:00Z') }), lastCompletedTo: null, newRunId, now: new Date('2025-04-02T02:00:00Z'), casesLoaded: true });
    expect(stalled.action).toBe('resume');
    const flowing = planRunStart({ request: scheduled(), unfinished: unfinished({ last_progress_at: new Date('2025-04-02T01:55:00Z') }), lastCompletedTo: null, newRunId, now: new Date('2025-04-02T02:00:00Z'), casesLoaded: true });
    expect(flowing).toMatchObject({ action: 'none', message: null });
  });

  it("ignores what Lightning's cron hands back (the last start's output), and refuses anything else it does not know", () => {
    expect(StartRequest.parse({ run: { runId: newRunId }, message: null, skipped: null, posted: undefined }).when).toBe('due');
    expect(StartRequest.safeParse({ pagesize: 10 }).success).toBe(false);
  });
});
