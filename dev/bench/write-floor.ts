import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/**
 * The write floor: the rows a sync left in the ONA tables, written again with
 * COPY into empty copies of those tables (same columns, defaults, indexes and
 * the services -> cases foreign key), in one transaction. Reading the rows out
 * happens before the clock starts.
 */
export const FLOOR_TABLES = ['cases', 'services', 'locations_lookup', 'data_dictionary'] as const;

export interface WriteFloor {
  seconds: number;
  rows: Record<(typeof FLOOR_TABLES)[number], number>;
  bytes: number;
}

const copyName = (table: string) => `bench_floor_${table}`;

/** What the floor needs of a database: statements, and COPY out and in. */
interface CopyTarget {
  exec(sql: string): Promise<void>;
  copyOut(table: string): Promise<Buffer>;
  copyIn(table: string, data: Buffer): Promise<number>;
  close(): Promise<void>;
}

/** A server: COPY ... FROM STDIN over the wire (pg-copy-streams). */
async function serverTarget(databaseUrl: string): Promise<CopyTarget> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    exec: async (sql) => void (await client.query(sql)),
    async copyOut(table) {
      const chunks: Buffer[] = [];
      await pipeline(client.query(copyTo(`COPY ${table} TO STDOUT`)), new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) }));
      return Buffer.concat(chunks);
    },
    async copyIn(table, data) {
      const stream = client.query(copyFrom(`COPY ${table} FROM STDIN`));
      await pipeline(Readable.from([data]), stream);
      return Number(stream.rowCount);
    },
    close: () => client.end(),
  };
}

/** The embedded database: its socket server does not carry COPY, so COPY goes through PGlite's own /dev/blob. */
function embeddedTarget(db: PGlite): CopyTarget {
  return {
    exec: async (sql) => void (await db.exec(sql)),
    async copyOut(table) {
      const r = await db.query(`COPY ${table} TO '/dev/blob'`);
      return Buffer.from(await r.blob!.arrayBuffer());
    },
    async copyIn(table, data) {
      const r = await db.query(`COPY ${table} FROM '/dev/blob'`, [], { blob: new Blob([data]) });
      return r.affectedRows ?? 0;
    },
    close: async () => {},
  };
}

export async function measureWriteFloor(databaseUrl: string, pglite?: PGlite): Promise<WriteFloor> {
  const db = pglite ? embeddedTarget(pglite) : await serverTarget(databaseUrl);
  try {
    const data = new Map<string, Buffer>();
    for (const t of FLOOR_TABLES) {
      data.set(t, await db.copyOut(t));
      await db.exec(`DROP TABLE IF EXISTS ${copyName(t)} CASCADE`);
      await db.exec(`CREATE TABLE ${copyName(t)} (LIKE ${t} INCLUDING ALL)`);
    }
    // LIKE copies no foreign keys; the real services rows are checked against cases, so the copy's are too.
    await db.exec(
      `ALTER TABLE ${copyName('services')} ADD FOREIGN KEY (case_id) REFERENCES ${copyName('cases')} (case_id) ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    const rows = {} as WriteFloor['rows'];
    const started = performance.now();
    await db.exec('BEGIN');
    for (const t of FLOOR_TABLES) rows[t] = await db.copyIn(copyName(t), data.get(t)!);
    await db.exec('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    for (const t of [...FLOOR_TABLES].reverse()) await db.exec(`DROP TABLE ${copyName(t)}`);
    return { seconds, rows, bytes: [...data.values()].reduce((n, b) => n + b.length, 0) };
  } finally {
    await db.close();
  }
}
