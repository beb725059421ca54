import { describe, expect, it } from 'vitest';
import { hostAndPort, openConfiguredDatabase, startupWaitPolicy } from '../../lib/db/connect.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { UserError } from '../../lib/errors.ts';
import { createTestDatabase, databaseTargets } from '../support/databases.ts';

describe('opening the database', () => {
  it.each(databaseTargets())('a read-only connection (report, status) cannot change the schema (%s database)', async (kind) => {
    const test = await createTestDatabase(kind);
    const db = await openConfiguredDatabase({ source: { database: { connectionString: test.url }, setting: 'DATABASE_URL', sslSetting: 'database.ssl' }, logger: silentLogger });
    try {
      const client = await db.connect({ readOnly: true });
      try {
        await expect(client.query('CREATE TABLE should_not_exist (x int)')).rejects.toThrow(/read-only transaction/);
      } finally {
        await client.end();
      }
      // The next connection is writable: read-only never leaks to other clients.
      const writer = await db.connect();
      try {
        await writer.query('CREATE TEMP TABLE fine (x int)');
      } finally {
        await writer.end();
      }
    } finally {
      await db.close();
      await test.drop();
    }
  });

  it('names an unreadable CA file by its setting', async () => {
    const e = await openConfiguredDatabase({
      source: { database: { connectionString: 'postgres://u:Pa55-x@127.0.0.1:1/db', ssl: { ca: '/nonexistent/ca.pem' } }, setting: 'DATABASE_URL', sslSetting: 'DATABASE_SSL_CA' },
      logger: silentLogger,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toBe('DATABASE_SSL_CA: ssl ca file /nonexistent/ca.pem cannot be read (ENOENT)');
  });

  it('DATABASE_WAIT_SECONDS bounds the wait; host and port for messages never carry the password', () => {
    expect(startupWaitPolicy({ DATABASE_WAIT_SECONDS: '10' }).maxTotalMs).toBe(10_000);
    expect(startupWaitPolicy({}).maxAttempts).toBe(6);
    expect(() => startupWaitPolicy({ DATABASE_WAIT_SECONDS: 'soon' })).toThrow(/DATABASE_WAIT_SECONDS is not valid/);
    expect(hostAndPort('postgres://ona:Pa55@db.example.org/ona')).toBe('db.example.org:5432');
  });
});
