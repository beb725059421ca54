import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { createPGlite, servePGlite } from '../../lib/db/embedded.ts';

/**
 * The benchmark's database: a fresh database on the DATABASE_URL server, or an
 * embedded PGlite served from this (the benchmark's) process, so the sync's
 * memory figure is the sync's alone.
 */
export interface BenchDatabase {
  url: string;
  kind: 'server' | 'embedded';
  /** The embedded instance, whose COPY goes through PGlite itself rather than its socket. */
  pglite?: PGlite;
  close(): Promise<void>;
}

/** One per benchmark process, so a smoke run and a full run can share a server. */
export const BENCH_DATABASE = `primero_ona_bench_${process.pid}`;

export async function openBenchDatabase(env: NodeJS.ProcessEnv = process.env, suffix = ''): Promise<BenchDatabase> {
  const serverUrl = env.DATABASE_URL;
  const name = `${BENCH_DATABASE}${suffix}`;
  if (!serverUrl) {
    // Configured as the CLI's, and kept at hand for the write floor's COPY, which its socket does not carry.
    const pglite = await createPGlite('memory://');
    const served = await servePGlite(pglite);
    return { url: served.url, kind: 'embedded', pglite, close: () => served.stop() };
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'server',
    async close() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => c.end());
    },
  };
}
