/**
 * The Primero v2 HTTP client: auth (Basic, or legacy token login with one
 * re-login on a 401), a timeout on every request, retries with exponential
 * backoff + jitter via p-retry (network errors, 5xx, 429, 503 honouring
 * Retry-After; bounded attempts and total time), zod validation of every body,
 * and paging through list endpoints. Logs paths, statuses and counts only.
 */
import pRetry, { AbortError } from 'p-retry';
import { z } from 'zod';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';
import { parsePrimeroConfig, type PrimeroConfig, type PrimeroConfigInput } from './config.ts';
import { encodeQuery, type Query } from './query.ts';
import { PrimeroHttpError, PrimeroNetworkError, PrimeroResponseError, safeBaseUrl } from './errors.ts';
import { parseRetryAfter } from './retry-after.ts';
import { timeIo } from '../profile/io-timer.ts';
import {
  authErrorSchema, errorEnvelopeSchema, itemSchemaFor, listResponseSchema, loginResponseSchema, type PageMetadata,
} from './schemas.ts';

export interface ListPage<T = Record<string, unknown>> {
  data: T[];
  metadata?: PageMetadata;
}

export interface AllPages<T = Record<string, unknown>> {
  data: T[];
  /** The last page's metadata (its `total` is the server's count), when the endpoint sends one. */
  metadata?: PageMetadata;
  pages: number;
}

export interface PrimeroClient {
  readonly config: Readonly<PrimeroConfig>;
  /** GET one page of a list endpoint (`/api/v2/cases`, or just `cases`), validated. */
  get<T = Record<string, unknown>>(path: string, query?: Query): Promise<ListPage<T>>;
  /** GET a single resource (`cases/:id`): `{data: {...}}`. */
  getOne<T = Record<string, unknown>>(path: string, query?: Query): Promise<{ data: T }>;
  /** Every page of a list endpoint, `per` defaulting to 1000, in server order. */
  getAllPages<T = Record<string, unknown>>(path: string, query?: Query): Promise<AllPages<T>>;
  /** Token mode: log in now (otherwise done lazily on the first request). */
  login(): Promise<void>;
  /** Forget the token. */
  close(): Promise<void>;
}

export interface ClientOptions {
  logger?: Logger;
  /** For tests: a fetch implementation. */
  fetch?: typeof fetch;
}

const DEFAULT_PAGE_SIZE = 1000;

/** `cases` -> `/api/v2/cases`; absolute API paths are kept. */
export const apiPath = (path: string): string => (path.startsWith('/api/') ? path : `/api/v2/${path.replace(/^\/+/, '')}`);

function describeFailure(status: number, text: string): string {
  try {
    const json: unknown = JSON.parse(text);
    const env = errorEnvelopeSchema.safeParse(json);
    if (env.success && env.data.errors[0]?.message) return env.data.errors[0].message;
    const auth = authErrorSchema.safeParse(json);
    if (auth.success) return auth.data.error;
  } catch {
    // not JSON (Rack::Attack's "Retry later", an HTML gateway page): use the status alone
  }
  return status === 429 ? 'Too Many Requests' : `HTTP ${status}`;
}

function networkMessage(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
  return `network error (${cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e))})`;
}

export function createPrimeroClient(configInput: PrimeroConfigInput | PrimeroConfig, options: ClientOptions = {}): PrimeroClient {
  const config = parsePrimeroConfig(configInput);
  const logger = (options.logger ?? silentLogger).child('primero');
  const doFetch = options.fetch ?? fetch;
  const base = safeBaseUrl(config.url);
  const basic = `Basic ${Buffer.from(`${config.user}:${config.password}`).toString('base64')}`;
  let token: string | undefined;
  let loggingIn: Promise<void> | undefined;

  /** One HTTP exchange, no retries. Throws typed errors; success returns the parsed JSON. */
  async function exchange(method: 'GET' | 'POST', path: string, query: string, authorization: string | undefined, body?: unknown): Promise<unknown> {
    const url = `${config.url}${path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (authorization) headers.Authorization = authorization;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(config.timeoutMs),
        keepalive: true,
      });
      text = await res.text();
    } catch (e) {
      throw new PrimeroNetworkError(`Primero ${method} ${base}${path}: ${networkMessage(e, config.timeoutMs)}`, path);
    }
    if (!res.ok) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      throw new PrimeroHttpError(
        `Primero ${method} ${base}${path} answered ${res.status}: ${describeFailure(res.status, text)}`,
        res.status,
        path,
        retryAfterMs,
      );
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new PrimeroResponseError(`Primero ${method} ${base}${path} answered ${res.status} with a body that is not JSON`);
    }
  }

  /** Retries what is worth retrying; everything else aborts at once. */
  async function withRetries<T>(label: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let attempts = 0;
    try {
      return await pRetry(
        async () => {
          attempts++;
          try {
            return await run();
          } catch (e) {
            if (e instanceof PrimeroNetworkError || (e instanceof PrimeroHttpError && e.retryable)) throw e;
            throw new AbortError(e instanceof Error ? e : new Error(String(e)));
          }
        },
        {
          retries: config.maxAttempts - 1,
          factor: 2,
          minTimeout: config.minRetryDelayMs,
          maxTimeout: Math.max(config.minRetryDelayMs, 30_000),
          randomize: true,
          maxRetryTime: config.maxRetryMs,
          onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
            if (retriesLeft <= 0) return;
            logger.warn(`${label}: attempt ${attemptNumber} failed (${error.message.replace(/^Primero \S+ \S+ /, '')}); retrying`);
            if (!(error instanceof PrimeroHttpError)) return;
            const retryAfter = error.retryAfterMs;
            if (retryAfter !== undefined && retryAfter > 0) {
              const remaining = config.maxRetryMs - (performance.now() - started);
              if (retryAfter > remaining) {
                throw new PrimeroHttpError(
                  `${error.message} (Retry-After ${Math.round(retryAfter / 1000)} s is beyond the retry budget of ${config.maxRetryMs} ms)`,
                  error.status,
                  error.path,
                  retryAfter,
                );
              }
              // Honour Retry-After; p-retry then adds its own jittered backoff on top.
              await new Promise((r) => setTimeout(r, retryAfter));
            }
          },
        },
      );
    } catch (e) {
      if (e instanceof PrimeroNetworkError || (e instanceof PrimeroHttpError && e.retryable)) {
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const message = `${e.message} — gave up after ${attempts} attempt(s) in ${seconds} s`;
        throw e instanceof PrimeroHttpError
          ? new PrimeroHttpError(message, e.status, e.path, e.retryAfterMs)
          : new PrimeroNetworkError(message, e.path);
      }
      throw e;
    }
  }

  async function login(): Promise<void> {
    if (config.authMode !== 'token') return;
    loggingIn ??= (async () => {
      const body = await withRetries('POST /api/v2/tokens', () =>
        exchange('POST', '/api/v2/tokens', '', undefined, { user: { user_name: config.user, password: config.password } }),
      );
      const parsed = loginResponseSchema.safeParse(body);
      if (!parsed.success) throw new PrimeroResponseError(`Primero POST ${base}/api/v2/tokens: unexpected login response`);
      if (!parsed.data.token) {
        throw new PrimeroResponseError(
          `Primero POST ${base}/api/v2/tokens returned no token: this server (≥ v2.11) only supports HTTP Basic; set authMode 'basic'`,
        );
      }
      token = `Bearer ${parsed.data.token}`;
      logger.debug('logged in (token mode)');
    })().finally(() => {
      loggingIn = undefined;
    });
    return loggingIn;
  }

  /** GET with auth: in token mode a 401 triggers one fresh login and one more try. */
  async function authedGet(path: string, query: string): Promise<unknown> {
    if (config.authMode === 'basic') return withRetries(`GET ${path}`, () => exchange('GET', path, query, basic));
    if (!token) await login();
    try {
      return await withRetries(`GET ${path}`, () => exchange('GET', path, query, token));
    } catch (e) {
      if (!(e instanceof PrimeroHttpError && e.status === 401)) throw e;
      logger.warn(`GET ${path}: 401, logging in again once`);
      token = undefined;
      await login();
      try {
        return await withRetries(`GET ${path}`, () => exchange('GET', path, query, token));
      } catch (again) {
        if (again instanceof PrimeroHttpError && again.status === 401) {
          throw new PrimeroHttpError(`${again.message} (still refused after logging in again)`, 401, path);
        }
        throw again;
      }
    }
  }

  function validate<T extends z.ZodType>(schema: T, body: unknown, path: string): z.infer<T> {
    const r = schema.safeParse(body);
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
      throw new PrimeroResponseError(`Primero GET ${base}${path}: response does not match the expected shape (${where})`);
    }
    return r.data;
  }

  async function get<T>(rawPath: string, query?: Query): Promise<ListPage<T>> {
    const path = apiPath(rawPath);
    const started = performance.now();
    const body = await timeIo('primero', () => authedGet(path, encodeQuery(query)));
    const page = validate(listResponseSchema(itemSchemaFor(path)), body, path) as ListPage<T>;
    logger.debug(`GET ${path} page=${String(query?.page ?? 1)}: ${page.data.length} record(s) in ${Math.round(performance.now() - started)} ms`);
    return page;
  }

  async function getOne<T>(rawPath: string, query?: Query): Promise<{ data: T }> {
    const path = apiPath(rawPath);
    const body = await authedGet(path, encodeQuery(query));
    return validate(z.object({ data: z.record(z.string(), z.unknown()) }).loose(), body, path) as { data: T };
  }

  async function getAllPages<T>(rawPath: string, query: Query = {}): Promise<AllPages<T>> {
    const per = typeof query.per === 'number' ? query.per : Number(query.per ?? DEFAULT_PAGE_SIZE);
    let page = typeof query.page === 'number' ? query.page : Number(query.page ?? 1);
    const data: T[] = [];
    let metadata: PageMetadata | undefined;
    let pages = 0;
    for (;;) {
      const result = await get<T>(rawPath, { ...query, per, page });
      pages++;
      data.push(...result.data);
      metadata = result.metadata;
      // No metadata (forms): one answer is everything. Otherwise stop at the server's total, using its
      // clamped `per` (a server may cap it), or on an empty page.
      if (!metadata || result.data.length === 0 || metadata.per <= 0) break;
      if (metadata.page * metadata.per >= metadata.total) break;
      page = metadata.page + 1;
    }
    return { data, metadata, pages };
  }

  return {
    config,
    get,
    getOne,
    getAllPages,
    login,
    close: async () => {
      token = undefined;
    },
  };
}
