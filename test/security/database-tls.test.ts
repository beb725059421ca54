import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../lib/config/settings.ts';
import { resolveDatabaseConfig, DatabaseConfigError } from '../../lib/db/config.ts';
import { buildCredentialMap } from '../../lib/host/credentials.ts';
import { createTestDatabase, databaseTargets, withClient } from '../support/databases.ts';
import { startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';
import { startCli } from '../support/cli.ts';

/**
 * Database TLS: the `ssl` settings of a credentials file or DATABASE_SSL_CA,
 * a CA file path included, reach the pg driver's configuration for every
 * connection the sync opens; and a server without TLS, when TLS is required,
 * fails the sync at once with a clear message and nothing written.
 */
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUTESTONLYTESTONLYTESTONLYTESTONLY\n-----END CERTIFICATE-----\n';
const DB_PASSWORD = 'Tls-Db-Pa55word';
const PRIMERO = { url: 'https://primero.example.org', user: 'sync', password: 'Primero-Pa55' };

let dir: string;
let caFile: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pos-tls-'));
  caFile = path.join(dir, 'ca.pem');
  await writeFile(caFile, PEM);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('TLS settings reach the driver', () => {
  it("a CA file path in the credentials file becomes the CA text of the jobs' database credential, in the official adaptor's keys", async () => {
    const file = path.join(dir, 'credentials.json');
    await writeFile(file, JSON.stringify({ primero: PRIMERO, database: { connectionString: `postgres://u:${DB_PASSWORD}@db.example.org/ona`, ssl: { ca: caFile, rejectUnauthorized: true } } }));
    const settings = await loadSettings({}, file);
    const map = buildCredentialMap(settings, settings.database.connectionString!, { url: 'http://127.0.0.1:1/inbox', apiKey: 's' });
    // language-postgresql 8.1.2 turns these into pg's {ssl: {rejectUnauthorized: !allowSelfSignedCert, ca}}.
    expect(map.ona).toEqual({ host: 'db.example.org', port: 5432, database: 'ona', user: 'u', password: DB_PASSWORD, ssl: true, allowSelfSignedCert: false, ca: PEM });
    // The webhook's credential carries no database settings.
    expect(map['ona-inbox']).toEqual({ inboxUrl: 'http://127.0.0.1:1/inbox', inboxApiKey: 's' });
  });

  it('DATABASE_SSL_CA (a path) turns on verified TLS', async () => {
    const settings = await loadSettings({ PRIMERO_URL: PRIMERO.url, PRIMERO_USER: 'sync', PRIMERO_PASSWORD: 'x', DATABASE_URL: 'postgres://db.example.org/ona', DATABASE_SSL_CA: caFile });
    expect(resolveDatabaseConfig({ connectionString: settings.database.connectionString, ssl: settings.database.ssl }).pool.ssl).toEqual({ rejectUnauthorized: true, ca: PEM });
  });

  it('keeps an inline PEM, the official adaptor keys, and refuses an unreadable CA file without showing the password', () => {
    expect(resolveDatabaseConfig({ host: 'db', ssl: { ca: PEM, servername: 'db.example.org' } }).pool.ssl).toEqual({ rejectUnauthorized: true, ca: PEM, servername: 'db.example.org' });
    expect(resolveDatabaseConfig({ host: 'db', ca: caFile, allowSelfSignedCert: true }).pool.ssl).toEqual({ rejectUnauthorized: false, ca: PEM });
    let error: unknown;
    try {
      resolveDatabaseConfig({ connectionString: `postgres://u:${DB_PASSWORD}@db/ona`, ssl: { ca: path.join(dir, 'missing.pem') } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseConfigError);
    expect((error as Error).message).toMatch(/ssl ca file .*missing\.pem cannot be read \(ENOENT\)/);
    expect((error as Error).message).not.toContain(DB_PASSWORD);
  });
});

describe.each(databaseTargets().filter((k) => k === 'server'))('TLS required by a server without TLS (%s database)', (kind) => {
  let h: SyncHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const serverHasNoTls = async (url: string) => (await withClient(url, (c) => c.query<{ ssl: string }>('SHOW ssl'))).rows[0]!.ssl === 'off';

  it('fails the sync at once with a clear error and writes nothing', async () => {
    h = await startSyncHarness(kind, { cases: 20 });
    expect(await serverHasNoTls(h.db.url)).toBe(true);
    h.settings.database.ssl = { rejectUnauthorized: true };
    await expect(h.sync()).rejects.toThrow(/cannot take the sync lock: The server does not support SSL connections/);
    expect(await h.query('SELECT * FROM sync_runs')).toEqual([]);
  });

  it('through the CLI: one line on stderr, exit 1, no password, not even migrations in plain text', async () => {
    h = await startSyncHarness(kind, { cases: 20 });
    // A database never migrated: with TLS enforced, not even the migrations may run in plain text.
    const fresh = await createTestDatabase(kind);
    const url = new URL(fresh.url);
    url.password = DB_PASSWORD;
    const file = path.join(dir, 'tls-credentials.json');
    await writeFile(file, JSON.stringify({ primero: { url: h.sim.url, user: 'primero', password: 'primero' }, database: { connectionString: url.toString(), ssl: { ca: caFile, rejectUnauthorized: true } } }));
    const cli = startCli(['sync', '-c', file], {});
    const { code } = await cli.exited;
    expect(code).toBe(1);
    expect(cli.stderr).toMatch(/^primero-ona: .*The server does not support SSL connections/m);
    expect(cli.stderr + cli.stdout).not.toContain(DB_PASSWORD);
    try {
      const tables = await withClient(fresh.url, (c) => c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`));
      expect(tables.rows).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });
});
