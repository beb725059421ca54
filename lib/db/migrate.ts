import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { silentLogger, type Logger } from '../log/logger.ts';
import { seedReference } from './seed-reference.ts';

/**
 * Numbered SQL migrations (db/migrations/NNN_name.sql), applied in order, each
 * once, each in its own transaction, recorded in `schema_migrations`. A
 * session-level advisory lock makes a second process wait instead of racing.
 */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../db/migrations/', import.meta.url));

/** Arbitrary but fixed: every process of this project locks the same key. */
const MIGRATION_LOCK_KEY = 7_243_118_004;

const FILE_PATTERN = /^(\d{3,})_[a-z0-9_]+\.sql$/;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateOptions {
  logger?: Logger;
  dir?: string;
  /** TLS for the migration's own connection: the same settings as the sync's, or credentials would cross in plain text. */
  ssl?: pg.ClientConfig['ssl'];
}

export interface MigrateResult {
  applied: string[];
}

/** The minimal client surface migrate needs (pg.Client and pg.PoolClient both fit). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

export async function listMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => FILE_PATTERN.test(n)).sort();
  const seen = new Set<string>();
  const out: Migration[] = [];
  for (const name of names) {
    const number = FILE_PATTERN.exec(name)![1]!;
    if (seen.has(number)) throw new Error(`two migrations share the number ${number} in ${dir}`);
    seen.add(number);
    const sql = await readFile(path.join(dir, name), 'utf8');
    out.push({ name: name.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

export async function migrate(target: string | Queryable, options: MigrateOptions = {}): Promise<MigrateResult> {
  if (typeof target !== 'string') return migrateWith(target, options);
  const client = new pg.Client({ connectionString: target, ...(options.ssl !== undefined ? { ssl: options.ssl } : {}) });
  await client.connect();
  try {
    return await migrateWith(client, options);
  } finally {
    await client.end();
  }
}

async function migrateWith(client: Queryable, options: MigrateOptions): Promise<MigrateResult> {
  const logger = options.logger ?? silentLogger;
  const migrations = await listMigrations(options.dir);
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query('SELECT name, checksum FROM schema_migrations');
    const done = new Map<string, string>(rows.map((r: { name: string; checksum: string }) => [r.name, r.checksum]));
    const applied: string[] = [];
    for (const m of migrations) {
      const checksum = done.get(m.name);
      if (checksum !== undefined) {
        // Applied migrations are history: editing one has no effect, so say so.
        if (checksum !== m.checksum) logger.warn(`migration ${m.name} changed after it was applied; add a new migration instead`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        const why = e instanceof Error ? e.message : String(e);
        throw new Error(`migration ${m.name} failed: ${why}`, { cause: e });
      }
      logger.info(`applied migration ${m.name}`);
      applied.push(m.name);
    }
    await seedReference(client);
    return { applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
  }
}
