/**
 * Errors of the Primero client. Messages name the method, base URL, path and
 * status so an operator can act on them; they never carry credentials or case
 * data.
 */
export class PrimeroError extends Error {
  override name = 'PrimeroError';
}

/** An HTTP answer that is not a success. `retryable` for 5xx/429. */
export class PrimeroHttpError extends PrimeroError {
  override name = 'PrimeroHttpError';
  constructor(
    message: string,
    readonly status: number,
    readonly path: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429;
  }
}

/** No HTTP answer: connection refused/reset, or the request timed out. */
export class PrimeroNetworkError extends PrimeroError {
  override name = 'PrimeroNetworkError';
  constructor(message: string, readonly path: string) {
    super(message);
  }
}

/** A 2xx answer whose body is not what Primero sends (not JSON, or fails the schema). */
export class PrimeroResponseError extends PrimeroError {
  override name = 'PrimeroResponseError';
}

/** `https://user:pw@host/x` -> `https://host/x`: base URLs in messages never show userinfo. */
export function safeBaseUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return '<invalid url>';
  }
}
