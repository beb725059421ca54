/**
 * What the fetch job adds around the official Primero adaptor, which makes
 * one request per call with no timeout and no retry (openfn-facts.md §1):
 * a time limit per request, retries of transient failures with backoff
 * (honouring Retry-After), and paging of lookups and locations, which the
 * adaptor reads one page of. Runs inside the job, so the platform runs the
 * same safety the tests prove.
 */
export type State = Record<string, any>;
export type Operation = (state: State) => State | Promise<State>;

export interface RetryPolicy {
  /** Longest wait for one answer. */
  timeoutMs: number;
  /** Tries per request, the first included. */
  maxAttempts: number;
  /** Time budget for the retries of one request. */
  maxRetryMs: number;
  /** First backoff delay; doubles per retry, with jitter. */
  minRetryDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { timeoutMs: 60_000, maxAttempts: 5, maxRetryMs: 120_000, minRetryDelayMs: 500 };

const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/** The policy from the step's configuration (the Primero credential may carry these keys), else the defaults. */
export function retryPolicyOf(configuration: unknown): RetryPolicy {
  const c = (typeof configuration === 'object' && configuration !== null ? configuration : {}) as Record<string, unknown>;
  return {
    timeoutMs: positive(c.timeoutMs) || DEFAULT_RETRY.timeoutMs,
    maxAttempts: Math.max(1, Math.floor(positive(c.maxAttempts) ?? DEFAULT_RETRY.maxAttempts)),
    maxRetryMs: positive(c.maxRetryMs) ?? DEFAULT_RETRY.maxRetryMs,
    minRetryDelayMs: positive(c.minRetryDelayMs) ?? DEFAULT_RETRY.minRetryDelayMs,
  };
}

/** A failed call, in one line an operator can act on: status or network code, never a body or a credential. */
export interface CallFailure {
  transient: boolean;
  status: number | null;
  line: string;
  retryAfterMs: number | null;
}

const NETWORK_TRANSIENT = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
const RESPONDED = 'Server responded with:';

export class RequestTimeout extends Error {
  override readonly name = 'RequestTimeout';
}

export function parseRetryAfter(value: unknown, now: number): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Reads what the official adaptor rejected with: `Server responded with:\n<response JSON>`, or a network error. */
export function classifyFailure(error: unknown, what: string, now = Date.now()): CallFailure {
  if (error instanceof RequestTimeout) return { transient: true, status: null, line: `${what}: ${error.message}`, retryAfterMs: null };
  const e = (error ?? {}) as { message?: unknown; code?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (message.startsWith(RESPONDED)) {
    let status: number | null = null;
    let retryAfterMs: number | null = null;
    try {
      const response = JSON.parse(message.slice(RESPONDED.length)) as { statusCode?: unknown; headers?: Record<string, unknown> };
      status = typeof response.statusCode === 'number' ? response.statusCode : null;
      retryAfterMs = parseRetryAfter(response.headers?.['retry-after'], now);
    } catch (parseError) {
      status = null;
    }
    const transient = status === null || status >= 500 || status === 429 || status === 408;
    const hint =
      status === 401
        ? ': Primero refused the user and password; check them before running again (six failed logins lock the account for 30 minutes)'
        : status === 403
          ? ': the Primero user lacks permission for this'
          : '';
    return { transient, status, line: `${what}: Primero answered ${status ?? 'an unreadable error'}${hint}`, retryAfterMs };
  }
  const code = typeof e.code === 'string' ? e.code : null;
  if (code) return { transient: NETWORK_TRANSIENT.has(code), status: null, line: `${what}: ${code}`, retryAfterMs: null };
  // Anything else (a 200 without a `data` list, a TypeError in the adaptor) will not get better by asking again.
  return { transient: false, status: null, line: `${what}: ${message.split('\n')[0]!.slice(0, 200)}`, retryAfterMs: null };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeout(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  // A request that never answers keeps running in the adaptor; its late end must not surface.
  promise.catch(() => undefined);
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Delay before try `attempt + 1`: exponential with jitter, or what Retry-After asks when longer. */
export function backoffMs(attempt: number, policy: RetryPolicy, retryAfterMs: number | null, random = Math.random): number {
  const exponential = policy.minRetryDelayMs * 2 ** (attempt - 1);
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

export interface RetryOptions {
  log?: (line: string) => void;
  /**
   * The adaptor's `execute`: in legacy token mode (`basicAuth: false`) a 401
   * means the token expired (Primero ≤ v2.10 gives tokens an hour); the call
   * is made once more inside a fresh `execute`, which logs in again. With
   * HTTP Basic a 401 is the password, and is never asked again: six failed
   * logins lock the account.
   */
  relogin?: (op: Operation) => Operation;
}

const tokenMode = (configuration: unknown) => (configuration as { basicAuth?: unknown } | undefined)?.basicAuth === false;

/**
 * Runs an adaptor operation, retrying transient failures within the policy.
 * Throws one line (`what: Primero answered 503 (gave up after 5 attempts)`) otherwise.
 */
export function retrying(what: string, op: Operation, options: RetryOptions = {}): Operation {
  const log = options.log ?? (() => undefined);
  return async (state) => {
    const policy = retryPolicyOf(state.configuration);
    const started = Date.now();
    let call = op;
    let loggedInAgain = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await withTimeout(Promise.resolve(call(state)), policy.timeoutMs);
      } catch (error) {
        const failure = classifyFailure(error, what);
        if (failure.status === 401 && options.relogin && tokenMode(state.configuration)) {
          if (loggedInAgain) throw new Error(`${what}: Primero answered 401, still refused after logging in again: check the user's access`);
          log(`${what}: Primero answered 401 (the token expired?); logging in again`);
          loggedInAgain = true;
          call = options.relogin(op);
          continue;
        }
        const wait = backoffMs(attempt, policy, failure.retryAfterMs);
        const outOfBudget = attempt >= policy.maxAttempts || Date.now() - started + wait > policy.maxRetryMs;
        if (!failure.transient || outOfBudget) {
          throw new Error(failure.transient ? `${failure.line} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})` : failure.line);
        }
        log(`${failure.line}; trying again in ${Math.round(wait)} ms (try ${attempt + 1} of ${policy.maxAttempts})`);
        await sleep(wait);
      }
    }
  };
}

/**
 * Every page of a Primero list that the adaptor reads one page of
 * (getLookups, getLocations): asks page 1, 2, ... with `per` until a page
 * comes back short. Collected into `state.data`.
 */
export function everyPage(what: string, page: (query: Record<string, unknown>) => Operation, query: Record<string, unknown>, per: number, options: RetryOptions = {}): Operation {
  return async (state) => {
    const items: unknown[] = [];
    for (let n = 1; ; n++) {
      const next = await retrying(`${what} page ${n}`, page({ ...query, per, page: n }), options)(state);
      const data: unknown = next.data;
      if (!Array.isArray(data)) throw new Error(`${what} page ${n}: Primero sent no list`);
      items.push(...data);
      // A full page may have more behind it; a bound stops a server that ignores `page`.
      if (data.length < per || n >= 1000) break;
    }
    return { ...state, data: items, references: [] };
  };
}
