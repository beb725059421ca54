import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { nearestName } from './nearest-name.ts';
import { jsonSyntaxError } from './json-syntax-error.ts';
import { UserError } from '../errors.ts';
import { normalisePrimeroBaseUrl } from '../host/primero/base-url.ts';

/**
 * Where the sync's settings come from: environment variables, or a credentials
 * file (`-c credentials.json`) whose values win over the environment. Every
 * missing or malformed setting is one line that names the variable and the key.
 */
export const PrimeroSettings = z.object({
  /** The base URL; `…/api/v2` and trailing slashes are accepted and dropped. */
  url: z.url({ protocol: /^https?$/ }).transform(normalisePrimeroBaseUrl),
  user: z.string().min(1),
  password: z.string().min(1),
  authMode: z.enum(['basic', 'token']).default('basic'),
  /** Per-request timeout and retry budget of the Primero client (defaults in lib/core/primero-calls.ts). */
  timeoutMs: z.int().positive().optional(),
  maxAttempts: z.int().positive().optional(),
  maxRetryMs: z.int().nonnegative().optional(),
});
export type PrimeroSettings = z.infer<typeof PrimeroSettings>;

const DatabaseTls = z.object({
  rejectUnauthorized: z.boolean().optional(),
  /** A CA file path or PEM text. */
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
});

export const DatabaseSettings = z.object({
  connectionString: z.string().min(1).optional(),
  ssl: z.union([z.boolean(), DatabaseTls]).optional(),
});
export type DatabaseSettings = z.infer<typeof DatabaseSettings>;

/** The dashboard and reports (lib/dashboard, `report`): who may look, and how small a shown count may be. */
export const DashboardSettings = z.object({
  /** Required to bind the dashboard to anything but loopback (HTTP Basic, any user name). */
  password: z.string().min(8).optional(),
  /** Counts from 1 to this minus 1 are shown as "<N" (1 shows every count). */
  smallCellThreshold: z.int().min(1).max(1000).default(5),
});
export type DashboardSettings = z.infer<typeof DashboardSettings>;

const CREDENTIALS_SHAPE = 'expected {"primero": {"url","user","password"}, "database": {"connectionString", "ssl"}} (README: Configuration)';

const CredentialsFile = z
  .object({
    primero: PrimeroSettings.partial().optional(),
    database: DatabaseSettings.optional(),
    dashboard: DashboardSettings.partial().optional(),
  })
  .strict();

export interface Settings {
  primero: PrimeroSettings;
  database: DatabaseSettings;
}

const numberOrUndefined = (v: string | undefined): number | undefined => (v ? Number(v) : undefined);

const ENV_KEYS = {
  url: ['PRIMERO_URL', 'primero.url'],
  user: ['PRIMERO_USER', 'primero.user'],
  password: ['PRIMERO_PASSWORD', 'primero.password'],
  authMode: ['PRIMERO_AUTH_MODE', 'primero.authMode'],
  timeoutMs: ['PRIMERO_TIMEOUT_MS', 'primero.timeoutMs'],
  maxAttempts: ['PRIMERO_MAX_ATTEMPTS', 'primero.maxAttempts'],
  maxRetryMs: ['PRIMERO_MAX_RETRY_MS', 'primero.maxRetryMs'],
} as const;

/** Every key a credentials file may hold, by where it may stand (the `ssl` object's only when `ssl` is one). */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(CredentialsFile.shape),
  primero: Object.keys(PrimeroSettings.shape),
  database: Object.keys(DatabaseSettings.shape),
  'database.ssl': Object.keys(DatabaseTls.shape),
  dashboard: Object.keys(DashboardSettings.shape),
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A misspelt key would be ignored and its setting silently taken from
 * elsewhere ("connectionstring" → the embedded database): refused, naming the
 * key and the nearest known one. Keys only: values are never echoed.
 */
function findUnknownKey(json: unknown): string | null {
  for (const [where, known] of Object.entries(KNOWN_KEYS)) {
    const value = where === '' ? json : where.split('.').reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), json);
    if (!isObject(value)) continue;
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const path = (k: string) => (where ? `${where}.${k}` : k);
      const near = nearestName(key, known);
      return `unknown key "${path(key)}"${near ? `; did you mean "${path(near)}"?` : `; known keys here: ${known.join(', ')}`}`;
    }
  }
  return null;
}

export async function readCredentialsFile(file: string): Promise<z.infer<typeof CredentialsFile>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`credentials file not found: ${file}`);
  }
  // Editors on Windows may start a UTF-8 file with a byte order mark, which JSON.parse refuses.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message may quote the file, password included: only where and what.
    throw new UserError(`credentials file ${file} is ${jsonSyntaxError(text)}`);
  }
  const unknown = findUnknownKey(json);
  if (unknown) throw new UserError(`credentials file ${file}: ${unknown}`, CREDENTIALS_SHAPE);
  const r = CredentialsFile.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new UserError(`credentials file ${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`, CREDENTIALS_SHAPE);
  }
  return r.data;
}

/** The Primero part of the settings; the database part may be empty (embedded default). */
export async function loadSettings(env: NodeJS.ProcessEnv, credentialsFile?: string): Promise<Settings> {
  const file = credentialsFile ? await readCredentialsFile(credentialsFile) : {};
  const raw = {
    url: file.primero?.url ?? env.PRIMERO_URL,
    user: file.primero?.user ?? env.PRIMERO_USER,
    password: file.primero?.password ?? env.PRIMERO_PASSWORD,
    authMode: file.primero?.authMode ?? (env.PRIMERO_AUTH_MODE || undefined),
    timeoutMs: file.primero?.timeoutMs ?? numberOrUndefined(env.PRIMERO_TIMEOUT_MS),
    maxAttempts: file.primero?.maxAttempts ?? numberOrUndefined(env.PRIMERO_MAX_ATTEMPTS),
    // Listed in ENV_KEYS but never read: an operator's retry budget was silently ignored.
    maxRetryMs: file.primero?.maxRetryMs ?? numberOrUndefined(env.PRIMERO_MAX_RETRY_MS),
  };
  for (const key of ['url', 'user', 'password'] as const) {
    if (!raw[key]) {
      const [envName, fileKey] = ENV_KEYS[key];
      throw new UserError(`${envName} is not set`, `set ${envName} or "${fileKey}" in a credentials file (-c credentials.json)`);
    }
  }
  const primero = PrimeroSettings.safeParse(raw);
  if (!primero.success) {
    const issue = primero.error.issues[0]!;
    const key = issue.path[0] as keyof typeof ENV_KEYS;
    // Never echo the value: it may be a password.
    throw new UserError(`${ENV_KEYS[key]?.[0] ?? key} is not valid: ${issue.message}`);
  }
  return { primero: primero.data, database: databaseFrom(env, file).database };
}

/** The database settings and the names an operator knows them by (for one-line errors). */
export interface DatabaseSettingsSource {
  database: DatabaseSettings;
  /** Where the connection string came from: `DATABASE_URL` or the credentials file key. */
  setting: 'DATABASE_URL' | 'database.connectionString' | 'embedded';
  /** Where the TLS settings came from. */
  sslSetting: 'DATABASE_SSL_CA' | 'database.ssl';
}

const POSTGRES_URL = /^(postgres|postgresql|socket):$/;

function databaseFrom(env: NodeJS.ProcessEnv, file: z.infer<typeof CredentialsFile>): DatabaseSettingsSource {
  const database: DatabaseSettings = { ...file.database };
  let setting: DatabaseSettingsSource['setting'] = database.connectionString ? 'database.connectionString' : 'embedded';
  if (!database.connectionString && env.DATABASE_URL) {
    database.connectionString = env.DATABASE_URL;
    setting = 'DATABASE_URL';
  }
  const sslSetting = database.ssl === undefined && env.DATABASE_SSL_CA ? 'DATABASE_SSL_CA' : 'database.ssl';
  if (database.ssl === undefined && env.DATABASE_SSL_CA) database.ssl = { ca: env.DATABASE_SSL_CA, rejectUnauthorized: true };
  if (database.connectionString && !isPostgresUrl(database.connectionString)) {
    // Never echo the value: it may hold the password.
    throw new UserError(`${setting} is not a valid PostgreSQL URL`, 'expected postgres://user:password@host:5432/database');
  }
  return { database, setting, sslSetting };
}

function isPostgresUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return POSTGRES_URL.test(u.protocol) && (u.protocol === 'socket:' || u.hostname !== '');
  } catch {
    return false;
  }
}

/**
 * Only the database part (migrate, report, status): those commands need no
 * Primero settings. Same precedence as `loadSettings`.
 */
export async function loadDatabaseSettings(env: NodeJS.ProcessEnv, credentialsFile?: string): Promise<DatabaseSettingsSource> {
  const file = credentialsFile ? await readCredentialsFile(credentialsFile) : {};
  return databaseFrom(env, file);
}

/** The dashboard's and reports' settings (the database comes from loadDatabaseSettings, as for every command). */
export async function loadDashboardSettings(env: NodeJS.ProcessEnv, credentialsFile?: string): Promise<DashboardSettings> {
  const file = credentialsFile ? await readCredentialsFile(credentialsFile) : {};
  const threshold = file.dashboard?.smallCellThreshold ?? (env.SMALL_CELL_THRESHOLD ? Number(env.SMALL_CELL_THRESHOLD) : undefined);
  const r = DashboardSettings.safeParse({ password: file.dashboard?.password ?? (env.DASHBOARD_PASSWORD || undefined), smallCellThreshold: threshold });
  if (!r.success) {
    const key = r.error.issues[0]!.path[0];
    // Never echo the value: it may be the password.
    if (key === 'password') throw new UserError('DASHBOARD_PASSWORD is not valid: at least 8 characters', 'set DASHBOARD_PASSWORD or "dashboard.password" in a credentials file');
    throw new UserError('SMALL_CELL_THRESHOLD is not valid: a whole number from 1 to 1000', 'set SMALL_CELL_THRESHOLD or "dashboard.smallCellThreshold" (default 5)');
  }
  return r.data;
}
