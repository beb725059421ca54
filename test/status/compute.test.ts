import { describe, expect, it } from 'vitest';
import { computeStatus, scheduleAround, unreachableStatus, type LedgerRun } from '../../lib/status/compute.ts';

const CRON = '0 2 1 1,4,7,10 *';
const run = (over: Partial<LedgerRun>): LedgerRun => ({
  runId: 'r1',
  status: 'completed',
  windowFrom: '2026-01-01T02:00:00.000Z',
  windowTo: '2026-04-01T02:00:00.000Z',
  startedAt: '2026-04-01T02:00:00.000Z',
  finishedAt: '2026-04-01T02:10:00.000Z',
  lastProgressAt: '2026-04-01T02:10:00.000Z',
  batches: 3,
  cases: 120,
  services: 300,
  rejects: 2,
  nulled: 1,
  removed: 0,
  error: null,
  ...over,
});

describe('status (pure)', () => {
  it('knows the quarter run that is due and the next one', () => {
    const { lastDue, next } = scheduleAround(CRON, new Date('2026-05-15T00:00:00Z'));
    expect(lastDue?.toISOString()).toBe('2026-04-01T02:00:00.000Z');
    expect(next?.toISOString()).toBe('2026-07-01T02:00:00.000Z');
  });

  it('ok (exit 0): the last run completed after the quarter run became due', () => {
    const s = computeStatus({ runs: [run({})], lastRunRejects: [], cron: CRON, now: new Date('2026-05-15T00:00:00Z') });
    expect(s).toMatchObject({ state: 'ok', exitCode: 0, overdueSince: null, lastCompleted: { runId: 'r1' }, schedule: { next: '2026-07-01T02:00:00.000Z' } });
  });

  it('failed (exit 1): the newest run failed, with its error in the summary', () => {
    const s = computeStatus({ runs: [run({ runId: 'r2', status: 'failed', error: 'batch 3: step "fetch" failed: gave up after 5 attempts', finishedAt: null }), run({})], lastRunRejects: [], cron: CRON, now: new Date('2026-05-15T00:00:00Z') });
    expect(s.state).toBe('failed');
    expect(s.exitCode).toBe(1);
    expect(s.summary).toMatch(/r2 failed: batch 3: step "fetch" failed/);
  });

  it('failed: says what to do by how the run failed, and warns before refused credentials meet the next start', () => {
    const failed = (errorKind: LedgerRun['errorKind']) =>
      computeStatus({ runs: [run({ runId: 'r2', status: 'failed', error: 'batch 1: step "fetch" failed: Primero answered 401', errorKind, finishedAt: null })], lastRunRejects: [], cron: CRON, now: new Date('2026-05-15T00:00:00Z') }).summary;
    expect(failed('refused')).toMatch(/; correct the Primero credentials \(or the OpenFn credential\) before the next sync, which resumes it/);
    expect(failed('transient')).toMatch(/it may pass on its own; the next sync resumes it/);
    expect(failed('permanent')).not.toMatch(/Primero credentials|pass on its own/);
    expect(failed(null)).toMatch(/failed: .*; the next sync resumes it/);
  });

  it('overdue (exit 1): no run completed since the quarter run became due, past the grace time', () => {
    const input = { runs: [run({})], lastRunRejects: [], cron: CRON };
    expect(computeStatus({ ...input, now: new Date('2026-07-01T12:00:00Z') }).state).toBe('ok'); // within 24 h
    const s = computeStatus({ ...input, now: new Date('2026-07-03T00:00:00Z') });
    expect(s).toMatchObject({ state: 'overdue', exitCode: 1, overdueSince: '2026-07-02T02:00:00.000Z' });
    expect(computeStatus({ ...input, now: new Date('2026-07-01T12:00:00Z'), graceHours: 1 }).state).toBe('overdue');
  });

  it('a run under way is healthy until it makes the quarter run overdue', () => {
    const runs = [run({ runId: 'r2', status: 'running', startedAt: '2026-07-01T02:00:00.000Z', lastProgressAt: '2026-07-01T02:55:00.000Z', finishedAt: null }), run({})];
    const syncLock = { held: true, takenAt: '2026-07-01T02:00:00.000Z', releasedAt: null };
    expect(computeStatus({ runs, lastRunRejects: [], cron: CRON, now: new Date('2026-07-01T03:00:00Z'), syncLock })).toMatchObject({ state: 'running', exitCode: 0 });
    expect(computeStatus({ runs, lastRunRejects: [], cron: CRON, now: new Date('2026-07-04T03:00:00Z'), syncLock })).toMatchObject({ state: 'overdue', exitCode: 1 });
  });

  describe('a running run: live or stopped', () => {
    const now = new Date('2026-05-15T10:00:00Z');
    const running = run({ runId: 'r2', status: 'running', startedAt: '2026-05-15T09:00:00.000Z', lastProgressAt: '2026-05-15T09:58:00.000Z', finishedAt: null, batches: 7 });
    const status = (syncLock: Parameters<typeof computeStatus>[0]['syncLock'], r = running) => computeStatus({ runs: [r, run({})], lastRunRejects: [], cron: CRON, now, syncLock });

    it('running (exit 0) while a local sync holds the sync lock', () => {
      expect(status({ held: true, takenAt: '2026-05-15T09:00:00.000Z', releasedAt: null })).toMatchObject({ state: 'running', exitCode: 0 });
    });

    it('stopped (exit 1) once the lock is free and the last batch committed under it: killed (never released) or interrupted (released)', () => {
      for (const releasedAt of [null, '2026-05-15T09:58:30.000Z']) {
        const s = status({ held: false, takenAt: '2026-05-15T09:00:00.000Z', releasedAt });
        expect(s).toMatchObject({ state: 'stopped', exitCode: 1 });
        expect(s.summary).toMatch(/^run r2 stopped with 7 batches committed: the sync that ran it ended without completing it \(the sync lock is free\); last batch committed 2026-05-15T09:58:00.000Z; the next sync resumes it/);
      }
    });

    it('a platform chain (no local lock drove it) is running while batches commit within the stall window, stopped after', () => {
      // A local sync released the lock before this run's batches: they are the platform's.
      const earlierLocal = { held: false, takenAt: '2026-05-01T00:00:00.000Z', releasedAt: '2026-05-01T00:10:00.000Z' };
      for (const lock of [undefined, { held: false, takenAt: null, releasedAt: null }, earlierLocal]) {
        const s = status(lock);
        expect(s).toMatchObject({ state: 'running', exitCode: 0 });
        expect(s.summary).toMatch(/a platform chain; stopped if none commits by 2026-05-15T10:58:00.000Z/);
        const idle = status(lock, { ...running, lastProgressAt: '2026-05-15T08:59:00.000Z' });
        expect(idle).toMatchObject({ state: 'stopped', exitCode: 1 });
        expect(idle.summary).toMatch(/no batch has committed since 2026-05-15T08:59:00.000Z \(over 60 minutes\)/);
      }
    });
  });

  it('never run (exit 1) and unreachable (exit 2)', () => {
    expect(computeStatus({ runs: [], lastRunRejects: [], cron: CRON, now: new Date('2026-05-15T00:00:00Z') })).toMatchObject({ state: 'never-run', exitCode: 1 });
    expect(unreachableStatus('cannot connect', new Date('2026-05-15T00:00:00Z'), CRON)).toMatchObject({ state: 'unreachable', exitCode: 2, schedule: { next: '2026-07-01T02:00:00.000Z' } });
  });
});

describe('status as text', () => {
  it('fits its tables in the width asked (100 columns by default), wrapping a long error or reason, with the newest run id whole', async () => {
    const { formatStatus } = await import('../../lib/status/format.ts');
    const long = 'batch 12: step "fetch" failed: Primero GET https://primero.example.org/api/v2/cases?page=12&per=1000 answered 503 Service Unavailable after 5 attempts over 120 s';
    const runs = [
      run({ runId: '3f0c1a2b-1111-4a2b-9c3d-000000000001', status: 'failed', error: long, finishedAt: null, cases: 123456, services: 654321 }),
      run({ runId: '9a8b7c6d-1111-4a2b-9c3d-000000000002' }),
    ];
    const rejects = [{ kind: 'nulled', field: 'services_section.service_implemented_day_time', reason: 'service …: not a date-time, and a reason long enough to need more than one line of the table', count: 12 }];
    const s = computeStatus({ runs, lastRunRejects: rejects, cron: CRON, now: new Date('2026-05-15T00:00:00Z') });
    for (const width of [100, 140]) {
      const lines = formatStatus(s, 'PostgreSQL at db.example.org:5432/ona', width).split('\n');
      // The tables (after the status, database and schedule lines) fit.
      const tables = lines.slice(lines.indexOf(''));
      expect(tables.length).toBeGreaterThan(8);
      for (const l of tables) expect(l.length, l).toBeLessThanOrEqual(width);
      const text = lines.join('\n');
      expect(text).toContain('Rejects of run 3f0c1a2b-1111-4a2b-9c3d-000000000001 by field and reason:');
      expect(text).toMatch(/^3f0c1a2b {2}failed +2026-01-01\.\.2026-04-01 {2}2026-04-01 02:00Z +\S+ +3 +123456 +2$/m);
      expect(text).toMatch(/^ {2}error: batch 12/m);
      // The whole error is there, wrapped under its run, and the whole reason.
      expect(text.replace(/\s+/g, ' ')).toContain(`error: ${long}`);
      expect(text.replace(/\s+/g, ' ')).toContain('not a date-time, and a reason long enough to need more than one line of the table');
    }
    const byDefault = formatStatus(s).split('\n');
    expect(byDefault.slice(byDefault.indexOf('')).every((l) => l.length <= 100)).toBe(true);
  });
});
