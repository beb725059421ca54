/**
 * adaptors/postgres.ts against a real database: per operation, the SQL sent
 * and the state after the call are those of @openfn/language-postgresql 8.1.2
 * (openfn-facts.md §2), weaknesses included.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  describeTable, execute, findValue, fn, insert, insertMany, insertTable, modifyTable, setMockClient, sql, upsert, upsertIf, upsertMany, util,
  type State,
} from '../../adaptors/postgres.ts';
import { clientConfig, shutdownPools as shutdown } from '../../adaptors/@openfn/language-postgresql/connection.ts';
import { officialDatabaseCredential } from '../../lib/db/official-credential.ts';
import { captureConsole } from '../support/capture-logger.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

// The stand-in logs to the console, as the official adaptor does.
const lines = captureConsole();

/** The official credential keys for a test database URL, as the host builds them. */
const credential = (url: string) => officialDatabaseCredential(url);

describe('postgresql configuration', () => {
  it('maps the official keys, with ssl from allowSelfSignedCert/ca/key/cert, and ignores connectionString', () => {
    expect(clientConfig({ host: 'h', port: 6543, database: 'd', user: 'u', password: 'p', connectionString: 'postgres://x@y/z' })).toEqual({
      host: 'h', port: 6543, database: 'd', user: 'u', password: 'p', ssl: false,
    });
    expect(clientConfig({ host: 'h', ssl: true, allowSelfSignedCert: true, ca: 'CA', key: 'K', cert: 'C' }).ssl).toEqual({
      rejectUnauthorized: false, cert: 'C', ca: 'CA', key: 'K',
    });
    expect(clientConfig({ host: 'h', ssl: true }).ssl).toEqual({ rejectUnauthorized: true, cert: undefined, ca: undefined, key: undefined });
  });

  it('runs an operation outside execute only on the client setMockClient gave, as the official module-level client', async () => {
    await expect(sql('SELECT 1')({ queries: [] })).rejects.toThrow("Cannot read properties of null (reading 'query')");
    const sent: unknown[] = [];
    setMockClient({ query: async (q: unknown) => (sent.push(q), { command: 'SELECT', rowCount: 1, rows: [{ x: 1 }] }) });
    try {
      const s = await sql('SELECT 1 AS x')({ references: [], data: null, queries: [] });
      expect(s.data).toEqual([{ x: 1 }]);
      expect(sent).toEqual(['SELECT 1 AS x']);
    } finally {
      setMockClient(null);
    }
  });
});

describe('postgresql setMockClient inside a step', () => {
  it('replaces the step\'s client for the operations after it, as the official module-level client', async () => {
    const sent: unknown[] = [];
    const mock = { query: async (q: unknown) => (sent.push(q), { command: 'SELECT', rowCount: 0, rows: [] }) };
    // No configuration: no operation here may reach a database.
    const s = await execute(fn((st: State) => (setMockClient(mock), st)), sql('SELECT 2'))({});
    setMockClient(null);
    expect(sent).toEqual(['SELECT 2']);
    expect(s.data).toEqual([]);
  });
});

describe.each(databaseTargets())('postgresql stand-in on %s', (kind) => {
  let db: TestDatabase;
  let state: State;
  const rows = (text: string, values: unknown[] = []) => withClient(db.url, async (c) => (await c.query(text, values)).rows);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await withClient(db.url, (c) =>
      c.query(`CREATE TABLE people (id text PRIMARY KEY, name text, age integer);
               CREATE TABLE tags (a text, b integer, v text, PRIMARY KEY (a, b));`),
    );
    state = { configuration: credential(db.url) };
  });
  afterAll(async () => {
    await shutdown();
    await db?.drop();
  });
  beforeEach(async () => {
    lines.length = 0;
    await withClient(db.url, (c) => c.query('TRUNCATE people, tags'));
  });

  it('execute starts from {references: [], data: null, queries: []} under the given state', async () => {
    const seen: State[] = [];
    const s = await execute(fn((st: State) => (seen.push({ ...st }), st)))({ ...state, data: { x: 1 } });
    expect(seen[0]).toMatchObject({ references: [], data: { x: 1 }, queries: [] });
    expect(s.configuration).toEqual(state.configuration);
  });

  it('sql: a string, rows in state.data, pg result in state.result, previous data in references, and the official log line', async () => {
    const s = await execute(sql('SELECT 1 AS one UNION ALL SELECT 2'))({ ...state, data: 'before' });
    expect(s.data).toEqual([{ one: 1 }, { one: 2 }]);
    expect(s.references).toEqual(['before']);
    expect(s.result).toMatchObject({ command: 'SELECT', rowCount: 2, rows: [{ one: 1 }, { one: 2 }] });
    expect(s.result.fields.map((f: { name: string }) => f.name)).toEqual(['one']);
    expect(lines).toContain('SELECT succeeded, rowCount: 2');
  });

  it('sql: {text, values} and options.values go as pg parameters; a function of state is resolved', async () => {
    const s = await execute(
      sql({ text: 'INSERT INTO people (id, name) VALUES ($1, $2) RETURNING id', values: ['p1', "O'Neil"] }),
      sql('INSERT INTO people (id, name) VALUES ($1, $2)', { values: ['p2', 'x'] }),
      sql((st: State) => ({ text: 'SELECT name FROM people WHERE id = $1', values: [st.wanted] })),
    )({ ...state, wanted: 'p1' });
    expect(s.data).toEqual([{ name: "O'Neil" }]);
    expect(s.references).toEqual([null, [{ id: 'p1' }], []]);
    expect(await rows('SELECT id FROM people ORDER BY id')).toEqual([{ id: 'p1' }, { id: 'p2' }]);
  });

  it('sql BEGIN … COMMIT in one execute is a transaction; a failure inside it leaves nothing and rethrows', async () => {
    await execute(sql('BEGIN'), sql("INSERT INTO people (id) VALUES ('t1')"), sql('COMMIT'))(state);
    expect(await rows('SELECT id FROM people')).toEqual([{ id: 't1' }]);
    const failing = execute(sql('BEGIN'), sql("INSERT INTO people (id) VALUES ('t2')"), sql('SELECT 1/0'), sql('COMMIT'))(state);
    await expect(failing).rejects.toMatchObject({ code: '22012', message: 'division by zero' });
    expect(await rows('SELECT id FROM people ORDER BY id')).toEqual([{ id: 't1' }]);
    expect(lines.some((l) => l.startsWith('ERROR') && l.includes('division by zero'))).toBe(true);
  });

  it('a step that ends inside a transaction is rolled back', async () => {
    await execute(sql('BEGIN'), sql("INSERT INTO people (id) VALUES ('open')"))(state);
    expect(await rows('SELECT id FROM people')).toEqual([]);
    const after = await execute(sql("INSERT INTO people (id) VALUES ('next')"), sql('SELECT id FROM people'))(state);
    expect(after.data).toEqual([{ id: 'next' }]);
    expect(await rows('SELECT id FROM people')).toEqual([{ id: 'next' }]);
  });

  it('insert: sorted columns, values inlined by pg-format %L; writeSql puts the statement in state.queries', async () => {
    const s = await execute(insert('people', { name: "O'Neil", id: 'i1', age: 7 }, { writeSql: true }))(state);
    expect(s.queries).toEqual(["INSERT INTO people (age, id, name) VALUES ('7','i1','O''Neil');"]);
    expect(s.data).toEqual([]);
    expect(s.result).toMatchObject({ command: 'INSERT', rowCount: 1 });
    expect(await rows('SELECT * FROM people')).toEqual([{ id: 'i1', name: "O'Neil", age: 7 }]);
    expect(lines).toContain('Preparing to insert via: INSERT INTO people (age, id, name) VALUES [--REDACTED--]];');
    expect(lines).toContain('Adding prepared SQL to state.queries array.');
    expect(lines).toContain('INSERT succeeded, rowCount: 1');
  });

  it('insertMany: columns from the FIRST record, values by position (a record in another key order is misaligned)', async () => {
    const records = [
      { id: 'm1', name: 'first', age: 1 },
      { name: 'm2', id: 'second', age: 2 },
    ];
    const s = await execute(insertMany('people', records, { writeSql: true }))(state);
    expect(s.queries).toEqual(["INSERT INTO people (id, name, age) VALUES ('m1', 'first', '1'), ('m2', 'second', '2');"]);
    expect(await rows('SELECT id, name FROM people ORDER BY id')).toEqual([
      { id: 'm1', name: 'first' },
      { id: 'm2', name: 'second' },
    ]);
    expect(s.result).toMatchObject({ command: 'INSERT', rowCount: 2 });
    expect(Object.keys(s.result)).not.toContain('inserted');
  });

  it('insertMany and upsertMany with no records leave state unchanged and log the official line', async () => {
    const before = { ...state, data: 'kept', references: ['r'], queries: [] };
    const s = await execute(insertMany('people', []), upsertMany('people', 'id', (st: State) => st.nothing))(before);
    expect(s.data).toBe('kept');
    expect(s.references).toEqual(['r']);
    expect(lines).toContain('No records provided; skipping insert.');
    expect(lines).toContain('No records provided; skipping upsert.');
  });

  it('upsertMany: the official statement text, updates on conflict, and every column in DO UPDATE SET', async () => {
    await execute(insert('people', { id: 'u1', name: 'old', age: 1 }))(state);
    const s = await execute(upsertMany('people', 'id', [{ id: 'u1', name: 'new', age: 2 }, { id: 'u2', name: 'two', age: 3 }], { writeSql: true }))(state);
    expect(s.queries[0]).toBe(
      "INSERT INTO people (id, name, age) VALUES ('u1', 'new', '2'), ('u2', 'two', '3')\n        ON CONFLICT (id)\n        DO UPDATE SET id=excluded.id, name=excluded.name, age=excluded.age;",
    );
    expect(s.result).toMatchObject({ command: 'INSERT', rowCount: 2 });
    expect(await rows('SELECT id, name, age FROM people ORDER BY id')).toEqual([
      { id: 'u1', name: 'new', age: 2 },
      { id: 'u2', name: 'two', age: 3 },
    ]);
    expect(lines).toContain(
      'Preparing to upsert via: INSERT INTO people (id, name, age) VALUES [--REDACTED--]\n        ON CONFLICT (id)\n        DO UPDATE SET id=excluded.id, name=excluded.name, age=excluded.age;',
    );
  });

  it('upsertMany with two records of one key fails with SQLSTATE 21000 and writes nothing', async () => {
    const run = execute(upsertMany('people', 'id', [{ id: 'd', name: 'a' }, { id: 'd', name: 'b' }]))(state);
    await expect(run).rejects.toMatchObject({ code: '21000' });
    expect(await rows('SELECT id FROM people')).toEqual([]);
  });

  it('upsert: a composite key "a,b" is parenthesised, "(a, b)" and ON CONSTRAINT are taken verbatim, "a, b" is a syntax error', async () => {
    const s = await execute(
      upsert('tags', 'a,b', { b: 1, a: 'x', v: 'one' }, { writeSql: true }),
      upsert('tags', '(a, b)', { a: 'x', b: 1, v: 'two' }, { writeSql: true }),
      upsert('tags', 'ON CONSTRAINT tags_pkey', { a: 'x', b: 1, v: 'three' }),
    )(state);
    expect(s.queries[0]).toBe("INSERT INTO tags (a, b, v) VALUES ('x','1','one')\n        ON CONFLICT (a,b)\n        DO UPDATE SET a=excluded.a, b=excluded.b, v=excluded.v;");
    expect(s.queries[1]).toContain('ON CONFLICT (a, b)\n');
    expect(await rows('SELECT v FROM tags')).toEqual([{ v: 'three' }]);
    await expect(execute(upsert('tags', 'a, b', { a: 'x', b: 1, v: 'four' }))(state)).rejects.toMatchObject({ code: '42601' });
    await expect(execute(upsert('tags', ['a', 'b'], { a: 'x', b: 1 }))(state)).rejects.toThrow(TypeError);
  });

  it('upsertIf: skips with the official line when the condition is falsy, upserts otherwise', async () => {
    const s = await execute(
      upsertIf((st: State) => st.go, 'people', 'id', { id: 'c1', name: 'no' }),
      upsertIf(true, 'people', 'id', { id: 'c2', name: 'yes' }),
    )({ ...state, go: false });
    expect(lines).toContain('Skipping upsert for id.');
    expect(await rows('SELECT id FROM people')).toEqual([{ id: 'c2' }]);
    expect(s.result).toMatchObject({ command: 'INSERT', rowCount: 1 });
  });

  it("setNull: by default the literal 'undefined' becomes NULL everywhere in the statement; false turns it off; an object throws the official string", async () => {
    const s = await execute(
      insert('people', { id: 'n1', name: 'undefined' }, { writeSql: true }),
      insert('people', { id: 'n2', name: 'undefined' }, { setNull: false }),
      insert('people', { id: 'n3', name: '' }, { setNull: ["''"], writeSql: true }),
    )(state);
    expect(s.queries).toEqual(["INSERT INTO people (id, name) VALUES ('n1',NULL);", "INSERT INTO people (id, name) VALUES ('n3',NULL);"]);
    expect(await rows('SELECT id, name FROM people ORDER BY id')).toEqual([
      { id: 'n1', name: null },
      { id: 'n2', name: 'undefined' },
      { id: 'n3', name: null },
    ]);
    await expect(execute(insert('people', { id: 'n4' }, { setNull: {} }))(state)).rejects.toBe('setNull must be a string or an array of strings.');
  });

  it('execute: false logs that it will not run, and runs anyway (the 8.x bug)', async () => {
    await execute(insert('people', { id: 'x1' }, { execute: false }))(state);
    expect(lines).toContain('Not executing query; options.execute === false');
    expect(await rows('SELECT id FROM people')).toEqual([{ id: 'x1' }]);
  });

  it('logValues is accepted but no log line ever carries a value', async () => {
    await execute(
      insert('people', { id: 'secret-id', name: 'Secret Name' }, { logValues: true }),
      upsertMany('people', 'id', [{ id: 'secret-id', name: 'Secret Name' }], { logValues: true }),
    )(state);
    expect(lines.join('\n')).not.toMatch(/Secret Name|secret-id/);
  });

  it('findValue: select %I from %I where …; the value goes to state.data and state.result, null when nothing matches', async () => {
    await execute(insertMany('people', [{ id: 'f1', name: 'Mamadou', age: 3 }, { id: 'f2', name: 'Ana', age: 9 }]))(state);
    const s = await execute(
      findValue({ uuid: 'id', relation: 'people', where: { name: 'Mama%' }, operator: { name: 'like' } }),
      findValue({ uuid: 'id', relation: 'people', where: { name: 'Nobody' } }),
    )(state);
    expect(s.references.at(-1)).toBe('f1');
    expect(s.data).toBeNull();
    expect(s.result).toBeNull();
    expect(util.format('select %I from %I %s', 'id', 'people', '')).toBe('select id from people ');
  });

  it('describeTable, insertTable and modifyTable send the official statements', async () => {
    const s = await execute(
      insertTable('made', [{ name: 'id', type: 'text', unique: true, required: true }, { name: 'n', type: 'int', default: 0 }], { writeSql: true }),
      modifyTable('made', [{ name: 'note', type: 'varchar(10)', default: 'x' }], { writeSql: true }),
      describeTable('made', { writeSql: true }),
    )(state);
    expect(s.queries).toEqual([
      'CREATE TABLE made (\n        id text  UNIQUE  NOT NULL, n int DEFAULT 0   \n      );',
      "ALTER TABLE made ADD COLUMN note varchar(10) DEFAULT 'x'  ;",
      "SELECT column_name, udt_name, is_nullable\n        FROM information_schema.columns\n        WHERE table_name='made';",
    ]);
    expect(s.data).toEqual(
      expect.arrayContaining([
        { column_name: 'id', udt_name: 'text', is_nullable: 'NO' },
        { column_name: 'n', udt_name: 'int4', is_nullable: 'YES' },
        { column_name: 'note', udt_name: 'varchar', is_nullable: 'YES' },
      ]),
    );
    const skipped = await execute(insertTable('none', []), modifyTable('none', []))({ ...state, data: 'same' });
    expect(skipped.data).toBe('same');
    expect(lines).toContain('No columns provided; skipping table creation.');
    expect(lines).toContain('No columns provided; skipping table modification.');
  });
});

// PGlite serves every connection from one backend (one pid), so which connection
// served a step can be told apart on the real server only.
describe.each(databaseTargets().filter((k) => k === 'server'))('postgresql stand-in connections on %s', (kind) => {
  let db: TestDatabase;
  let state: State;
  const rows = (text: string) => withClient(db.url, async (c) => (await c.query(text)).rows);
  const pid = () => sql('SELECT pg_backend_pid() AS pid');

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await withClient(db.url, (c) => c.query('CREATE TABLE people (id text PRIMARY KEY)'));
    state = { configuration: credential(db.url) };
  });
  afterAll(async () => {
    await shutdown();
    await db?.drop();
  });

  it('keeps a connection alive for the next step, but never one left inside a transaction', async () => {
    const a = await execute(pid())(state);
    const b = await execute(pid())(state);
    expect(b.data).toEqual(a.data); // keep-alive: the same connection serves the next step
    const open = await execute(sql('BEGIN'), sql("INSERT INTO people (id) VALUES ('open')"), pid())(state);
    expect(open.data).toEqual(a.data);
    expect(await rows('SELECT id FROM people')).toEqual([]);
    const after = await execute(pid(), sql('SELECT count(*)::int AS n FROM people'))(state);
    expect(after.references[1]).not.toEqual(a.data);
    expect(after.data).toEqual([{ n: 0 }]);
  });

  it('a failed step drops its connection; the next step gets a fresh one', async () => {
    const a = await execute(pid())(state);
    await expect(execute(sql('SELECT nope'))(state)).rejects.toMatchObject({ code: '42703' });
    const b = await execute(pid())(state);
    expect(b.data).not.toEqual(a.data);
  });

});
