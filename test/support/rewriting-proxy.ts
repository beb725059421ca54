import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP hop in front of the simulator that rewrites the JSON of its
 * /api/v2/cases pages, so a test can serve every page with missing or
 * contradicting metadata while the records themselves stay real.
 */
export type PageRewrite = (page: { data: unknown[]; metadata?: Record<string, unknown> }) => Record<string, unknown>;

export interface RewritingProxy {
  url: string;
  rewritten: number;
  stop(): Promise<void>;
}

export async function startRewritingProxy(target: string, rewrite: PageRewrite): Promise<RewritingProxy> {
  const state = { rewritten: 0 };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'accept', 'content-type']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
    const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
    let text = await upstream.text();
    if (upstream.ok && new URL(req.url ?? '/', 'http://x').pathname === '/api/v2/cases') {
      text = JSON.stringify(rewrite(JSON.parse(text)));
      state.rewritten++;
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get rewritten() {
      return state.rewritten;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
