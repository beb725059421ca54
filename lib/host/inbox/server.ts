import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log/logger.ts';
import { parseBatchMessage, type BatchMessage } from '../../core/messages.ts';
import { createMessageQueue, type MessageQueue } from './queue.ts';
import { API_KEY_HEADER, secretMatches } from './secret.ts';

/**
 * The inbox: an HTTP endpoint on loopback where jobs post the message that
 * starts the next batch, as OpenFn jobs post to a workflow's webhook. Only
 * posts carrying the shared secret are taken (401 otherwise), bodies are
 * limited in size (413), and a body that is not a valid batch message is
 * refused with 422 before anything runs.
 */
export const INBOX_PATH = '/inbox';
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface Inbox {
  url: string;
  messages: MessageQueue<BatchMessage>;
  stop(): Promise<void>;
}

export interface InboxOptions {
  secret: string;
  port?: number;
  maxBodyBytes?: number;
  logger: Logger;
}

function answer(res: http.ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      resolve('too-large');
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startInbox(options: InboxOptions): Promise<Inbox> {
  const messages = createMessageQueue<BatchMessage>();
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.logger;

  const server = http.createServer(async (req, res) => {
    try {
      if (req.url !== INBOX_PATH) return answer(res, 404, { error: 'not found' });
      if (req.method !== 'POST') return answer(res, 405, { error: 'only POST' });
      const given = req.headers[API_KEY_HEADER];
      if (!secretMatches(typeof given === 'string' ? given : undefined, options.secret)) {
        log.warn('inbox: refused a post without the API key (401)');
        req.resume();
        return answer(res, 401, { error: 'missing or wrong API key' });
      }
      const body = await readBody(req, limit);
      if (body === 'too-large') return answer(res, 413, { error: `body larger than ${limit} bytes` });
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        return answer(res, 422, { error: 'body is not JSON' });
      }
      const parsed = parseBatchMessage(json);
      if (!parsed.ok) {
        log.warn(`inbox: refused a malformed message (422): ${parsed.error}`);
        return answer(res, 422, { error: parsed.error });
      }
      messages.push(parsed.message);
      return answer(res, 202, { accepted: true, runId: parsed.message.runId, batch: parsed.message.batch });
    } catch (e) {
      log.error(`inbox: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) answer(res, 500, { error: 'inbox error' });
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${INBOX_PATH}`,
    messages,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
