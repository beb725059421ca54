import pg from 'pg';
import type { DatabaseSettingsSource } from '../config/settings.ts';
import { UserError } from '../errors.ts';
import { redactSecrets, type Logger } from '../log/logger.ts';
import { DEFAULT_RETRY_POLICY, retrying, RetryExhausted, type RetryPolicy } from '../core/retry.ts';
import { classifyDatabaseFailure } from '../core/database-failure.ts';
import { DatabaseConfigError, resolveDatabaseConfig } from './config.ts';
import { describeDatabase, openDatabase, type DatabaseHandle } from './database.ts';

/**
 * The one way every command opens the ONA database: from the same settings
 * (`DATABASE_URL` or `database.connectionString`, `DATABASE_SSL_CA` or
 * `database.ssl`), with the same TLS options on every connection, waiting
 * within the retry budget for a database that is restarting, and failing in
 * one line that names the setting, host and port (never the password).
 */
export interface OpenedDatabase {
  handle: DatabaseHandle;
  /** What `pg` needs for a connection: the URL and the TLS options. */
  connection: pg.ClientConfig;
  /** "PostgreSQL at host:5432/db" or "embedded PostgreSQL (PGlite)". */
  description: string;
  /** A new connected client. `readOnly`: inside one read-only transaction, left open until `end()` (report, status). */
  connect(options?: { readOnly?: boolean }): Promise<pg.Client>;
  close(): Promise<void>;
}

export interface OpenConfiguredOptions {
  source: DatabaseSettingsSource;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** How long a database that does not answer is waited for (default: DATABASE_WAIT_SECONDS, else the sync's retry policy). */
  wait?: RetryPolicy;
  /** Where the embedded database keeps its files (embedded only). */
  dataDir?: string;
  /** Refuse to create an embedded database that does not exist yet (read-only commands). */
  existingOnly?: boolean;
}

/** The database could not be reached or refused the connection; `status` exits 2 on it. */
export class DatabaseUnavailableError extends UserError {
  readonly unavailable = true;
}

/** A connection attempt that never answers counts as a failed try, not a hang. */
const CONNECT_TIMEOUT_MS = 10_000;

/** DATABASE_WAIT_SECONDS=n: wait up to n seconds for the database at start-up instead of the default budget (about 31 s). */
export function startupWaitPolicy(env: NodeJS.ProcessEnv): RetryPolicy {
  const raw = env.DATABASE_WAIT_SECONDS;
  if (raw === undefined || raw === '') return DEFAULT_RETRY_POLICY;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UserError('DATABASE_WAIT_SECONDS is not valid: expected a number of seconds, e.g. 60');
  // Tries enough to fill the time (delays 0.5, 1, 2, 4, 8, 8 … s); the time is the limit.
  return { maxAttempts: seconds === 0 ? 1 : Math.ceil(seconds / 8) + 5, minDelayMs: 500, maxDelayMs: 8000, maxTotalMs: seconds * 1000 };
}

/** `host:port` of a connection string, for messages (never the user or password). */
export function hostAndPort(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || 5432}`;
  } catch {
    return 'an unparseable address';
  }
}

/** The first line of a driver error, with anything that looks like a credential masked. */
function reason(e: unknown): string {
  // The failure the waiting ended on, in its own words (the wait is said apart).
  const message = e instanceof RetryExhausted ? e.failure.line : e instanceof Error ? e.message : String(e);
  return redactSecrets(message.split('\n')[0] ?? message);
}

export async function openConfiguredDatabase(options: OpenConfiguredOptions): Promise<OpenedDatabase> {
  const env = options.env ?? process.env;
  const { database, setting, sslSetting } = options.source;
  const wait = options.wait ?? startupWaitPolicy(env);
  const handle = await openDatabase({
    env: {},
    ...(database.connectionString ? { url: database.connectionString } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : env.PGLITE_DATA_DIR ? { dataDir: env.PGLITE_DATA_DIR } : {}),
    ...(options.existingOnly ? { existingOnly: true } : {}),
  });
  let connection: pg.ClientConfig;
  try {
    // The embedded database listens in plain text on loopback; TLS settings are for a server.
    const ssl = handle.kind === 'server' && database.ssl !== undefined ? { ssl: database.ssl } : {};
    connection = resolveDatabaseConfig({ connectionString: handle.url, ...ssl }).pool;
  } catch (e) {
    await handle.close();
    if (e instanceof DatabaseConfigError) throw new UserError(`${sslSetting}: ${e.message.replace(/^invalid database configuration: /, '')}`, `check ${sslSetting}`);
    throw e;
  }
  const description = describeDatabase(handle);
  const where = handle.kind === 'embedded' ? description : `the database at ${hostAndPort(handle.url)} (${setting})`;

  const connectOnce = async (readOnly: boolean): Promise<pg.Client> => {
    const client = new pg.Client({ ...connection, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // A server going away later must fail the query under way, not crash the process.
    client.on('error', () => {});
    try {
      await client.connect();
      // Enforced by the server: a read command cannot change the schema or the data by mistake,
      // and reads one snapshot. A transaction, not a session SET: behind a transaction pooler
      // (or PGlite's shared session) a SET would outlive this client and make a sync read-only.
      // Ending the connection ends it.
      if (readOnly) await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return client;
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
  };

  let waited = false;
  const started = Date.now();
  try {
    const probe = await retrying(`waiting for ${where}`, () => connectOnce(false), wait, {
      // A refused password or a missing database will not change: only what may pass is waited for.
      classify: classifyDatabaseFailure,
      log: (line) => options.logger.warn(line),
      beforeRetry: () => {
        waited = true;
      },
    });
    await probe.end().catch(() => {});
  } catch (e) {
    await handle.close();
    const seconds = Math.round((Date.now() - started) / 1000);
    const why = reason(e);
    const tls = /SSL|TLS|certificate/i.test(why);
    throw new DatabaseUnavailableError(
      `cannot connect to ${where}${waited ? ` after waiting ${seconds}s` : ''}: ${why}`,
      tls ? `check ${sslSetting} and that the server offers TLS` : `check ${setting === 'embedded' ? 'DATABASE_URL' : setting} and that the database is up`,
      1,
    );
  }

  return {
    handle,
    connection,
    description,
    connect: async (o = {}) => {
      try {
        return await connectOnce(Boolean(o.readOnly));
      } catch (e) {
        throw new DatabaseUnavailableError(`cannot connect to ${where}: ${reason(e)}`, `check ${setting} and that the database is up`);
      }
    },
    close: () => handle.close(),
  };
}

/** Applies pending migrations over a connection of the opened database (its TLS settings included). */
export async function migrateOpened(db: OpenedDatabase, logger: Logger): Promise<string[]> {
  const { migrate } = await import('./migrate.ts');
  const client = await db.connect();
  try {
    return (await migrate(client, { logger })).applied;
  } finally {
    await client.end().catch(() => {});
  }
}
