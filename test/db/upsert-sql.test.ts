import { describe, expect, it } from 'vitest';
import {
  batchToJson, buildInsertSql, buildUpsertSql, chunk, dedupeByKey, groupByShape, nullMarkers, parseKey, planUpsert, quoteIdent, quoteTable,
  resolveColumns, SqlBuildError, type ColumnInfo,
} from '../../lib/db/upsert-sql.ts';

const cols: ColumnInfo[] = [
  { name: 'case_id', type: 'text' },
  { name: 'age', type: 'integer' },
  { name: 'sex', type: 'text' },
  { name: 'when', type: 'timestamp with time zone' },
];

describe('upsert SQL building', () => {
  it('parses keys: single, comma list, parenthesised, array', () => {
    expect(parseKey('case_id')).toEqual(['case_id']);
    expect(parseKey('a,b')).toEqual(['a', 'b']);
    expect(parseKey('(a, b)')).toEqual(['a', 'b']);
    expect(parseKey(['a', 'b'])).toEqual(['a', 'b']);
    expect(() => parseKey('')).toThrow(SqlBuildError);
    expect(() => parseKey('a,a')).toThrow(/twice/);
  });

  it('quotes identifiers, doubling embedded quotes', () => {
    expect(quoteIdent('when')).toBe('"when"');
    expect(quoteIdent('a"; DROP TABLE cases; --')).toBe('"a""; DROP TABLE cases; --"');
    expect(quoteTable('public.cases')).toBe('"public"."cases"');
    expect(quoteTable('"Odd.Name"')).toBe('"Odd.Name"');
  });

  it('builds one parameterised statement with quoted columns and no values', () => {
    const sql = buildUpsertSql('cases', cols, ['case_id']);
    expect(sql).toContain('INSERT INTO "cases" ("case_id", "age", "sex", "when")');
    expect(sql).toContain('json_to_recordset($1::json) AS r("case_id" text, "age" integer, "sex" text, "when" timestamp with time zone)');
    expect(sql).toContain('ON CONFLICT ("case_id") DO UPDATE SET "age" = EXCLUDED."age", "sex" = EXCLUDED."sex", "when" = EXCLUDED."when"');
    expect(sql).not.toContain('$2');
    expect(buildUpsertSql('t', [cols[0]!], ['case_id'])).toContain('DO NOTHING');
    expect(buildInsertSql('cases', cols.slice(0, 2))).toMatch(/^INSERT INTO "cases" \("case_id", "age"\)\nSELECT r\."case_id", r\."age" FROM json_to_recordset/);
  });

  it('supports a composite conflict key', () => {
    const sql = buildUpsertSql('t', [{ name: 'a', type: 'text' }, { name: 'b', type: 'text' }, { name: 'v', type: 'text' }], ['a', 'b']);
    expect(sql).toContain('ON CONFLICT ("a", "b") DO UPDATE SET "v" = EXCLUDED."v"');
  });

  it('refuses unknown columns, naming table and column', () => {
    expect(() => resolveColumns('cases', cols, ['case_id', 'x"; drop table cases; --'])).toThrow('table cases has no column "x\\"; drop table cases; --"');
  });

  it('dedupes by key, last wins, and counts the duplicates', () => {
    const { records, duplicates } = dedupeByKey('cases', [{ case_id: 'a', age: 1 }, { case_id: 'b' }, { case_id: 'a', age: 2 }], ['case_id']);
    expect(duplicates).toBe(1);
    expect(records).toEqual([{ case_id: 'a', age: 2 }, { case_id: 'b' }]);
    const composite = dedupeByKey('t', [{ a: 1, b: 2 }, { a: 1, b: 3 }, { a: 1, b: 2, v: 'x' }], ['a', 'b']);
    expect(composite.duplicates).toBe(1);
  });

  it('refuses records without a key value, without echoing values', () => {
    expect(() => dedupeByKey('cases', [{ age: 9 }], ['case_id'])).toThrow('cases: record 0 has no value for key column "case_id"');
    expect(() => dedupeByKey('cases', ['x'], ['case_id'])).toThrow(/not an object/);
  });

  it('groups records by key set regardless of key order', () => {
    const shapes = groupByShape([{ a: 1, b: 2 }, { b: 3, a: 4 }, { a: 5 }]);
    expect(shapes.map((s) => [s.columns, s.rows.length])).toEqual([[['a', 'b'], 2], [['a'], 1]]);
  });

  it('keeps grouping right when a shape repeats, changes and comes back', () => {
    // The fast path reuses the previous record's shape only when its keys repeat exactly.
    const rows = [{ a: 1, b: 2 }, { a: 3, b: 4 }, { a: 5, c: 6 }, { b: 7, a: 8 }, { a: 9, b: 10 }, { a: 11 }];
    const shapes = groupByShape(rows);
    expect(shapes.map((s) => [s.columns, s.rows.map((r) => r.a)])).toEqual([
      [['a', 'b'], [1, 3, 8, 9]],
      [['a', 'c'], [5]],
      [['a'], [11]],
    ]);
  });

  it('plans batches and checks every column of every record', () => {
    const records = Array.from({ length: 12 }, (_, i) => ({ case_id: `c${i}`, age: i }));
    const plan = planUpsert('cases', records, 'case_id', cols, { batchSize: 5 });
    expect(plan.statements.map((s) => s.rows.length)).toEqual([5, 5, 2]);
    expect(() => planUpsert('cases', [{ case_id: 'a' }, { case_id: 'b', nope: 1 }], 'case_id', cols)).toThrow(/no column "nope"/);
    expect(() => planUpsert('cases', [{ case_id: 'a' }], 'missing', cols)).toThrow(/no column "missing"/);
  });

  it('serializes values as JSON only, with setNull as whole-value markers', () => {
    expect(nullMarkers(undefined).size).toBe(0);
    expect([...nullMarkers("'undefined'")]).toEqual(['undefined']);
    expect(() => nullMarkers({})).toThrow(/setNull/);
    const json = batchToJson([{ a: 'undefined', b: "it's undefined", c: 1n, d: new Date('2024-01-02T03:04:05Z') }], nullMarkers("'undefined'"));
    expect(JSON.parse(json)).toEqual([{ a: null, b: "it's undefined", c: '1', d: '2024-01-02T03:04:05.000Z' }]);
    // Without markers too: a bigint becomes its digits, not an error.
    expect(JSON.parse(batchToJson([{ c: 2n ** 64n, d: 'x' }], nullMarkers(undefined)))).toEqual([{ c: '18446744073709551616', d: 'x' }]);
  });

  it('chunks', () => {
    expect(chunk([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
    expect(() => chunk([1], 0)).toThrow();
  });
});
