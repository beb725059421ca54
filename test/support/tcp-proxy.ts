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
  stop(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let refusing = false;
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
    client.pipe(upstream).pipe(client);
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
    stop: () =>
      new Promise<void>((resolve) => {
        dropConnections();
        server.close(() => resolve());
      }),
  };
}
