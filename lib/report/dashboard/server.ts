import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import type { Logger } from '../../log/logger.ts';
import { UserError } from '../../errors.ts';
import { readModel } from '../read-model.ts';
import { isQuarterChoice, quarterWithoutFigures, resolveQuarter } from '../quarter-choice.ts';
import { readQuarters } from '../queries.ts';
import { latestCompleteQuarter } from '../../core/quarters.ts';
import { hasCompletedSync, NO_COMPLETED_SYNC } from '../../status/completed-sync.ts';
import { ASSETS } from './assets.ts';
import { livePage } from './page.ts';

/**
 * The dashboard: one page, its assets, and GET /api/model?quarter=… which
 * returns the suppressed aggregates of lib/indicators-read (never a case row).
 * Loopback by default; on any other address a password (HTTP Basic) is required.
 */
export interface DashboardOptions {
  /** A connected client inside a read-only transaction (OpenedDatabase.connect({ readOnly: true })); ended after each request. */
  connect: () => Promise<pg.Client>;
  host?: string;
  port?: number;
  /** How the caller's user picks another port, named when this one is taken (default `--port`). */
  portOption?: string;
  password?: string | undefined;
  threshold: number;
  logger: Logger;
  now?: () => Date;
}

export interface Dashboard {
  url: string;
  stop(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Refuses, in one line, to show child-protection figures beyond this machine without a password. */
export function checkBinding(host: string, password: string | undefined): void {
  if (!isLoopback(host) && !password) {
    throw new UserError(`refusing to serve the dashboard on ${host} without a password`, 'set DASHBOARD_PASSWORD (or "dashboard.password" in a credentials file), or bind to 127.0.0.1');
  }
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** HTTP Basic, any user name; compared in constant time. */
export function authorized(header: string | undefined, password: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return timingSafeEqual(digest(decoded.slice(colon + 1)), digest(password));
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  checkBinding(host, options.password);
  const now = options.now ?? (() => new Date());

  const send = (res: http.ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };
  const json = (res: http.ServerResponse, status: number, value: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (options.password && !authorized(req.headers.authorization, options.password)) {
      return send(res, 401, 'text/plain; charset=utf-8', 'password required\n', { 'WWW-Authenticate': 'Basic realm="primero-ona dashboard", charset="UTF-8"' });
    }
    // On loopback without a password, a page of another site reaching us by DNS rebinding has the wrong Host.
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (!options.password && !isLoopback(hostName)) return send(res, 421, 'text/plain; charset=utf-8', 'wrong host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (url.pathname === '/') return send(res, 200, 'text/html; charset=utf-8', livePage(url.searchParams.get('lang') === 'km' ? 'km' : 'en'));
    if (url.pathname.startsWith('/assets/')) {
      const asset = Object.hasOwn(ASSETS, url.pathname.slice(8)) ? ASSETS[url.pathname.slice(8)] : undefined;
      if (!asset) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      return send(res, 200, asset.type, await readFile(asset.file), { 'Cache-Control': 'max-age=3600' });
    }
    if (url.pathname === '/api/model') {
      const choice = url.searchParams.get('quarter') || 'latest-complete';
      if (!isQuarterChoice(choice) || choice === 'all') return json(res, 400, { error: "quarter: expected 'latest-complete', 'current' or a quarter such as 2025-Q1" });
      const at = now();
      const quarter = resolveQuarter(choice, at) ?? latestCompleteQuarter(at);
      // One connection per request, in one read-only snapshot: the figures of a page agree with each other.
      const client = await options.connect();
      try {
        if (!(await hasCompletedSync(client))) return json(res, 200, { notice: NO_COMPLETED_SYNC });
        const problem = quarter === choice ? quarterWithoutFigures(quarter, at, await readQuarters(client)) : null;
        if (problem) return json(res, 400, { error: problem });
        return json(res, 200, await readModel(client, { quarter, threshold: options.threshold, now: at }));
      } finally {
        await client.end().catch(() => {});
      }
    }
    return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // The message names a table or a connection problem, never a figure or a record.
      options.logger.error(`dashboard: ${req.method} ${req.url?.split('?')[0]}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      if (!res.headersSent) json(res, 500, { error: 'could not read the indicators; see the server log' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'EADDRINUSE' ? new UserError(`dashboard port ${options.port ?? 0} on ${host} is in use`, `choose another with ${options.portOption ?? '--port'}`) : e);
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
