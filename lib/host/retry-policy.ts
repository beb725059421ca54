import pRetry from 'p-retry';
import type { Logger } from '../log/logger.ts';

/**
 * When the sync tries a step again, and how long it waits. A batch is safe to
 * try again: its writes and its bookmark are one transaction, and a retry
 * starts from the bookmark the database holds, never from memory. Only
 * failures that may pass on their own are retried (the database unreachable or
 * dropping the connection, Primero still failing after the client's own
 * retries); wrong credentials, a refused permission, a malformed response or a
 * bug fail at once, since trying again would only repeat them.
 */
export interface RetryPolicy {
  /** Tries after the first one. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** No new try starts after this long since the first one failed. */
  maxTotalMs: number;
}

/** About 1 + 2 + 4 + 8 + 16 s: a database restart or a Primero deploy usually fits in it. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, minDelayMs: 1000, maxDelayMs: 16_000, maxTotalMs: 180_000 };

/**
 * Messages of failures worth another try. pg and node name network failures by
 * code; PostgreSQL's own "connection is going away" errors (admin shutdown,
 * crash recovery, too many clients) by text. Primero failures are transient
 * only once the client has given up on a retryable status or a network error.
 */
const TRANSIENT_PATTERNS: readonly RegExp[] = [
  /\bECONNREFUSED\b/,
  /\bECONNRESET\b/,
  /\bEPIPE\b/,
  /\bETIMEDOUT\b/,
  /\bEHOSTUNREACH\b/,
  /\bENETUNREACH\b/,
  /\bEAI_AGAIN\b/,
  /Connection terminated/i,
  /connection (?:was )?(?:closed|ended|lost)/i,
  /Client has encountered a connection error/i,
  /timeout (?:expired|exceeded) when trying to connect/i,
  /terminating connection/i,
  /the database system is (?:starting up|shutting down|in recovery mode)/i,
  /sorry, too many clients already/i,
  /remaining connection slots are reserved/i,
  /could not serialize access/i,
  /deadlock detected/i,
  /gave up after \d+ attempt/,
];

export function isTransientFailure(message: string): boolean {
  // "still refused after logging in again" is a 401 the client already retried once: credentials, not weather.
  if (/still refused after logging in again/.test(message)) return false;
  return TRANSIENT_PATTERNS.some((p) => p.test(message));
}

/** A failure and whether it is worth another try; what `retrying` expects its attempt to throw. */
export class AttemptError extends Error {
  override readonly name = 'AttemptError';
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export function attemptErrorFrom(e: unknown): AttemptError {
  if (e instanceof AttemptError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AttemptError(message, isTransientFailure(message));
}

export interface RetryContext {
  /** 1 for the first retry. */
  retry: number;
  error: AttemptError;
}

/**
 * Runs `attempt` until it succeeds, fails for a reason that is not transient,
 * or the policy's tries or time run out; then rejects with the last
 * AttemptError. `beforeRetry` runs before each new try (after the wait).
 */
export async function retrying<T>(
  what: string,
  attempt: (tryNumber: number) => Promise<T>,
  policy: RetryPolicy,
  logger: Logger,
  beforeRetry?: (context: RetryContext) => Promise<void>,
): Promise<T> {
  let tryNumber = 0;
  let pending: RetryContext | null = null;
  return pRetry(
    async () => {
      tryNumber++;
      try {
        if (pending && beforeRetry) await beforeRetry(pending);
        return await attempt(tryNumber);
      } catch (e) {
        throw attemptErrorFrom(e);
      }
    },
    {
      retries: policy.retries,
      factor: 2,
      minTimeout: policy.minDelayMs,
      maxTimeout: policy.maxDelayMs,
      randomize: true,
      maxRetryTime: policy.maxTotalMs,
      shouldRetry: ({ error }) => error instanceof AttemptError && error.transient,
      onFailedAttempt: ({ error, retriesLeft }) => {
        const failure = attemptErrorFrom(error);
        if (failure.transient && retriesLeft > 0) {
          pending = { retry: tryNumber, error: failure };
          logger.warn(`${what}: ${failure.message.split('\n')[0]}; trying again (${retriesLeft} tr${retriesLeft === 1 ? 'y' : 'ies'} left)`);
        }
      },
    },
  );
}
