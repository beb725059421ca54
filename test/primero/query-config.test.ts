/** Pure parts: qs-compatible query encoding (openfn-facts.md §1.6) and configuration validation. */
import { describe, expect, it } from 'vitest';
import { encodeQuery } from '../../lib/primero/query.ts';

describe('encodeQuery', () => {
  it('percent-encodes RFC 3986 style and keeps .. literal', () => {
    expect(encodeQuery({ last_updated_at: '2023-01-01T00:00:00.000Z..2023-04-01T00:00:00.000Z' })).toBe(
      'last_updated_at=2023-01-01T00%3A00%3A00.000Z..2023-04-01T00%3A00%3A00.000Z',
    );
    expect(encodeQuery({ 'loc:location_current': '1006', q: "a b+c!'()*" })).toBe('loc%3Alocation_current=1006&q=a%20b%2Bc%21%27%28%29%2A');
  });

  it('drops undefined, sends null as key=, booleans and numbers as text', () => {
    expect(encodeQuery({ a: undefined, b: null, c: true, d: 1000 })).toBe('b=&c=true&d=1000');
  });

  it('uses the indices format for arrays and brackets for objects; {} emits nothing', () => {
    expect(encodeQuery({ sex: ['male', 'female'], age: { from: 0, to: 17 }, scope: {} })).toBe(
      'sex%5B0%5D=male&sex%5B1%5D=female&age%5Bfrom%5D=0&age%5Bto%5D=17',
    );
  });
});
