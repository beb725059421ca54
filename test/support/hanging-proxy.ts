import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP hop in front of the simulator that never answers one request: the
 * first request for /api/v2/cases that `hangOn` picks is held open (no
 * status, no body) while `hanging` is true, as a Primero stuck behind a dead upstream
 * would. Every other request is passed through.
 */
export interface HangingProxy {
  url: string;
  /** Requests for pages of cases seen so far. */
  readonly pages: number;
  /** Requests held open so far. */
  readonly held: number;
  hanging: boolean;
  stop(): Promise<void>;
}

export async function startHangingProxy(target: string, hangOn: (url: URL) => boolean): Promise<HangingProxy> {
  const state = { pages: 0, held: 0, hanging: true };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v2/cases') {
      state.pages++;
      if (state.hanging && state.held === 0 && hangOn(url)) {
        state.held++;
        return; // never answered; closed when the client gives up or the proxy stops
      }
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'accept', 'content-type']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
    try {
      const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
      const text = await upstream.text();
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(text);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get pages() {
      return state.pages;
    },
    get held() {
      return state.held;
    },
    get hanging() {
      return state.hanging;
    },
    set hanging(v: boolean) {
      state.hanging = v;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
