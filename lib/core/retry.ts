/**
 * The one retry rule, for a Primero request inside the fetch job and for a
 * whole batch in the CLI: try again only what the caller's classifier calls
 * transient, with exponential backoff and jitter (or what the server asked,
 * Retry-After), within a number of tries and a time budget. A failure that
 * outlasts it is a `RetryExhausted`, which keeps the last failure, typed.
 *
 * Hand-written: p-retry has no per-failure delay for Retry-After, and would be
 * a quarter of the fetch job's size budget (the job is compiled on every run).
 */
export interface RetryPolicy {
  /** Tries, the first included. */
  maxAttempts: number;
  /** First backoff delay; doubles per try, with jitter. */
  minDelayMs: number;
  maxDelayMs: number;
  /** No new try starts past this long since the first one. */
  maxTotalMs: number;
}

/**
 * The CLI's tries of a whole batch (and its wait for a database at start-up):
 * about 1 + 2 + 4 + 8 + 16 s between tries, which a database restart or a
 * Primero deploy usually fits in.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, minDelayMs: 1000, maxDelayMs: 16_000, maxTotalMs: 180_000 };

/** A failure as a classifier sees it: a line an operator can act on (no body, no credential), and whether to try again. */
export interface Failure {
  transient: boolean;
  line: string;
  /** The credentials were refused: not to be tried again blindly (six failed logins lock a Primero account). */
  refused?: boolean;
  /** How long the server asked to wait (Retry-After), when it did. */
  retryAfterMs?: number | null;
}

/** A failure in one word, as the ledger records it (`sync_runs.error_kind`). */
export type FailureKind = 'transient' | 'refused' | 'permanent';
export const kindOf = (f: Failure): FailureKind => (f.transient ? 'transient' : f.refused ? 'refused' : 'permanent');

/** Thrown when a transient failure outlasted the policy, or a permanent one came: the last failure, as classified. */
export class RetryExhausted extends Error {
  override readonly name = 'RetryExhausted';
  constructor(
    readonly failure: Failure,
    readonly attempts: number,
  ) {
    super(failure.transient ? `${failure.line} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})` : failure.line);
  }
}

export interface RetryOptions {
  classify: (error: unknown) => Failure;
  /** One line per retry (the failure and the wait); say who retries in `what`, once. */
  log?: (line: string) => void;
  /** Runs before each new try (after the wait); may throw to stop. */
  beforeRetry?: (failure: Failure, attempt: number) => Promise<void> | void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Delay before try `attempt + 1`: exponential with jitter, capped, or what Retry-After asks when longer. */
export function backoffMs(attempt: number, policy: RetryPolicy, retryAfterMs: number | null | undefined, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (attempt - 1));
  return Math.max(exponential / 2 + random() * (exponential / 2), retryAfterMs ?? 0);
}

export async function retrying<T>(what: string, attempt: (n: number) => Promise<T>, policy: RetryPolicy, options: RetryOptions): Promise<T> {
  const started = Date.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const failure = options.classify(error);
      // The budget is used up to its end: the last wait is cut short to it, then one more try.
      const left = policy.maxTotalMs - (Date.now() - started);
      if (!failure.transient || n >= policy.maxAttempts || left <= 0) throw new RetryExhausted(failure, n);
      const delay = Math.min(backoffMs(n, policy, failure.retryAfterMs, options.random), left);
      options.log?.(`${what}: ${failure.line}; trying again in ${(delay / 1000).toFixed(1)} s (try ${n + 1} of ${policy.maxAttempts})`);
      await (options.sleep ?? wait)(delay);
      await options.beforeRetry?.(failure, n + 1);
    }
  }
}

/** Retry-After as seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: unknown, now: number): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
