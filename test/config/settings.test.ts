import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatabaseSettings, loadSettings } from '../../lib/config/settings.ts';
import { UserError } from '../../lib/errors.ts';

const env = { PRIMERO_URL: 'https://primero.example.org', PRIMERO_USER: 'sync', PRIMERO_PASSWORD: 'pa55-word!' };

describe('sync settings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pos-settings-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads Primero and the database from the environment', async () => {
    const s = await loadSettings({ ...env, DATABASE_URL: 'postgres://u@h/db' });
    expect(s).toEqual({
      primero: { url: env.PRIMERO_URL, user: 'sync', password: env.PRIMERO_PASSWORD, authMode: 'basic' },
      database: { connectionString: 'postgres://u@h/db' },
    });
  });

  it.each(['PRIMERO_URL', 'PRIMERO_USER', 'PRIMERO_PASSWORD'] as const)('stops with one line when %s is missing', async (name) => {
    const partial: Record<string, string> = { ...env };
    delete partial[name];
    const e = await loadSettings(partial).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toBe(`${name} is not set`);
    expect((e as UserError).hint).toContain('credentials file');
  });

  it('refuses an invalid URL without echoing any value', async () => {
    const e = (await loadSettings({ ...env, PRIMERO_URL: 'ftp://pa55-word!@x' }).catch((x: unknown) => x)) as UserError;
    expect(e.message).toMatch(/^PRIMERO_URL is not valid/);
    expect(e.message).not.toContain('pa55-word');
  });

  it('lets a credentials file win over the environment, TLS settings included', async () => {
    const file = path.join(dir, 'credentials.json');
    await writeFile(
      file,
      JSON.stringify({
        primero: { url: 'https://other.example.org', authMode: 'token' },
        database: { connectionString: 'postgres://file@h/db', ssl: { rejectUnauthorized: true, ca: '/etc/ssl/ca.pem' } },
      }),
    );
    const s = await loadSettings({ ...env, DATABASE_URL: 'postgres://env@h/db' }, file);
    expect(s.primero).toMatchObject({ url: 'https://other.example.org', user: 'sync', authMode: 'token' });
    expect(s.database).toEqual({ connectionString: 'postgres://file@h/db', ssl: { rejectUnauthorized: true, ca: '/etc/ssl/ca.pem' } });
  });

  it('names a credentials file that is missing, not JSON, or of the wrong shape', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"primero": ');
    await expect(loadSettings(env, path.join(dir, 'nope.json'))).rejects.toThrow(/credentials file not found: .*nope\.json/);
    await expect(loadSettings(env, bad)).rejects.toThrow(/^credentials file .*bad\.json is not valid JSON at line 1, column 13: a value expected$/);
    const odd = path.join(dir, 'odd.json');
    await writeFile(odd, JSON.stringify({ primero: { password: 42 } }));
    await expect(loadSettings(env, odd)).rejects.toThrow(/odd\.json: primero\.password/);
  });

  it('names the line and column of a syntax error, and what was expected there, never the text', async () => {
    const cases: [string, RegExp][] = [
      ['{\n  "primero": {\n    "url": "https://p.example.org"\n    "password": "Sekr3t-Pa55"\n  }\n}\n', /line 4, column 5: ',' expected$/],
      ['{\n  "database": {"connectionString": "postgres://h/db",}\n}', /line 2, column 54: a property name in double quotes expected \(a comma too many\?\)$/],
      ['{"primero": {"password": Sekr3t-Pa55}}', /line 1, column 26: not a JSON token/],
      ["{'primero': {}}", /line 1, column 2: not a JSON token/],
      ['{"primero": {}}\n}', /line 2, column 1: nothing expected after the end$/],
      ['', /line 1, column 1: a value expected$/],
    ];
    for (const [text, expected] of cases) {
      const file = path.join(dir, 'syntax.json');
      await writeFile(file, text);
      const e = await loadSettings(env, file).then(() => null, (x: unknown) => x);
      expect(e, text).toBeInstanceOf(UserError);
      expect((e as Error).message, text).toMatch(expected);
      expect((e as Error).message).not.toContain('Sekr3t');
    }
    // A byte order mark (Windows editors) is not an error.
    const bom = path.join(dir, 'bom.json');
    await writeFile(bom, '\ufeff{"primero": {"user": "from-file"}}');
    expect((await loadSettings(env, bom)).primero.user).toBe('from-file');
  });

  it('refuses an unknown key in one line naming it and the nearest known key, at any depth', async () => {
    const cases: [unknown, string][] = [
      [{ database: { connectionstring: 'postgres://h/db' } }, 'unknown key "database.connectionstring"; did you mean "database.connectionString"?'],
      [{ primero: { url: 'https://p.example.org', pasword: 'x' } }, 'unknown key "primero.pasword"; did you mean "primero.password"?'],
      [{ primero: { auth_mode: 'token' } }, 'unknown key "primero.auth_mode"; did you mean "primero.authMode"?'],
      [{ databse: {} }, 'unknown key "databse"; did you mean "database"?'],
      [{ database: { ssl: { rejectUnauthorised: true } } }, 'unknown key "database.ssl.rejectUnauthorised"; did you mean "database.ssl.rejectUnauthorized"?'],
      [{ dashboard: { smallCellThreshhold: 3 } }, 'unknown key "dashboard.smallCellThreshhold"; did you mean "dashboard.smallCellThreshold"?'],
      [{ primero: { colour: 'blue' } }, 'unknown key "primero.colour"; known keys here: url, user, password, authMode, timeoutMs, maxAttempts, maxRetryMs'],
    ];
    for (const [content, message] of cases) {
      const file = path.join(dir, 'unknown.json');
      await writeFile(file, JSON.stringify(content));
      const e = await loadSettings(env, file).then(() => null, (x: unknown) => x);
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).message).toBe(`credentials file ${file}: ${message}`);
      // Every command that reads the file refuses it the same way.
      await expect(loadDatabaseSettings({}, file)).rejects.toThrow(message);
    }
  });

  it('reads the retry budget and read-ahead switch from the environment', async () => {
    const s = await loadSettings({ ...env, PRIMERO_TIMEOUT_MS: '5000', PRIMERO_MAX_ATTEMPTS: '2', PRIMERO_MAX_RETRY_MS: '9000' });
    expect(s.primero).toMatchObject({ timeoutMs: 5000, maxAttempts: 2, maxRetryMs: 9000 });
  });

  it('takes a CA file for the database from DATABASE_SSL_CA', async () => {
    const s = await loadSettings({ ...env, DATABASE_SSL_CA: '/etc/ssl/ona.pem' });
    expect(s.database.ssl).toEqual({ ca: '/etc/ssl/ona.pem', rejectUnauthorized: true });
  });

  it('names a malformed database URL as such, by its setting, without echoing it', async () => {
    for (const bad of ['postgres//u:pa55-word!@h/db', 'http://u:pa55-word!@h/db', 'not a url pa55-word!']) {
      const e = (await loadDatabaseSettings({ DATABASE_URL: bad }).catch((x: unknown) => x)) as UserError;
      expect(e).toBeInstanceOf(UserError);
      expect(e.message).toBe('DATABASE_URL is not a valid PostgreSQL URL');
      expect(`${e.message} ${e.hint}`).not.toContain('pa55-word');
    }
    const file = path.join(dir, 'bad-db.json');
    await writeFile(file, JSON.stringify({ database: { connectionString: 'postgres:/pa55-word!' } }));
    await expect(loadDatabaseSettings({}, file)).rejects.toThrow(/^database\.connectionString is not a valid PostgreSQL URL$/);
  });

  it('database settings alone (migrate, report, status) need no Primero settings and say where they came from', async () => {
    expect(await loadDatabaseSettings({ DATABASE_URL: 'postgresql://u@h:6432/db', DATABASE_SSL_CA: '/ca.pem' })).toEqual({
      database: { connectionString: 'postgresql://u@h:6432/db', ssl: { ca: '/ca.pem', rejectUnauthorized: true } },
      setting: 'DATABASE_URL',
      sslSetting: 'DATABASE_SSL_CA',
    });
    expect((await loadDatabaseSettings({})).setting).toBe('embedded');
  });
});

describe('dashboard settings', () => {
  it('reads the password and the small-cell threshold, 5 by default', async () => {
    const { loadDashboardSettings } = await import('../../lib/config/settings.ts');
    expect(await loadDashboardSettings({})).toEqual({ smallCellThreshold: 5 });
    expect(await loadDashboardSettings({ DASHBOARD_PASSWORD: 'long enough', SMALL_CELL_THRESHOLD: '10' })).toEqual({ password: 'long enough', smallCellThreshold: 10 });
  });

  it('says which setting is wrong in one line, never echoing the password', async () => {
    const { loadDashboardSettings } = await import('../../lib/config/settings.ts');
    await expect(loadDashboardSettings({ DASHBOARD_PASSWORD: 'short' })).rejects.toThrow(/^DASHBOARD_PASSWORD is not valid: at least 8 characters$/);
    await expect(loadDashboardSettings({ SMALL_CELL_THRESHOLD: 'five' })).rejects.toThrow(/^SMALL_CELL_THRESHOLD is not valid/);
  });
});
