import { describe, expect, it } from 'vitest';
import { arrayLiteral, copyRows, copyValue } from '../../lib/db/copy-text.ts';

describe('COPY text encoding', () => {
  it('writes NULL as \\N and escapes the characters COPY reads specially', () => {
    expect(copyValue(null, 'text')).toBe('\\N');
    expect(copyValue(undefined, 'integer')).toBe('\\N');
    expect(copyValue('a\\b\tc\nd\re', 'text')).toBe('a\\\\b\\tc\\nd\\re');
    // The text "\N" is data, not NULL.
    expect(copyValue('\\N', 'text')).toBe('\\\\N');
    expect(copyValue('ស្រី "x" \'y\'', 'text')).toBe('ស្រី "x" \'y\'');
  });

  it('writes scalars as the JSON path would hand them to the column', () => {
    expect(copyValue(true, 'boolean')).toBe('true');
    expect(copyValue(false, 'text')).toBe('false');
    expect(copyValue(42, 'integer')).toBe('42');
    expect(copyValue(1.5, 'numeric')).toBe('1.5');
    expect(copyValue(2n ** 70n, 'numeric')).toBe('1180591620717411303424');
    expect(copyValue(new Date('2024-02-03T04:05:06.789Z'), 'timestamp with time zone')).toBe('2024-02-03T04:05:06.789Z');
    // JSON has no NaN, Infinity or functions: the JSON path writes NULL for them.
    expect(copyValue(Number.NaN, 'integer')).toBe('\\N');
    expect(copyValue(Number.POSITIVE_INFINITY, 'double precision')).toBe('\\N');
    expect(copyValue(() => 1, 'text')).toBe('\\N');
  });

  it('writes arrays as array literals for array columns, quoting every element', () => {
    expect(arrayLiteral(['a', 'b c', 'd"e', 'f\\g', '{h,i}', 'NULL'])).toBe('{"a","b c","d\\"e","f\\\\g","{h,i}","NULL"}');
    expect(arrayLiteral([null, 1, true, [2, 3]])).toBe('{NULL,"1","true",{"2","3"}}');
    expect(arrayLiteral([])).toBe('{}');
    // The literal then goes through COPY escaping: its backslashes double again.
    expect(copyValue(['f\\g', 'tab\there'], 'text[]')).toBe('{"f\\\\\\\\g","tab\\there"}');
  });

  it('writes JSON for json columns, and for arrays or objects in other columns', () => {
    expect(copyValue('plain', 'jsonb')).toBe('"plain"');
    expect(copyValue({ a: [1, 'x\ty'] }, 'json')).toBe('{"a":[1,"x\\\\ty"]}');
    expect(copyValue(5, 'jsonb')).toBe('5');
    expect(copyValue(['a'], 'text')).toBe('["a"]');
    expect(copyValue({ k: 1n }, 'text')).toBe('{"k":"1"}');
  });

  it('lays rows out as lines of tab-separated columns in the order given', () => {
    const columns = [
      { name: 'id', type: 'text' },
      { name: 'n', type: 'integer' },
      { name: 'tags', type: 'text[]' },
    ];
    expect(copyRows([{ n: 1, id: 'a', tags: ['x'] }, { id: 'b' }], columns)).toBe('a\t1\t{"x"}\nb\t\\N\t\\N\n');
    expect(copyRows([], columns)).toBe('');
  });
});
