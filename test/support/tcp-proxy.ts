import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy a test can cut: every open connection is dropped and
 * new ones are refused until it is restored. Stands between the sync and a
 * real database to play "the connection dropped" and "the server refuses".
 */
export interface TcpProxy {
  port: number;
  /** Drop every connection now and refuse new ones. */
  cut(): void;
  restore(): Promise<void>;
  /** Drop every open connection, keep accepting new ones. */
  dropConnections(): void;
  /**
   * Arms a one-shot trap: the next time a client sends bytes matching
   * `pattern` (e.g. a statement inside a batch's transaction), every
   * connection is dropped, before those bytes reach the server or, with
   * `forward`, just after (the server got them; the client never hears back).
   * Resolves when it fired.
   */
  dropWhenClientSends(pattern: RegExp, options?: { forward?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let refusing = false;
  let trap: { pattern: RegExp; forward: boolean; fired: () => void } | null = null;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      const armed = trap;
      if (armed && armed.pattern.test(chunk.toString('latin1'))) {
        trap = null;
        if (armed.forward) {
          // The server gets the bytes and answers; the answer is never passed on.
          upstream.unpipe(client);
          upstream.write(chunk, () =>
            setTimeout(() => {
              dropConnections();
              armed.fired();
            }, 100),
          );
        }
        else {
          dropConnections();
          armed.fired();
        }
        return;
      }
      upstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const dropConnections = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  return {
    port,
    cut() {
      refusing = true;
      dropConnections();
    },
    async restore() {
      refusing = false;
    },
    dropConnections,
    dropWhenClientSends: (pattern, options = {}) =>
      new Promise<void>((resolve) => {
        trap = { pattern, forward: options.forward ?? false, fired: resolve };
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        dropConnections();
        server.close(() => resolve());
      }),
  };
}
