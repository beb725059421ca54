import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.ts';
import { redactSecrets, type Logger } from '../log/logger.ts';
import type { SyncStatus } from './compute.ts';

/**
 * `GET /healthz` for `serve`: the same status as `primero-ona status --json`
 * (lib/status), 200 when healthy and 503 otherwise (failed, overdue, never
 * run, database unreachable), so a monitor needs only the HTTP code. No
 * secrets: ids, times, counts, field names and reasons. Loopback by default.
 */
export interface HealthServer {
  url: string;
  stop(): Promise<void>;
}

export interface HealthServerOptions {
  port: number;
  host?: string;
  status: () => Promise<SyncStatus>;
  logger: Logger;
  /** A status that takes longer (the embedded database busy with a batch) answers 503. */
  timeoutMs?: number;
}

/**
 * The request handler alone, so another server (the dashboard's) can mount
 * /healthz too. Returns false for requests that are not its own.
 */
export function healthzHandler(status: () => Promise<SyncStatus>, timeoutMs = 10_000): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/healthz') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`status check took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    Promise.race([status(), timedOut])
      .then(
        (s) => [s.exitCode === 0 ? 200 : 503, s] as const,
        (e: unknown) => [503, { state: 'unknown', exitCode: 1, summary: e instanceof Error ? e.message : String(e) }] as const,
      )
      .then(([code, body]) => {
        clearTimeout(timer);
        res.writeHead(code, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : redactSecrets(JSON.stringify(body)));
      });
    return true;
  };
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const handle = healthzHandler(options.status, options.timeoutMs);
  const server = http.createServer((req, res) => {
    if (!handle(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try GET /healthz\n');
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  }).catch((e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot listen on ${host}:${options.port} for /healthz${code ? ` (${code})` : ''}`, 'choose another --health-port (HEALTH_PORT)');
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.logger.debug(`/healthz listening at ${url}`);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
