import { describe, expect, it } from 'vitest';
import { writeRowsSql } from '../../lib/sql/writes.ts';

describe('the upsert job\'s parameterised row statements', () => {
  const rows = [{ case_id: 'a', age: 7, name_en: "O'Neil" }, { case_id: 'b', age: null, name_en: 'x' }];

  it('sends the rows as one JSON parameter and names the table\'s own row type; no value in the text', () => {
    const s = writeRowsSql('cases', rows, { kind: 'update', key: 'case_id' });
    expect(s.text).toBe(
      'INSERT INTO "cases" ("case_id", "age", "name_en")\nSELECT "case_id", "age", "name_en" FROM jsonb_populate_recordset(NULL::"cases", $1::jsonb)\nON CONFLICT ("case_id") DO UPDATE SET "age" = excluded."age", "name_en" = excluded."name_en", synced_at = now()',
    );
    expect(JSON.parse(s.values[0])).toEqual(rows);
    expect(s.text).not.toContain('Neil');
  });

  it('skips rows whose key is held and returns the keys it inserted', () => {
    expect(writeRowsSql('services', [{ unique_id: 'u' }], { kind: 'skip', key: 'unique_id' }).text).toMatch(/ON CONFLICT \("unique_id"\) DO NOTHING RETURNING "unique_id"$/);
    expect(writeRowsSql('data_dictionary', [{ a: 1 }], { kind: 'none' }).text).not.toMatch(/ON CONFLICT/);
  });

  it('refuses a name that is not a plain identifier, and an empty batch', () => {
    expect(() => writeRowsSql('cases; drop table x', rows, { kind: 'none' })).toThrow(/not a plain column or table name/);
    expect(() => writeRowsSql('cases', [{ 'Bad"col': 1 }], { kind: 'none' })).toThrow(/not a plain/);
    expect(() => writeRowsSql('cases', [], { kind: 'none' })).toThrow(/no rows/);
  });
});
