import net from 'node:net';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { openDatabase, describeDatabase } from '../../lib/db/database.ts';
import { serverAdminUrl } from '../support/databases.ts';

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ n: number }>('select 1 + 1 as n');
    return r.rows[0]!.n;
  } finally {
    await client.end();
  }
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('openDatabase', () => {
  it('uses DATABASE_URL when it is set', async (ctx) => {
    const url = serverAdminUrl();
    if (!url) ctx.skip(); // only when the machine has no server at all (the CI run says so)
    const db = await openDatabase({ env: { DATABASE_URL: url } });
    expect(db.kind).toBe('server');
    expect(db.url).toBe(url);
    expect(await selectOne(db.url)).toBe(2);
    expect(describeDatabase(db)).toMatch(/^PostgreSQL at 127\.0\.0\.1:5432\/test$/);
    await db.close();
  });

  it('starts the embedded database without DATABASE_URL and stops it cleanly', async () => {
    const db = await openDatabase({ env: {}, dataDir: 'memory://' });
    expect(db.kind).toBe('embedded');
    expect(await selectOne(db.url)).toBe(2);
    // Small shared buffers: they live in this process's memory.
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    expect((await c.query('SHOW shared_buffers')).rows[0].shared_buffers).toBe('16MB');
    await c.end();
    const port = Number(new URL(db.url).port);
    await db.close();
    expect(await portIsClosed(port)).toBe(true);
  });

  it('keeps embedded data in its folder between openings', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pos-pglite-'));
    try {
      const first = await openDatabase({ env: {}, dataDir: dir });
      const c1 = new pg.Client({ connectionString: first.url });
      await c1.connect();
      await c1.query('create table kept (n int); insert into kept values (42)');
      await c1.end();
      await first.close();
      const second = await openDatabase({ env: { PGLITE_DATA_DIR: dir } });
      const c2 = new pg.Client({ connectionString: second.url });
      await c2.connect();
      const r = await c2.query<{ n: number }>('select n from kept');
      await c2.end();
      await second.close();
      expect(r.rows).toEqual([{ n: 42 }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
