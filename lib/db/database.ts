import path from 'node:path';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { UserError } from '../errors.ts';

/**
 * The one way the CLI and the tests get a database: `DATABASE_URL` (or an
 * explicit url) when set, otherwise an embedded PostgreSQL on a loopback port.
 * Either way callers get a connection string for the `pg` client.
 */
export interface DatabaseHandle {
  url: string;
  kind: 'server' | 'embedded';
  /** Connections a caller may hold at once (the embedded database is single-connection underneath). */
  maxConnections: number;
  /** Where the embedded database keeps its files (embedded only). */
  dataDir?: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  url?: string;
  /** Where the embedded database keeps its files; `memory://` for none. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Read-only commands (report, status, dashboard): an embedded database that
   * has never been created is refused, not created (about 40 MB) to read nothing.
   */
  existingOnly?: boolean;
}

export const DEFAULT_EMBEDDED_DIR = '.data/pglite';

/** Connections a caller may hold at once: a server takes several, the embedded database one at a time. */
export const maxConnections = (url: string | undefined): number => (url ? 10 : 1);

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const env = options.env ?? process.env;
  const url = options.url ?? (env.DATABASE_URL || undefined);
  if (url) {
    return { url, kind: 'server', maxConnections: maxConnections(url), close: async () => {} };
  }
  const dataDir = options.dataDir ?? (env.PGLITE_DATA_DIR || DEFAULT_EMBEDDED_DIR);
  if (options.existingOnly && dataDir !== 'memory://' && !existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new UserError(
      `no database to read: DATABASE_URL is not set, and there is no embedded database at ${path.resolve(dataDir)}`,
      'set DATABASE_URL (or "database.connectionString" in a credentials file), or run `primero-ona sync` first to fill the embedded database',
    );
  }
  if (dataDir !== 'memory://') await mkdir(path.resolve(dataDir), { recursive: true });
  // PGlite is loaded only when it is used: a sync against a server never pays for it.
  const { startEmbeddedPostgres } = await import('./embedded.ts');
  const embedded = await startEmbeddedPostgres({ dataDir });
  return { url: embedded.url, kind: 'embedded', maxConnections: maxConnections(undefined), dataDir, close: () => embedded.stop() };
}

/** Describes a database for humans without its password. */
export function describeDatabase(handle: Pick<DatabaseHandle, 'url' | 'kind' | 'dataDir'>): string {
  if (handle.kind === 'embedded') return handle.dataDir && handle.dataDir !== 'memory://' ? `embedded PostgreSQL (PGlite) at ${path.resolve(handle.dataDir)}` : 'embedded PostgreSQL (PGlite, in memory)';
  try {
    const u = new URL(handle.url);
    return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}
