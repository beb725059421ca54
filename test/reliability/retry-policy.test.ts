import { describe, expect, it } from 'vitest';
import { BatchRefused, classifyDatabaseFailure, NotThisBatch } from '../../lib/core/database-failure.ts';
import { retrying, RetryExhausted } from '../../lib/core/retry.ts';
import { readStoredBookmark } from '../../lib/core/bookmark.ts';
import { sampleMessage } from '../support/batch-message.ts';

/** The one retry rule: which failures are worth another try (by type, never by their text), and where a run is taken up again. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('which database failures may pass on their own, by type', () => {
  it.each([
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', pgError('ECONNRESET', 'read ECONNRESET')],
    ["pg's own lost connection (a plain Error, no code)", new Error('Connection terminated unexpectedly')],
    ['the server shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['the server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['too many clients (53300)', pgError('53300', 'sorry, too many clients already')],
    ['a connection failure (08006)', pgError('08006', 'connection failure')],
    ['a serialization failure (40001)', pgError('40001', 'could not serialize access')],
    ['a deadlock (40P01)', pgError('40P01', 'deadlock detected')],
  ])('retried: %s', (_what, e) => expect(classifyDatabaseFailure(e).transient).toBe(true));

  it.each([
    ['a missing relation (42P01)', pgError('42P01', 'relation "cases" does not exist')],
    ['a constraint (23505), even with a transient-sounding text', pgError('23505', 'duplicate key: connection terminated')],
    ['a bad password (28P01)', pgError('28P01', 'password authentication failed for user "ona"')],
    ['a TypeError (a bug), even saying ECONNRESET', new TypeError('ECONNRESET is not a function')],
    ['a batch the job refused', new BatchRefused('services: 3 to load but 2 inserted; batch not written')],
    ['a message that is not the run\'s bookmark', new NotThisBatch('batch 5 is not the next one')],
  ])('not retried: %s', (_what, e) => expect(classifyDatabaseFailure(e).transient).toBe(false));

  it('says the SQLSTATE beside the first line, and nothing after it', () => {
    expect(classifyDatabaseFailure(pgError('42P01', 'relation "cases" does not exist\nLINE 1: SELECT'))).toEqual({ transient: false, line: 'relation "cases" does not exist (SQLSTATE 42P01)' });
  });
});

describe('retrying', () => {
  const fast = { maxAttempts: 4, minDelayMs: 1, maxDelayMs: 2, maxTotalMs: 5000 };
  const classify = classifyDatabaseFailure;

  it('tries a transient failure again, up to the policy, and then gives the last failure, typed', async () => {
    let tries = 0;
    const lines: string[] = [];
    const failed = retrying('batch 3', async () => { tries++; throw pgError('ECONNREFUSED', 'connect ECONNREFUSED'); }, fast, { classify, log: (l) => lines.push(l) });
    await expect(failed).rejects.toBeInstanceOf(RetryExhausted);
    await expect(failed).rejects.toThrow(/^connect ECONNREFUSED \(gave up after 4 attempts\)$/);
    expect(tries).toBe(4);
    // Each retry line says who retries once: no "batch 3: batch 3:".
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => /^batch 3: connect ECONNREFUSED; trying again in [\d.]+ s \(try \d of 4\)$/.test(l))).toBe(true);
  });

  it('does not try a permanent failure again', async () => {
    let tries = 0;
    await expect(retrying('x', async () => { tries++; throw pgError('42501', 'permission denied'); }, fast, { classify })).rejects.toThrow(/permission denied/);
    expect(tries).toBe(1);
  });

  it('runs beforeRetry before each new try and returns the first success', async () => {
    const seen: number[] = [];
    const r = await retrying('x', async (n) => { if (n < 3) throw new Error('Connection terminated'); return n; }, fast, { classify, beforeRetry: (_f, n) => { seen.push(n); } });
    expect(r).toBe(3);
    expect(seen).toEqual([2, 3]);
  });
});

describe('where a run is taken up again: the ledger bookmark', () => {
  const message = sampleMessage({ batch: 4 }, 10);
  it.each([
    ['the first uncommitted batch', { status: 'running', next_message: message, batches: 3 }, { state: 'next', message: { ...message, dryRun: false } }],
    ['a failed run, from its bookmark', { status: 'failed', next_message: message, batches: 3 }, { state: 'next', message: { ...message, dryRun: false } }],
    ['closed meanwhile', { status: 'completed', next_message: null, batches: 7 }, { state: 'completed' }],
    ['opened, nothing committed', { status: 'running', next_message: null, batches: 0 }, { state: 'not-started' }],
    ['a saved message that is not valid', { status: 'running', next_message: { runId: 'x' }, batches: 3 }, { state: 'unreadable', why: 'saved message not valid' }],
    ['no such run', undefined, { state: 'unreadable', why: 'missing' }],
  ])('%s', (_n, row, expected) => expect(readStoredBookmark(row)).toEqual(expected));
});

describe("the Primero client's own retry budget", () => {
  it('is read from PRIMERO_MAX_RETRY_MS and PRIMERO_MAX_ATTEMPTS', async () => {
    const { loadSettings } = await import('../../lib/config/settings.ts');
    const s = await loadSettings({ PRIMERO_URL: 'http://p.example.org', PRIMERO_USER: 'u', PRIMERO_PASSWORD: 'p', PRIMERO_MAX_RETRY_MS: '45000', PRIMERO_MAX_ATTEMPTS: '7' });
    expect(s.primero).toMatchObject({ maxRetryMs: 45_000, maxAttempts: 7 });
  });
});
