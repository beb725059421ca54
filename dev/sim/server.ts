/**
 * The Primero v2 API simulator: node:http on loopback. Routing and I/O only;
 * the behaviour lives in filters/paging/ordering/render/auth (pure modules).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { generateCases, defaultAsOf, type SimCase } from './generator.ts';
import { CaseStore } from './store.ts';
import { parseRackQuery, type RackParams, type RackValue } from './query-params.ts';
import { CASE_PAGING, LOCATION_PAGING, LOOKUP_PAGING, parsePaging } from './paging.ts';
import { parseOrdering } from './ordering.ts';
import { parseFieldSelection, renderCase } from './render.ts';
import { Authenticator, type AuthMode } from './auth.ts';
import { AUTH_MESSAGES, errorEnvelope, MESSAGES, WWW_AUTHENTICATE } from './errors.ts';
import { locationTree, type SimLocation } from './locations.ts';
import { buildForms, buildLookups } from './metadata.ts';
import { FaultPlan, type FaultOptions, type ScriptedResponse } from './faults.ts';

export interface SimulatorOptions {
  /** Number of generated cases (default 50). Ignored when `records` is given. */
  cases?: number;
  /** Seed of the generator (default 1). */
  seed?: string | number;
  /** "Now" of the generated data set (default: start of the current UTC day). */
  asOf?: Date | string | number;
  /** Use these stored cases instead of generating (copied). */
  records?: SimCase[];
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  user?: string;
  password?: string;
  /** 'basic' = current Primero (Basic only, no token in the login body); 'token' = legacy ≤ v2.10 JWT. */
  auth?: AuthMode;
  /** Lifetime of a legacy token (default 1 hour, fixed from issue). */
  tokenTtlMs?: number;
  /** Failed logins before the account locks for 30 min (default 6; 0 disables). */
  maxFailedAttempts?: number;
  /** Login attempts per user name per minute before 429 (Rack::Attack, default 6; 0 disables). */
  loginThrottlePerMinute?: number;
  /** Latency model: every answer is delayed by this many ms (default 0)... */
  latencyMs?: number;
  /** ...plus this many ms per record it serves (cases, lookups, locations, forms; default 0). */
  perRecordMs?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** Decoded query, last value per key (as URLSearchParams gives it). */
  query: Record<string, string>;
  /** The raw query string as sent, without '?'. */
  rawQuery: string;
  /** HTTP status, or 0 for a hang/reset. */
  status: number;
  /** Whether an Authorization header was sent (never its value). */
  authScheme?: string;
  /** When the request arrived (ms since the epoch): tests read the spacing of retries. */
  at: number;
  /** How long the answer took, ms (set once it is sent): the benchmark's Primero time. */
  ms?: number;
}

export interface ChurnOptions {
  /** Edits applied before each GET /api/v2/cases request. */
  perRequest: number;
}

export interface Simulator {
  url: string;
  port: number;
  stop(): Promise<void>;
  /**
   * The latency model: each answer is delayed by `ms` plus `perRecordMs` per
   * record in its `data` (a page of cases, lookups, locations or forms; one for
   * a single case). Only the delay changes, never what is answered. Requests are
   * delayed independently: two requests at once wait side by side.
   */
  setLatency(ms: number, perRecordMs?: number): void;
  setFaults(options: FaultOptions): void;
  /** Scripted answers for the next matching requests, before any rate-based faults. */
  queueResponses(...responses: ScriptedResponse[]): void;
  clearFaults(): void;
  setChurn(options: ChurnOptions): void;
  /** Requests so far (method, path, query, status). */
  readonly requests: RequestLogEntry[];
  clearRequests(): void;
  /** Deep copies of the current data set, rendered with all fields. */
  records(): Record<string, unknown>[];
  updateCase(id: string, patch?: Record<string, unknown>): Record<string, unknown>;
  createCase(overrides?: Record<string, unknown>): Record<string, unknown>;
  disableCase(id: string): Record<string, unknown>;
  /** Issues a legacy token directly (tests of expiry). */
  issueToken(): string;
  readonly options: Readonly<Required<Pick<SimulatorOptions, 'user' | 'password' | 'auth' | 'tokenTtlMs'>>>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, ...headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const sendAuthError = (res: ServerResponse, message: string) =>
  send(res, 401, { error: message }, { 'WWW-Authenticate': WWW_AUTHENTICATE });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseLoginBody(text: string, contentType: string | undefined): { user_name?: string; password?: string } {
  try {
    if (contentType?.includes('application/x-www-form-urlencoded')) {
      const p = parseRackQuery(text).user;
      return p && typeof p === 'object' && !Array.isArray(p)
        ? { user_name: p.user_name as string | undefined, password: p.password as string | undefined }
        : {};
    }
    const body = JSON.parse(text) as { user?: { user_name?: unknown; password?: unknown } };
    const u = body.user ?? {};
    return {
      user_name: typeof u.user_name === 'string' ? u.user_name : undefined,
      password: typeof u.password === 'string' ? u.password : undefined,
    };
  } catch {
    return {};
  }
}

function renderLocation(l: SimLocation, hierarchy: boolean): Record<string, unknown> {
  const base: Record<string, unknown> = { id: l.id, code: l.code, type: l.type, disabled: l.disabled, name: { ...l.name } };
  if (hierarchy) {
    base.admin_level = l.admin_level;
    base.placename = { ...l.placename };
    base.hierarchy = [...l.hierarchy];
  }
  return base;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const cfg = {
    user: options.user ?? 'primero',
    password: options.password ?? 'primero',
    auth: options.auth ?? 'basic',
    tokenTtlMs: options.tokenTtlMs ?? 3_600_000,
  } as const;
  const records = options.records
    ? options.records.map((r) => structuredClone(r))
    : generateCases({ count: options.cases ?? 50, seed, asOf: options.asOf ?? defaultAsOf() });
  const store = new CaseStore(records, seed);
  const auth = new Authenticator({
    user: cfg.user,
    password: cfg.password,
    mode: cfg.auth,
    tokenTtlMs: cfg.tokenTtlMs,
    maxFailedAttempts: options.maxFailedAttempts ?? 6,
    lockMs: 30 * 60_000,
    now: Date.now,
  });
  const throttleLimit = options.loginThrottlePerMinute ?? 6;
  const loginAttempts = new Map<string, number[]>();
  const faults = new FaultPlan();
  const requests: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  let latencyMs = options.latencyMs ?? 0;
  let perRecordMs = options.perRecordMs ?? 0;
  /** The per-record part of the latency model, once the answer's records are known. */
  const recordDelay = async (records: number) => {
    if (perRecordMs > 0 && records > 0) await sleep(perRecordMs * records);
  };
  let churnPerRequest = 0;
  const lookups = buildLookups();
  const forms = buildForms();

  const handleCases = async (res: ServerResponse, path: string, params: RackParams) => {
    if (churnPerRequest > 0) store.churn(churnPerRequest);
    const paging = parsePaging(params.page, params.per, CASE_PAGING);
    if (paging.error) return send(res, 500, errorEnvelope(500, path, paging.error));
    const ordering = parseOrdering(params.order_by, params.order);
    const selection = parseFieldSelection(params.fields);
    const { indexes } = store.query(params, ordering);
    const data: Record<string, unknown>[] = [];
    const end = Math.min(indexes.length, paging.offset + paging.per);
    for (let i = paging.offset; i < end; i++) data.push(renderCase(store.at(indexes[i] as number), selection));
    await recordDelay(data.length);
    send(res, 200, { data, metadata: { total: indexes.length, per: paging.per, page: paging.page } });
  };

  const handleCase = async (res: ServerResponse, path: string, id: string, params: RackParams) => {
    const c = store.find(id);
    if (!c) return send(res, 404, errorEnvelope(404, path, MESSAGES[404], id));
    await recordDelay(1);
    send(res, 200, { data: renderCase(c, parseFieldSelection(params.fields)) });
  };

  const handleLocations = async (res: ServerResponse, path: string, params: RackParams) => {
    const paging = parsePaging(params.page, params.per, LOCATION_PAGING);
    if (paging.error) return send(res, 500, errorEnvelope(500, path, paging.error));
    let list = locationTree().all;
    const disabled = params.disabled;
    const disabledValues = typeof disabled === 'string' ? [disabled] : disabled && typeof disabled === 'object' ? Object.values(disabled) : [];
    if (disabledValues.length > 0) list = list.filter((l) => disabledValues.includes(String(l.disabled)));
    const orderBy = typeof params.order_by === 'string' ? params.order_by : undefined;
    if (orderBy) {
      // Without order_by there is no ORDER BY at all (storage order).
      const key = (l: SimLocation) => (orderBy === 'code' ? l.code : orderBy === 'hierarchy' ? l.hierarchy.join('.') : orderBy === 'name' ? l.placename.en : '');
      const sign = params.order === 'desc' || params.order === 'DESC' ? -1 : 1;
      list = [...list].sort((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    }
    const hierarchy = params.hierarchy === 'true';
    const data = list.slice(paging.offset, paging.offset + paging.per).map((l) => renderLocation(l, hierarchy));
    await recordDelay(data.length);
    send(res, 200, { data, metadata: { total: list.length, per: paging.per, page: paging.page } });
  };

  const handleLookups = async (res: ServerResponse, path: string, params: RackParams) => {
    const paging = parsePaging(params.page, params.per, LOOKUP_PAGING);
    if (paging.error) return send(res, 500, errorEnvelope(500, path, paging.error));
    const data = lookups.slice(paging.offset, paging.offset + paging.per);
    await recordDelay(data.length);
    send(res, 200, { data, metadata: { total: lookups.length, per: paging.per, page: paging.page } });
  };

  const handleForms = async (res: ServerResponse, params: RackParams) => {
    const recordType = params.record_type;
    const data = typeof recordType === 'string' && recordType !== 'case' ? [] : forms;
    await recordDelay(data.length);
    send(res, 200, { data });
  };

  const throttled = (userName: string): boolean => {
    if (throttleLimit <= 0) return false;
    const key = userName.trim().toLowerCase();
    const now = Date.now();
    const recent = (loginAttempts.get(key) ?? []).filter((t) => now - t < 60_000);
    recent.push(now);
    loginAttempts.set(key, recent);
    return recent.length > throttleLimit;
  };

  const handleLogin = async (req: IncomingMessage, res: ServerResponse) => {
    const body = parseLoginBody(await readBody(req), req.headers['content-type']);
    // A still-valid Bearer header refreshes without credentials (legacy doc/api/tokens/post.md).
    const header = req.headers.authorization;
    if (cfg.auth === 'token' && header && /^bearer\s/i.test(header) && !body.user_name) {
      const r = auth.authenticate(header);
      if (!r.ok) return sendAuthError(res, r.message);
      const token = auth.issueToken(r.user);
      return send(res, 200, { id: auth.userId, user_name: r.user, token }, { Authorization: `Bearer ${token}` });
    }
    if (throttled(body.user_name ?? '')) {
      return send(res, 429, 'Retry later\n', { 'Content-Type': 'text/plain' });
    }
    const r = auth.checkPassword(body.user_name ?? '', body.password ?? '');
    if (!r.ok) return sendAuthError(res, r.message);
    if (cfg.auth === 'token') {
      const token = auth.issueToken(r.user);
      return send(res, 200, { id: auth.userId, user_name: r.user, token }, { Authorization: `Bearer ${token}` });
    }
    // Current Primero: session cookie, no token in the body.
    send(res, 200, { id: auth.userId, user_name: r.user }, { 'Set-Cookie': '_app_session=sim; path=/; HttpOnly; SameSite=Lax' });
  };

  const applyFault = (res: ServerResponse, path: string, entry: NonNullable<ReturnType<FaultPlan['next']>>): boolean => {
    if ('status' in entry) {
      if (entry.rawBody !== undefined) send(res, entry.status, entry.rawBody, entry.headers);
      else send(res, entry.status, entry.body ?? {}, entry.headers);
      return true;
    }
    const retryAfter = faults.retryAfterSeconds;
    switch (entry.kind) {
      case 'hang':
        hanging.add(res); // never answered; the client has to time out
        return true;
      case 'reset':
        res.socket?.resetAndDestroy();
        return true;
      case '503': {
        const s = String(retryAfter ?? 60);
        send(res, 503, errorEnvelope(503, path, MESSAGES[503], `Retry-After: ${s}`), { 'Retry-After': s });
        return true;
      }
      case '429':
        send(res, 429, 'Retry later\n', { 'Content-Type': 'text/plain', ...(retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) }) });
        return true;
      case '401':
        sendAuthError(res, AUTH_MESSAGES.unauthenticated);
        return true;
      case '403':
        send(res, 403, errorEnvelope(403, path, MESSAGES[403]));
        return true;
      case '502':
        send(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'Content-Type': 'text/html' });
        return true;
      default:
        send(res, 500, errorEnvelope(500, path, MESSAGES[500]));
        return true;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry) => {
    const path = entry.path;
    const method = entry.method;
    if (latencyMs > 0) await sleep(latencyMs);
    const fault = faults.next(path);
    if (fault && applyFault(res, path, fault)) return;
    if (path === '/api/v2/tokens' || path === '/api/v2/tokens.json') {
      if (method === 'POST') return handleLogin(req, res);
      if (method === 'DELETE') return send(res, 200, {});
    }
    const who = auth.authenticate(req.headers.authorization);
    if (!who.ok) return sendAuthError(res, who.message);
    const params = parseRackQuery(entry.rawQuery);
    if (method !== 'GET') return send(res, 404, errorEnvelope(404, path, MESSAGES[404], path));
    if (path === '/api/v2/cases') return handleCases(res, path, params);
    const m = /^\/api\/v2\/cases\/([^/]+)$/.exec(path);
    if (m) return handleCase(res, path, decodeURIComponent(m[1] as string), params);
    if (path === '/api/v2/locations') return handleLocations(res, path, params);
    if (path === '/api/v2/lookups') return handleLookups(res, path, params);
    if (path === '/api/v2/forms') return handleForms(res, params);
    send(res, 404, errorEnvelope(404, path, MESSAGES[404], path));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : url.search;
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      rawQuery,
      status: 0,
      at: Date.now(),
      ...(req.headers.authorization ? { authScheme: req.headers.authorization.split(' ')[0] } : {}),
    };
    requests.push(entry);
    const arrived = performance.now();
    res.on('finish', () => {
      entry.status = res.statusCode;
      entry.ms = performance.now() - arrived;
    });
    handle(req, res, entry).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, errorEnvelope(500, entry.path, e instanceof Error ? e.message : String(e)));
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const render = (c: SimCase) => renderCase(c, { kind: 'all' });

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    options: cfg,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        hanging.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    setLatency: (ms, perRecord = 0) => {
      latencyMs = ms;
      perRecordMs = perRecord;
    },
    setFaults: (o) => faults.set(o),
    queueResponses: (...r) => faults.enqueue(...r),
    clearFaults: () => faults.clear(),
    setChurn: (o) => {
      churnPerRequest = o.perRequest;
    },
    clearRequests: () => {
      requests.length = 0;
    },
    records: () => store.snapshot(),
    updateCase: (id, patch) => render(store.updateCase(id, patch)),
    createCase: (overrides) => render(store.createCase(overrides)),
    disableCase: (id) => render(store.disableCase(id)),
    issueToken: () => auth.issueToken(cfg.user),
  };
}

export type { FaultOptions, ScriptedResponse, RackValue };
