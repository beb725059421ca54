import { parseRetryAfter, retrying, RetryExhausted, type Failure, type RetryPolicy } from './retry.ts';

/**
 * What the fetch job adds around the official Primero adaptor, which makes one
 * request per call with no timeout and no retry (openfn-facts.md §1): a time
 * limit per request, retries of transient failures (lib/core/retry.ts), a fresh
 * login when a legacy token expires, and paging of lookups and locations, which
 * the adaptor reads one page of. It runs inside the job, so the platform runs
 * the same safety the tests prove.
 */
export type State = Record<string, any>;
export type Operation = (state: State) => State | Promise<State>;

export interface PrimeroPolicy extends RetryPolicy {
  /** Longest wait for one answer. */
  timeoutMs: number;
}

export const DEFAULT_PRIMERO_POLICY: PrimeroPolicy = { timeoutMs: 60_000, maxAttempts: 5, minDelayMs: 500, maxDelayMs: 30_000, maxTotalMs: 120_000 };

const number = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/** The policy from the Primero credential (it may carry these keys; the official adaptor ignores them), else the defaults. */
export function primeroPolicyOf(configuration: unknown): PrimeroPolicy {
  const c = (typeof configuration === 'object' && configuration !== null ? configuration : {}) as Record<string, unknown>;
  const d = DEFAULT_PRIMERO_POLICY;
  return {
    timeoutMs: number(c.timeoutMs) || d.timeoutMs,
    maxAttempts: Math.max(1, Math.floor(number(c.maxAttempts) ?? d.maxAttempts)),
    minDelayMs: number(c.minRetryDelayMs) ?? d.minDelayMs,
    maxDelayMs: d.maxDelayMs,
    maxTotalMs: number(c.maxRetryMs) ?? d.maxTotalMs,
  };
}

/** Primero gave no answer within the policy's time. */
export class RequestTimeout extends Error {
  override readonly name = 'RequestTimeout';
}

/** A Primero call that failed, classified: what the fetch job hands on and the ledger records. */
export interface PrimeroFailure extends Failure {
  /** The HTTP status Primero answered, when it answered. */
  status: number | null;
  refused: boolean;
}

const NETWORK_TRANSIENT = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
/** The official adaptor's only way of saying what Primero answered (Utils.assembleError): this text, then the response as JSON. */
const RESPONDED = 'Server responded with:';

/**
 * Classifies what the official adaptor rejected with, by type: our timeout, a
 * network error by its `code`, or Primero's answer by its status. The status
 * comes from the adaptor's error text, the one place its contract gives it.
 */
export function classifyPrimeroFailure(error: unknown, now = Date.now()): PrimeroFailure {
  if (error instanceof RequestTimeout) return { transient: true, refused: false, status: null, line: error.message };
  const e = (error ?? {}) as { message?: unknown; code?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (message.startsWith(RESPONDED)) {
    let status: number | null = null;
    let retryAfterMs: number | null = null;
    try {
      const response = JSON.parse(message.slice(RESPONDED.length)) as { statusCode?: unknown; headers?: Record<string, unknown> };
      status = typeof response.statusCode === 'number' ? response.statusCode : null;
      retryAfterMs = parseRetryAfter(response.headers?.['retry-after'], now);
    } catch (unreadable) {
      status = null;
    }
    const hint =
      status === 401
        ? ': Primero refused the user and password; check them before running again (six failed logins lock the account for 30 minutes)'
        : status === 403
          ? ': the Primero user lacks permission for this'
          : '';
    return { transient: status === null || status >= 500 || status === 429 || status === 408, refused: status === 401, status, line: `Primero answered ${status ?? 'an unreadable error'}${hint}`, retryAfterMs };
  }
  const code = typeof e.code === 'string' ? e.code : null;
  if (code) return { transient: NETWORK_TRANSIENT.has(code), refused: false, status: null, line: code };
  // Anything else (a 200 without a `data` list, a TypeError in the adaptor) will not get better by asking again.
  return { transient: false, refused: false, status: null, line: message.split('\n')[0]!.slice(0, 200) };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeout(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  // A request that never answers keeps running in the adaptor; its late end must not surface.
  promise.catch(() => undefined);
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Thrown by `calling` when a Primero call failed for good: `what` and the classified failure. */
export class PrimeroCallFailed extends Error {
  override readonly name = 'PrimeroCallFailed';
  constructor(
    readonly what: string,
    readonly failure: PrimeroFailure,
    message: string,
  ) {
    super(`${what}: ${message}`);
  }
}

export interface CallOptions {
  log?: (line: string) => void;
  /**
   * The adaptor's `execute`: in legacy token mode (`basicAuth: false`) a 401
   * means the token expired (Primero <= v2.10 gives tokens an hour); the call
   * is made once more inside a fresh `execute`, which logs in again. With HTTP
   * Basic a 401 is the password, and is never asked again: six failed logins
   * lock the account.
   */
  relogin?: (op: Operation) => Operation;
}

const tokenMode = (configuration: unknown) => (configuration as { basicAuth?: unknown } | undefined)?.basicAuth === false;

/** Runs an adaptor operation within the policy; throws PrimeroCallFailed when it cannot. */
export function calling(what: string, op: Operation, options: CallOptions = {}): Operation {
  return async (state) => {
    const policy = primeroPolicyOf(state.configuration);
    let call = op;
    let loggedInAgain = false;
    const classify = (error: unknown): PrimeroFailure => {
      const failure = classifyPrimeroFailure(error);
      // A refused legacy token, once: logging in again is the retry.
      if (failure.status === 401 && options.relogin && tokenMode(state.configuration) && !loggedInAgain) return { ...failure, transient: true, retryAfterMs: 0 };
      return failure;
    };
    try {
      return await retrying(what, () => withTimeout(Promise.resolve(call(state)), policy.timeoutMs), policy, {
        classify,
        log: options.log,
        beforeRetry: (failure) => {
          if ((failure as PrimeroFailure).status === 401 && options.relogin) {
            loggedInAgain = true;
            call = options.relogin(op);
          }
        },
      });
    } catch (e) {
      if (!(e instanceof RetryExhausted)) throw e;
      const failure = e.failure as PrimeroFailure;
      const message = failure.status === 401 && loggedInAgain ? 'Primero answered 401, still refused after logging in again: check the user\'s access' : e.message;
      throw new PrimeroCallFailed(what, failure, message);
    }
  };
}

/**
 * Every page of a Primero list that the adaptor reads one page of
 * (getLookups, getLocations): asks page 1, 2, ... with `per` until a page comes
 * back short. Collected into `state.data`.
 */
export function everyPage(what: string, page: (query: Record<string, unknown>) => Operation, query: Record<string, unknown>, per: number, options: CallOptions = {}): Operation {
  return async (state) => {
    const items: unknown[] = [];
    for (let n = 1; ; n++) {
      const next = await calling(`${what} page ${n}`, page({ ...query, per, page: n }), options)(state);
      const data: unknown = next.data;
      if (!Array.isArray(data)) throw new PrimeroCallFailed(`${what} page ${n}`, { transient: false, refused: false, status: null, line: 'no list' }, 'Primero sent no list');
      items.push(...data);
      // A full page may have more behind it; a bound stops a server that ignores `page`.
      if (data.length < per || n >= 1000) break;
    }
    return { ...state, data: items, references: [] };
  };
}
