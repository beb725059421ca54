import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  COPY_MIN_ROWS, describeTable, execute, findValue, fn, insertMany, setLogger, shutdown, sql, transaction, upsert, upsertMany, type State,
} from '../../adaptors/postgres.ts';
import { migrate } from '../../lib/db/migrate.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

setLogger(silentLogger);

describe.each(databaseTargets())('postgres adaptor on %s', (kind) => {
  let db: TestDatabase;
  let state: State;
  const rows = (text: string, values: unknown[] = []) => withClient(db.url, async (c) => (await c.query(text, values)).rows);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await migrate(db.url);
    await withClient(db.url, (c) => c.query('CREATE TABLE pairs (a text, b integer, v text, PRIMARY KEY (a, b))'));
    state = { configuration: { connectionString: db.url } };
  });
  afterAll(async () => {
    await shutdown();
    await db?.drop();
  });

  it('inserts then updates, reporting inserted/updated counts', async () => {
    const s1 = await execute(upsertMany('cases', 'case_id', [{ case_id: 'A1', age: 5, sex: 'Female' }, { case_id: 'A2', age: 7 }]))(state);
    expect(s1.result).toMatchObject({ command: 'UPSERT', table: 'cases', rowCount: 2, inserted: 2, updated: 0, duplicates: 0 });
    expect(s1.data).toEqual([]);
    const s2 = await execute(upsertMany('cases', 'case_id', [{ case_id: 'A1', age: 6, sex: 'Male' }]))(state);
    expect(s2.result).toMatchObject({ inserted: 0, updated: 1 });
    expect(await rows(`SELECT case_id, age, sex FROM cases WHERE case_id LIKE 'A%' ORDER BY case_id`)).toEqual([
      { case_id: 'A1', age: 6, sex: 'Male' },
      { case_id: 'A2', age: 7, sex: null },
    ]);
  });

  it('sees a column added after it first wrote the table (its column list is cached per connection)', async () => {
    await withClient(db.url, (c) => c.query('CREATE TABLE grows (id text PRIMARY KEY, a text)'));
    await execute(upsertMany('grows', 'id', [{ id: '1', a: 'x' }]))(state);
    await execute(sql('ALTER TABLE grows ADD COLUMN b text'))(state);
    await execute(upsertMany('grows', 'id', [{ id: '1', a: 'y', b: 'new' }]))(state);
    expect(await rows('SELECT id, a, b FROM grows')).toEqual([{ id: '1', a: 'y', b: 'new' }]);
    await expect(execute(upsertMany('grows', 'id', [{ id: '2', nope: 1 }]))(state)).rejects.toThrow(/nope/);
  });

  it('aligns columns by name whatever the key order, and leaves absent keys alone', async () => {
    await execute(
      upsertMany('cases', 'case_id', [
        { case_id: 'B1', sex: 'Female', age: 3 },
        { age: 4, case_id: 'B2', sex: 'Male' },
        { sex: 'Male', case_id: 'B3' },
      ]),
    )(state);
    expect(await rows(`SELECT case_id, age, sex FROM cases WHERE case_id LIKE 'B%' ORDER BY case_id`)).toEqual([
      { case_id: 'B1', age: 3, sex: 'Female' },
      { case_id: 'B2', age: 4, sex: 'Male' },
      { case_id: 'B3', age: null, sex: 'Male' },
    ]);
    // Absent = not given: the update keeps age; an explicit null clears sex.
    await execute(upsertMany('cases', 'case_id', [{ case_id: 'B1', sex: null }]))(state);
    expect(await rows(`SELECT age, sex, record_state FROM cases WHERE case_id = 'B1'`)).toEqual([{ age: 3, sex: null, record_state: true }]);
  });

  it('resolves duplicate keys in one call (last wins) and counts them', async () => {
    const s = await execute(
      upsertMany('cases', 'case_id', [{ case_id: 'D1', age: 1 }, { case_id: 'D1', age: 2 }, { case_id: 'D2', age: 9 }, { case_id: 'D1', age: 3 }]),
    )(state);
    expect(s.result).toMatchObject({ rowCount: 2, duplicates: 2 });
    expect(await rows(`SELECT age FROM cases WHERE case_id = 'D1'`)).toEqual([{ age: 3 }]);
  });

  it('treats an empty list as a no-op and writes one row', async () => {
    const s = await execute(upsertMany('cases', 'case_id', []))(state);
    expect(s.result).toMatchObject({ rowCount: 0, statements: 0 });
    const one = await execute(upsert('cases', 'case_id', { case_id: 'E1', age: 11 }))(state);
    expect(one.result).toMatchObject({ rowCount: 1, inserted: 1 });
  });

  it('keeps Khmer text, quotes and SQL metacharacters as data', async () => {
    const nasty = [
      "O'Neil'); DROP TABLE cases; --",
      'ស្រី (កុមារ) — ភ្នំពេញ',
      '$1 $$ \\x00 \\ "quoted" %L %I ?',
      "undefined",
      'line\nbreak\ttab',
    ];
    await execute(upsertMany('cases', 'case_id', nasty.map((t, i) => ({ case_id: `K${i}`, protection_concerns: t, sex: t }))))(state);
    const got = await rows(`SELECT protection_concerns FROM cases WHERE case_id LIKE 'K%' ORDER BY case_id`);
    expect(got.map((r) => r.protection_concerns)).toEqual(nasty);
    expect(await rows(`SELECT count(*)::int AS n FROM cases`)).toEqual([{ n: expect.any(Number) }]);
  });

  describe('the COPY path', () => {
    // Every type the sync writes, and the values that trip encoders up.
    const ddl = (t: string) => `CREATE TABLE ${t} (id text PRIMARY KEY, n integer, big numeric, ok boolean, at timestamptz, day date,
      tags text[], doc jsonb, note text, stamped timestamptz NOT NULL DEFAULT now())`;
    const tricky = [
      { id: 'r1', n: 1, big: 2n ** 70n, ok: true, at: '2024-02-03T04:05:06.789Z', day: '2024-02-29', tags: ['a', 'b c'], doc: { k: [1, 'x'] }, note: "O'Neil'); DROP TABLE cases; --" },
      { id: 'r2', n: null, big: 1.25, ok: false, at: new Date('2020-01-01T00:00:00Z'), day: null, tags: ['d"e', 'f\\g', '{h,i}', 'NULL', null], doc: 'plain', note: 'line\nbreak\ttab\r\\N \\' },
      { id: 'r3', n: Number.NaN, big: null, ok: null, at: null, day: '1999-12-31', tags: [], doc: null, note: 'ស្រី (កុមារ) — ភ្នំពេញ' },
      { id: 'r4', n: 7, big: 0, ok: true, at: '2024-06-01T10:00:00+07:00', day: '2024-06-01', tags: null, doc: [1, { a: null }], note: '' },
      { id: 'r5', note: 'only two keys' },
    ];
    const read = (t: string) => rows(`SELECT to_jsonb(x) - 'stamped' AS row FROM ${t} x ORDER BY id`);

    beforeAll(async () => {
      await withClient(db.url, async (c) => {
        await c.query(ddl('via_json'));
        await c.query(ddl('via_copy'));
      });
    });

    it('writes exactly what the JSON path writes, then updates the same way', async () => {
      const j = await execute(upsertMany('via_json', 'id', tricky, { copy: 'never' }))(state);
      const c = await execute(upsertMany('via_copy', 'id', tricky, { copy: 'always' }))(state);
      expect(j.result).toMatchObject({ via: 'json', inserted: 5, updated: 0 });
      // The embedded database's socket does not carry COPY: it falls back to JSON.
      expect(c.result).toMatchObject({ via: kind === 'server' ? 'copy' : 'json', inserted: 5, updated: 0 });
      expect(await read('via_copy')).toEqual(await read('via_json'));

      const changed = tricky.map((r, i) => ({ ...r, note: `changed ${i}\t` }));
      const c2 = await execute(upsertMany('via_copy', 'id', [...changed, { id: 'r6', n: 6 }], { copy: 'always', batchSize: 2 }))(state);
      await execute(upsertMany('via_json', 'id', [...changed, { id: 'r6', n: 6 }], { copy: 'never', batchSize: 2 }))(state);
      expect(c2.result).toMatchObject({ inserted: 1, updated: 5 });
      expect(await read('via_copy')).toEqual(await read('via_json'));
    });

    it('takes COPY on its own for large batches, and JSON for small ones', async () => {
      const many = Array.from({ length: COPY_MIN_ROWS }, (_, i) => ({ id: `m${i}`, n: i }));
      const big = await execute(upsertMany('via_copy', 'id', many))(state);
      expect(big.result).toMatchObject({ via: kind === 'server' ? 'copy' : 'json', inserted: COPY_MIN_ROWS });
      const small = await execute(upsertMany('via_copy', 'id', many.slice(0, 3)))(state);
      expect(small.result).toMatchObject({ via: 'json', updated: 3 });
    });

    it('fails a batch with a bad value as a whole, without the value, and the connection carries on', async () => {
      const records = Array.from({ length: 30 }, (_, i) => ({ id: `bad${i}`, n: i === 17 ? 'secret-value-456' : i }));
      const err = await execute(upsertMany('via_copy', 'id', records, { copy: 'always', batchSize: 10 }))(state).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/^via_copy: invalid input syntax for type integer/);
      expect(JSON.stringify(err) + String((err as Error).message)).not.toContain('secret-value-456');
      expect(await rows(`SELECT count(*)::int AS n FROM via_copy WHERE id LIKE 'bad%'`)).toEqual([{ n: 0 }]);
      // The pool's connections are still good for both paths.
      const after = await execute(upsertMany('via_copy', 'id', records.map((r) => ({ ...r, n: 1 })), { copy: 'always' }))(state);
      expect(after.result).toMatchObject({ inserted: 30 });
    });

    it('insertMany can skip rows that break a unique constraint, counting only what it inserted', async () => {
      await withClient(db.url, (c) => c.query(`INSERT INTO via_json (id, note) VALUES ('held', 'first') ON CONFLICT DO NOTHING`));
      await withClient(db.url, (c) => c.query(`INSERT INTO via_copy (id, note) VALUES ('held', 'first') ON CONFLICT DO NOTHING`));
      const records = [{ id: 'held', note: 'second' }, ...Array.from({ length: 4 }, (_, i) => ({ id: `new${i}`, note: 'new' }))];
      for (const [table, copy] of [['via_json', 'never'], ['via_copy', 'always']] as const) {
        const s = await execute(insertMany(table, records, { skipConflicts: true, copy }))(state);
        expect(s.result).toMatchObject({ command: 'INSERT', inserted: 4, rowCount: 4 });
        expect(await rows(`SELECT note FROM ${table} WHERE id = 'held'`)).toEqual([{ note: 'first' }]);
      }
      await expect(execute(insertMany('via_copy', records, { copy: 'always' }))(state)).rejects.toThrow(/duplicate key/);
    });
  });

  it('refuses an unknown or malicious column name, naming table and column, and writes nothing', async () => {
    const evil = 'age = 1; DROP TABLE cases; --';
    await expect(execute(upsertMany('cases', 'case_id', [{ case_id: 'M1' }, { case_id: 'M2', [evil]: 1 }]))(state)).rejects.toThrow(
      `table cases has no column ${JSON.stringify(evil)}`,
    );
    await expect(execute(upsertMany('cases', 'case_id', [{ case_id: 'M3', colour: 'x' }]))(state)).rejects.toThrow('table cases has no column "colour"');
    await expect(execute(upsertMany('no_such_table', 'id', [{ id: 1 }]))(state)).rejects.toThrow(/no_such_table does not exist/);
    expect(await rows(`SELECT count(*)::int AS n FROM cases WHERE case_id LIKE 'M%'`)).toEqual([{ n: 0 }]);
  });

  it('supports a composite key given as an array or "a,b"', async () => {
    await execute(upsertMany('pairs', ['a', 'b'], [{ a: 'x', b: 1, v: 'one' }, { a: 'x', b: 2, v: 'two' }]))(state);
    const s = await execute(upsertMany('pairs', 'a,b', [{ a: 'x', b: 1, v: 'uno' }, { a: 'x', b: 1, v: 'eins' }]))(state);
    expect(s.result).toMatchObject({ updated: 1, duplicates: 1 });
    expect(await rows('SELECT a, b, v FROM pairs ORDER BY b')).toEqual([
      { a: 'x', b: 1, v: 'eins' },
      { a: 'x', b: 2, v: 'two' },
    ]);
  });

  it('runs one call in one transaction: a failing batch leaves nothing behind', async () => {
    const records = Array.from({ length: 30 }, (_, i) => ({ case_id: `T${i}`, age: i === 25 ? 'not a number' : i }));
    await expect(execute(upsertMany('cases', 'case_id', records, { batchSize: 10 }))(state)).rejects.toThrow(/integer/);
    expect(await rows(`SELECT count(*)::int AS n FROM cases WHERE case_id LIKE 'T%'`)).toEqual([{ n: 0 }]);
  });

  it('errors do not carry the offending value', async () => {
    const err = await execute(upsertMany('cases', 'case_id', [{ case_id: 'V1', age: 'secret-value-123' }]))(state).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain('secret-value-123');
    expect(JSON.stringify(err)).not.toContain('secret-value-123');
  });

  it('joins the caller\'s transaction with transaction(...) and rolls back as a whole', async () => {
    await expect(
      execute(
        transaction(
          upsertMany('cases', 'case_id', [{ case_id: 'X1' }]),
          upsertMany('services', 'unique_id', [{ unique_id: 'sx', case_id: 'X1', service_type: 'Counselling' }]),
          fn(() => {
            throw new Error('stop');
          }),
        ),
      )(state),
    ).rejects.toThrow('stop');
    expect(await rows(`SELECT count(*)::int AS n FROM cases WHERE case_id = 'X1'`)).toEqual([{ n: 0 }]);

    await execute(
      transaction(
        upsertMany('cases', 'case_id', [{ case_id: 'X2' }]),
        upsertMany('services', 'unique_id', [{ unique_id: 'sy', case_id: 'X2', service_date: '2024-02-01T00:00:00Z' }]),
      ),
    )(state);
    expect(await rows(`SELECT case_id FROM services WHERE unique_id = 'sy'`)).toEqual([{ case_id: 'X2' }]);
  });

  it('uses a client the caller passes (its transaction, its commit)', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await upsertMany('cases', 'case_id', [{ case_id: 'C1' }], { client })({ configuration: { connectionString: db.url } });
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    expect(await rows(`SELECT count(*)::int AS n FROM cases WHERE case_id = 'C1'`)).toEqual([{ n: 0 }]);
  });

  it('sql() sends values as parameters and puts rows in state.data', async () => {
    const s = await execute(sql('SELECT case_id, age FROM cases WHERE case_id = $1', { values: ["A1' OR '1'='1"] }))(state);
    expect(s.data).toEqual([]);
    const t = await execute(sql((st: State) => ({ text: 'SELECT $1::text AS v', values: [st.configuration ? 'ស្រី' : 'x'] })))(state);
    expect(t.data).toEqual([{ v: 'ស្រី' }]);
    expect(t.result).toMatchObject({ command: 'SELECT', rowCount: 1 });
    const q = await execute(sql('SELECT 1', { writeSql: true }))(state);
    expect(q.queries).toEqual(['SELECT 1']);
  });

  it('insertMany, describeTable and findValue', async () => {
    await execute(insertMany('locations_lookup', [{ code: '1006', district: 'Chetr Borei', province: 'Kratie', province_code: '10' }]))(state);
    const d = await execute(describeTable('locations_lookup'))(state);
    expect((d.data as Array<{ column_name: string }>).map((r) => r.column_name)).toContain('district_km');
    const f = await execute(findValue({ uuid: 'district', relation: 'locations_lookup', where: { code: '1006' } }))(state);
    expect(f.data).toBe('Chetr Borei');
  });

  it('writes 100 000 cases and 300 000 services in seconds, then updates them', async () => {
    const cases = Array.from({ length: 100_000 }, (_, i) => ({
      case_id: `P${i}`,
      primero_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      age: i % 18,
      sex: i % 2 ? 'Female' : 'Male',
      registration_date: '2024-01-15',
      last_updated_date: '2024-05-01T00:00:00Z',
      protection_concerns_codes: ['refugee'],
    }));
    const services = cases.flatMap((c, i) => [0, 1, 2].map((j) => ({ unique_id: `P${i}-${j}`, case_id: c.case_id, service_type: 'Counselling' })));
    const started = Date.now();
    const s = await execute(upsertMany('cases', 'case_id', cases), upsertMany('services', 'unique_id', services))(state);
    expect(s.result).toMatchObject({ table: 'services', inserted: 300_000 });
    const again = await execute(upsertMany('cases', 'case_id', cases))(state);
    expect(again.result).toMatchObject({ inserted: 0, updated: 100_000 });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await rows(`SELECT count(*)::int AS n FROM services WHERE unique_id LIKE 'P%'`)).toEqual([{ n: 300_000 }]);
  });

  it('rejects an invalid configuration without echoing the password', async () => {
    const err = await execute(sql('SELECT 1'))({ configuration: { password: 'hunter2' } }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/connection string|host/);
    expect((err as Error).message).not.toContain('hunter2');
  });
});
