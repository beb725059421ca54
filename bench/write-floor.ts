import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/**
 * The write floor: the rows a sync left in the ONA tables, written again with
 * COPY FROM STDIN into empty copies of those tables (same columns, defaults,
 * indexes and the services -> cases foreign key), in one transaction. Reading the rows out happens before the clock starts.
 */
export const FLOOR_TABLES = ['cases', 'services', 'locations_lookup', 'data_dictionary'] as const;

export interface WriteFloor {
  seconds: number;
  rows: Record<(typeof FLOOR_TABLES)[number], number>;
  bytes: number;
}

const copyName = (table: string) => `bench_floor_${table}`;

async function readTable(client: pg.Client, table: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(client.query(copyTo(`COPY ${table} TO STDOUT`)), new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) }));
  return Buffer.concat(chunks);
}

export async function measureWriteFloor(databaseUrl: string): Promise<WriteFloor> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const data = new Map<string, Buffer>();
    for (const t of FLOOR_TABLES) {
      data.set(t, await readTable(client, t));
      await client.query(`DROP TABLE IF EXISTS ${copyName(t)} CASCADE`);
      await client.query(`CREATE TABLE ${copyName(t)} (LIKE ${t} INCLUDING ALL)`);
    }
    // LIKE copies no foreign keys; the real services rows are checked against cases, so the copy's are too.
    await client.query(
      `ALTER TABLE ${copyName('services')} ADD FOREIGN KEY (case_id) REFERENCES ${copyName('cases')} (case_id) ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    const rows = {} as WriteFloor['rows'];
    const started = performance.now();
    await client.query('BEGIN');
    for (const t of FLOOR_TABLES) {
      const stream = client.query(copyFrom(`COPY ${copyName(t)} FROM STDIN`));
      await pipeline(Readable.from([data.get(t)!]), stream);
      rows[t] = Number(stream.rowCount);
    }
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    for (const t of [...FLOOR_TABLES].reverse()) await client.query(`DROP TABLE ${copyName(t)}`);
    return { seconds, rows, bytes: [...data.values()].reduce((n, b) => n + b.length, 0) };
  } finally {
    await client.end();
  }
}
