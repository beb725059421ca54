import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { startEmbeddedPostgres } from '../../lib/db/embedded.ts';

/**
 * Fresh, empty databases for integration tests, one per call, on each target:
 * the real server (a new database created and dropped on it) and the embedded
 * PGlite. Test files use `describe.each(databaseTargets())`.
 */
export type TargetKind = 'server' | 'embedded';

export interface TestDatabase {
  url: string;
  kind: TargetKind;
  drop(): Promise<void>;
}

export function databaseTargets(): TargetKind[] {
  return inject('serverDatabaseUrl') ? ['server', 'embedded'] : ['embedded'];
}

export function serverAdminUrl(): string {
  return inject('serverDatabaseUrl');
}

export async function createTestDatabase(kind: TargetKind): Promise<TestDatabase> {
  if (kind === 'embedded') {
    const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
    return { url: embedded.url, kind, drop: () => embedded.stop() };
  }
  const admin = serverAdminUrl();
  if (!admin) throw new Error('no PostgreSQL server for tests');
  const name = `pos_test_${randomBytes(6).toString('hex')}`;
  await withClient(admin, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind,
    drop: () => withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

export async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await f(client);
  } finally {
    await client.end();
  }
}
