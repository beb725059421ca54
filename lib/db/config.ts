import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PoolConfig } from 'pg';
import { z } from 'zod';

/**
 * Database configuration as a job's `state.configuration` (or the CLI) gives
 * it: a connection string, or the official adaptor's keys
 * `{host, port, database, user, password, ssl}` (plus `connectionString`).
 * Validated here so a bad configuration fails with one clear message, which
 * never contains the password.
 */
const pemOrPath = z.string().min(1);

const tlsObject = z.object({
  rejectUnauthorized: z.boolean().optional(),
  ca: pemOrPath.optional(),
  cert: pemOrPath.optional(),
  key: pemOrPath.optional(),
  servername: z.string().optional(),
});

export const DatabaseConfigSchema = z
  .object({
    connectionString: z.string().min(1).optional(),
    url: z.string().min(1).optional(),
    host: z.string().min(1).optional(),
    port: z.coerce.number().int().min(1).max(65535).optional(),
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
    ssl: z.union([z.boolean(), tlsObject]).optional(),
    // The official adaptor's flat TLS keys, kept for compatibility.
    allowSelfSignedCert: z.boolean().optional(),
    ca: pemOrPath.optional(),
    cert: pemOrPath.optional(),
    key: pemOrPath.optional(),
    /** Connections the pool may hold; 1 for the embedded database. */
    maxConnections: z.number().int().min(1).max(100).optional(),
  })
  .refine((c) => Boolean(c.connectionString || c.url || c.host), {
    message: 'give a connection string (connectionString) or a host',
  });

export type DatabaseConfigInput = string | z.input<typeof DatabaseConfigSchema>;

export interface ResolvedDatabaseConfig {
  pool: PoolConfig;
  maxConnections: number;
  /** A stable digest of the settings (for keying pools without holding credentials in keys). */
  key: string;
}

export class DatabaseConfigError extends Error {
  override readonly name = 'DatabaseConfigError';
}

export function resolveDatabaseConfig(input: unknown): ResolvedDatabaseConfig {
  const raw = typeof input === 'string' ? { connectionString: input } : input;
  const parsed = DatabaseConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    // Issue paths and messages only: zod would otherwise echo the input (passwords).
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'configuration'}: ${i.message}`).join('; ');
    throw new DatabaseConfigError(`invalid database configuration: ${why}`);
  }
  const c = parsed.data;
  const pool: PoolConfig = {};
  const connectionString = c.connectionString ?? c.url;
  if (connectionString) pool.connectionString = connectionString;
  if (c.host) pool.host = c.host;
  if (c.port) pool.port = c.port;
  if (c.database) pool.database = c.database;
  if (c.user) pool.user = c.user;
  if (c.password !== undefined) pool.password = c.password;
  const ssl = tlsOptions(c);
  if (ssl !== undefined) pool.ssl = ssl;
  const maxConnections = c.maxConnections ?? 1;
  const key = createHash('sha256').update(JSON.stringify([pool, maxConnections])).digest('hex');
  return { pool, maxConnections, key };
}

function tlsOptions(c: z.output<typeof DatabaseConfigSchema>): PoolConfig['ssl'] {
  if (c.ssl === undefined && !c.ca && !c.cert && !c.key) return undefined;
  if (c.ssl === false) return false;
  const o = typeof c.ssl === 'object' ? c.ssl : {};
  const ca = o.ca ?? c.ca;
  const cert = o.cert ?? c.cert;
  const key = o.key ?? c.key;
  return {
    rejectUnauthorized: o.rejectUnauthorized ?? !c.allowSelfSignedCert,
    ...(ca ? { ca: pem(ca, 'ca') } : {}),
    ...(cert ? { cert: pem(cert, 'cert') } : {}),
    ...(key ? { key: pem(key, 'key') } : {}),
    ...(o.servername ? { servername: o.servername } : {}),
  };
}

/** A PEM given inline is used as is; anything else is a file path. */
function pem(value: string, what: string): string {
  if (value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new DatabaseConfigError(`invalid database configuration: ssl ${what} file ${value} cannot be read (${code})`);
  }
}
