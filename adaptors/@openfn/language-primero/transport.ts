/**
 * HTTP as @openfn/language-primero 4.1.2 gets it from the `request` library
 * (2.88, `request(params, callback)`), for the parts its operations rely on:
 * - `qs` encoded by the npm `qs` module with its defaults (RFC 3986
 *   percent-encoding, arrays as `a[0]=…`, undefined dropped, null as `key=`);
 * - `body` (a string) sent as given with a content-length; `json` (a value)
 *   sent as JSON with `accept`/`content-type: application/json`, and the
 *   response body parsed as JSON when it parses;
 * - GET (not POST/PATCH) follows up to 10 redirects, dropping Authorization
 *   when the host changes;
 * - no timeout and no retry: a request that never answers never settles;
 * - the response serialises (JSON.stringify) as `{statusCode, body, headers,
 *   request: {uri, method, headers}}`, `uri` being Node's legacy `url.parse`
 *   object, as `request`'s toJSON gives it (the adaptor's error messages are
 *   that JSON).
 * Errors of the network (refused, reset) come back as `error`, as `request`
 * passes them to its callback.
 */
import http from 'node:http';
import https from 'node:https';
import { parse as parseUrl, type UrlWithStringQuery } from 'node:url';
import qs from 'qs';

export interface RequestParams {
  method: string;
  url: string;
  headers?: Record<string, unknown>;
  qs?: unknown;
  body?: string;
  json?: unknown;
}

/** What `request` records of the request: its toJSON is `{uri, method, headers}`. */
export class SentRequest {
  constructor(
    public uri: UrlWithStringQuery,
    public method: string,
    public headers: Record<string, unknown>,
  ) {}

  toJSON() {
    return { uri: this.uri, method: this.method, headers: this.headers };
  }
}

/** The response as `request` gives it to its callback. */
export class ReceivedResponse {
  constructor(
    public statusCode: number,
    public statusMessage: string,
    public headers: http.IncomingHttpHeaders,
    public body: unknown,
    public request: SentRequest,
  ) {}

  toJSON() {
    return { statusCode: this.statusCode, body: this.body, headers: this.headers, request: this.request.toJSON() };
  }
}

export interface Outcome {
  error?: Error;
  response?: ReceivedResponse;
  body?: unknown;
}

const MAX_REDIRECTS = 10;

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function withQuery(url: string, query: unknown): string {
  if (query === undefined || query === null) return url;
  // As `request`: a query already in the URL is merged with `qs`, which wins per key.
  const [base, existing] = url.split('?', 2) as [string, string | undefined];
  const merged = { ...(existing ? qs.parse(existing) : {}), ...(query as Record<string, unknown>) };
  const text = qs.stringify(merged);
  return text === '' ? url : `${base}?${text}`;
}

function once(uri: UrlWithStringQuery, method: string, headers: Record<string, unknown>, payload: string | undefined): Promise<{ res: http.IncomingMessage; text: string }> {
  const transport = uri.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      {
        protocol: uri.protocol,
        hostname: uri.hostname,
        port: uri.port,
        path: uri.path,
        method,
        headers: headers as http.OutgoingHttpHeaders,
        auth: uri.auth ?? undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ res, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** One call as `request(params, callback)` makes it; never rejects (errors come back in the outcome). */
export async function send(params: RequestParams): Promise<Outcome> {
  const headers: Record<string, unknown> = { ...(params.headers ?? {}) };
  let payload = params.body;
  if (params.json !== undefined) {
    if (!hasHeader(headers, 'accept')) headers.accept = 'application/json';
    payload = JSON.stringify(params.json);
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  }
  if (payload !== undefined && !hasHeader(headers, 'content-length')) headers['content-length'] = Buffer.byteLength(payload);
  let uri = parseUrl(withQuery(params.url, params.qs));
  const method = params.method;
  try {
    for (let redirects = 0; ; redirects++) {
      const { res, text } = await once(uri, method, headers, payload);
      const location = res.headers.location;
      const follow = method === 'GET' && res.statusCode! >= 300 && res.statusCode! < 400 && location;
      if (follow) {
        if (redirects >= MAX_REDIRECTS) throw new Error(`Exceeded maxRedirects. Probably stuck in a redirect loop ${uri.href}`);
        const next = parseUrl(new URL(location, uri.href).href);
        if (next.hostname !== uri.hostname) for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
        uri = next;
        continue;
      }
      let body: unknown = text;
      if (params.json !== undefined) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text === '' ? undefined : text;
        }
      }
      const response = new ReceivedResponse(res.statusCode ?? 0, res.statusMessage ?? '', res.headers, body, new SentRequest(uri, method, headers));
      return { response, body };
    }
  } catch (e) {
    return { error: e as Error };
  }
}
