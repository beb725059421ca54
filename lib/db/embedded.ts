import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * An embedded PostgreSQL: PGlite (Postgres compiled to WASM) served over the
 * wire protocol on a loopback port, so the project talks to it with the same
 * `pg` client it uses for a real server.
 */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** A folder to keep the data in between runs, or `memory://` for a throw-away database. */
  dataDir: string;
  /**
   * PGlite is single-connection; the socket server multiplexes clients over it at
   * query level, so callers should keep to one connection at a time.
   */
  maxConnections?: number;
}

/** Shared buffers of the embedded database (PostgreSQL's default is 128MB). */
export const EMBEDDED_SHARED_BUFFERS = '16MB';

/** The embedded database itself, configured as the CLI runs it. */
export function createPGlite(dataDir: string): Promise<PGlite> {
  return PGlite.create({
    ...(dataDir === 'memory://' ? {} : { dataDir }),
    // PostgreSQL's default 128 MB of shared buffers sits inside this process's memory here: a sync's
    // batch of 1000 cases needs far less (measured: a 20 000-case sync peaks at about 360 MB, not 470).
    postgresqlconf: [`shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
  });
}

/** Serves `db` on a free loopback port; stopping it closes `db` too. */
export async function servePGlite(db: PGlite, maxConnections = 4): Promise<EmbeddedPostgres> {
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  try {
    await server.start();
  } catch (e) {
    await db.close();
    throw e;
  }
  const conn = server.getServerConn(); // "127.0.0.1:<port>"
  const port = Number(conn.split(':').pop());
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  return servePGlite(await createPGlite(options.dataDir), options.maxConnections);
}
