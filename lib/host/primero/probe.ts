import type { Failure } from '../../core/retry.ts';
import { UserError } from '../../errors.ts';
import type { Logger } from '../../log/logger.ts';
import { safeBaseUrl } from './base-url.ts';

/**
 * One request at the start of a sync that tells a wrong PRIMERO_URL or a
 * wrong password apart from a Primero that is down, before any job runs:
 * `GET <base>/api/v2/lookups?per=1` (no personal data in the answer).
 * - HTML (or anything not JSON) where the API should answer: not a Primero API.
 * - 401 with Basic auth: the user or password; stop now, because each further
 *   try is another failed login (six lock the account for 30 minutes).
 * - Nothing listening (connection refused), no such host, a port fetch never
 *   opens: a wrong PRIMERO_URL, refused within seconds (tried again briefly,
 *   in case Primero is restarting) instead of after minutes of the sync's retries.
 * - A timeout, 5xx, 429: not decided here; the sync's own retries handle it.
 * In legacy token mode the request goes without credentials (a login is a
 * POST the jobs make): Primero then answers 401 in JSON, which proves the API.
 */
export interface ProbeConfig {
  url: string;
  user: string;
  password: string;
  authMode?: 'basic' | 'token' | undefined;
  timeoutMs?: number | undefined;
}

export const PROBE_PATH = '/api/v2/lookups?per=1&page=1';

export const AUTH_HINT =
  'check PRIMERO_USER and PRIMERO_PASSWORD (or the credentials file) with the Primero administrators before running again: six failed logins lock the account for 30 minutes';

export const NOT_AN_API_HINT = 'set PRIMERO_URL to the Primero base URL, e.g. https://primero.example.org (the sync adds /api/v2)';

export const NOTHING_THERE_HINT = 'check PRIMERO_URL (or "primero.url" in the credentials file): the Primero base URL, e.g. https://primero.example.org; nothing was written';

/** What a failed connection says about the URL, when it says the URL is wrong; null for what may pass (timeouts, resets). */
function nothingThere(e: unknown): string | null {
  const cause = (e as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (nothing listens there)';
  if (code === 'ENOTFOUND') return 'no such host';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'no route to the host';
  // fetch never connects to some ports (the Fetch standard's "bad ports": 1, 25, 6000, ...).
  if (cause?.message === 'bad port') return 'a port fetch never connects to';
  return null;
}

export interface ProbeOptions {
  /** The waits before trying again a URL where nothing answered (Primero restarting): seconds in all. */
  retryDelaysMs?: readonly number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function probePrimero(config: ProbeConfig, logger: Logger, fetchImpl: typeof fetch = fetch, options: ProbeOptions = {}): Promise<void> {
  const base = safeBaseUrl(config.url);
  const token = config.authMode === 'token';
  const delays = options.retryDelaysMs ?? [1000, 2000];
  let response: Response | undefined;
  for (let attempt = 0; !response; attempt++) {
    try {
      response = await fetchImpl(`${config.url}${PROBE_PATH}`, {
        headers: {
          accept: 'application/json',
          ...(token ? {} : { authorization: `Basic ${Buffer.from(`${config.user}:${config.password}`).toString('base64')}` }),
        },
        signal: AbortSignal.timeout(config.timeoutMs ?? 30_000),
        redirect: 'manual',
      });
    } catch (e) {
      const why = nothingThere(e);
      if (why === null) {
        logger.debug(`Primero check: ${base} did not answer (${e instanceof Error ? e.message : String(e)}); the sync's retries take over`);
        return;
      }
      if (attempt >= delays.length) throw new UserError(`PRIMERO_URL (${base}) cannot be reached: ${why}`, NOTHING_THERE_HINT);
      logger.debug(`Primero check: ${base}: ${why}; trying again`);
      await sleep(delays[attempt]!);
    }
  }
  const status = response.status;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const body = await response.text().catch(() => '');
  if (status >= 500 || status === 429) {
    logger.debug(`Primero check: ${base} answered ${status}; the sync's retries take over`);
    return;
  }
  const json = type === 'application/json' || type.endsWith('+json') ? parseJson(body) : undefined;
  if (json === undefined) {
    const what = status >= 300 && status < 400 ? `a redirect (${status})` : `${status} ${type || 'without a content type'}`;
    throw new UserError(`PRIMERO_URL (${base}) is not a Primero API: GET /api/v2/lookups answered ${what}, not JSON`, NOT_AN_API_HINT);
  }
  if (status === 401) {
    if (token) return;
    const said = typeof (json as { error?: unknown }).error === 'string' ? ` (${(json as { error: string }).error})` : '';
    throw new UserError(`Primero at ${base} refused the user and password: 401${said}`, AUTH_HINT);
  }
  if (status === 404) throw new UserError(`PRIMERO_URL (${base}) is not a Primero API: GET /api/v2/lookups answered 404`, NOT_AN_API_HINT);
  if (status === 200 && !Array.isArray((json as { data?: unknown }).data)) {
    throw new UserError(`PRIMERO_URL (${base}) is not a Primero API: GET /api/v2/lookups answered JSON without a data list`, NOT_AN_API_HINT);
  }
  // 403 and the rest: the account's permissions; the sync says which request was refused.
}

function parseJson(text: string): object | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The hint after a failed run: credentials Primero refused must not be tried again blindly. */
export const hintAfter = (failure: Failure, otherwise: string): string => (failure.refused ? AUTH_HINT : otherwise);
