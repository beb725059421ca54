import { describe, expect, it } from 'vitest';
import { bookmarkFrom } from '../../lib/host/bookmark.ts';
import { AttemptError, isTransientFailure, retrying } from '../../lib/host/retry-policy.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { sampleMessage } from '../support/batch-message.ts';

/** The pure parts of the retry policy: which failures are worth another try, and where a retry starts. */
describe('which failures are transient', () => {
  it.each([
    'step "upsert" failed: connect ECONNREFUSED 127.0.0.1:5432',
    'step "upsert" failed: Connection terminated unexpectedly',
    'step "upsert" failed: read ECONNRESET',
    'step "upsert" failed: terminating connection due to administrator command',
    'step "init" failed: the database system is starting up',
    'step "upsert" failed: sorry, too many clients already',
    'step "fetch" failed: Primero GET http://p/api/v2/cases answered 503: Service Unavailable — gave up after 5 attempt(s) in 120.0 s',
    'step "fetch" failed: Primero GET http://p/api/v2/cases: network error (ECONNRESET) — gave up after 5 attempt(s) in 3.1 s',
  ])('retried: %s', (m) => expect(isTransientFailure(m)).toBe(true));

  it.each([
    'step "fetch" failed: Primero GET http://p/api/v2/cases answered 401: Signature has expired (still refused after logging in again)',
    'step "fetch" failed: Primero GET http://p/api/v2/cases answered 403: Forbidden',
    'step "fetch" failed: Primero GET http://p/api/v2/cases: response does not match the expected shape (data: expected array)',
    'step "upsert" failed: run 0b7d2f4e is not running any more; batch not written',
    'step "upsert" failed: relation "cases" does not exist',
    'cannot take the sync lock: The server does not support SSL connections',
    'the sync lock was lost with its database connection and another sync holds it now',
  ])('not retried: %s', (m) => expect(isTransientFailure(m)).toBe(false));
});

describe('retrying', () => {
  const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 2, maxTotalMs: 5000 };

  it('tries a transient failure again, up to the policy, and then gives the last error', async () => {
    let tries = 0;
    await expect(retrying('x', async () => { tries++; throw new Error('connect ECONNREFUSED'); }, fast, silentLogger)).rejects.toThrow(/ECONNREFUSED/);
    expect(tries).toBe(4);
  });

  it('does not try a permanent failure again', async () => {
    let tries = 0;
    await expect(retrying('x', async () => { tries++; throw new AttemptError('403 Forbidden', false); }, fast, silentLogger)).rejects.toThrow(/403/);
    expect(tries).toBe(1);
  });

  it('runs beforeRetry before each new try and returns the first success', async () => {
    const seen: number[] = [];
    const r = await retrying('x', async (n) => { if (n < 3) throw new Error('Connection terminated'); return n; }, fast, silentLogger, async (c) => { seen.push(c.retry); });
    expect(r).toBe(3);
    expect(seen).toEqual([1, 2]);
  });
});

describe('where a retried batch starts: the ledger bookmark', () => {
  const message = sampleMessage({ batch: 4 }, 10);
  it.each([
    ['the first uncommitted batch', { status: 'running', next_message: message, batches: 3 }, { state: 'next', message: { ...message, dryRun: false } }],
    ['every batch committed, run not closed', { status: 'running', next_message: null, batches: 7 }, { state: 'all-committed' }],
    ['closed meanwhile', { status: 'completed', next_message: null, batches: 7 }, { state: 'completed' }],
    ['marked failed by someone else', { status: 'failed', next_message: message, batches: 3 }, { state: 'gone', status: 'failed' }],
    ['a saved message that is not valid', { status: 'running', next_message: { runId: 'x' }, batches: 3 }, { state: 'gone', status: 'saved message not valid' }],
    ['no such run', undefined, { state: 'gone', status: 'missing' }],
  ])('%s', (_n, row, expected) => expect(bookmarkFrom(row)).toEqual(expected));
});

describe("the Primero client's own retry budget", () => {
  it('is read from PRIMERO_MAX_RETRY_MS and PRIMERO_MAX_ATTEMPTS', async () => {
    const { loadSettings } = await import('../../lib/config/settings.ts');
    const s = await loadSettings({ PRIMERO_URL: 'http://p.example.org', PRIMERO_USER: 'u', PRIMERO_PASSWORD: 'p', PRIMERO_MAX_RETRY_MS: '45000', PRIMERO_MAX_ATTEMPTS: '7' });
    expect(s.primero).toMatchObject({ maxRetryMs: 45_000, maxAttempts: 7 });
  });
});
