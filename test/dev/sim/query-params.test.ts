/** DestringifyService rules (§2.6 table), as pure functions. */
import { describe, expect, it } from 'vitest';
import { destringify, parseRackQuery, rubyToI } from '../../../dev/sim/query-params.ts';

describe('destringify', () => {
  it('follows the verified table', () => {
    expect(destringify('')).toBeNull();
    expect(destringify('0..18')).toEqual({ kind: 'range', from: 0, to: 18 });
    expect(destringify('10..')).toEqual({ kind: 'range', from: 10, to: null });
    expect(destringify('..18')).toEqual({ kind: 'range', from: null, to: 18 });
    expect(destringify('male,female')).toEqual(['male', 'female']);
    expect(destringify('0102')).toBe(102);
    expect(destringify('true')).toBe(true);
    expect(destringify('TRUE')).toBe('TRUE');
    expect(destringify('2024-01-01')).toEqual({ kind: 'date', ms: Date.parse('2024-01-01T00:00:00Z') });
    expect(destringify('2024-01-01T00:00:00+07:00..')).toEqual({ kind: 'range', from: { kind: 'time', ms: Date.parse('2023-12-31T17:00:00Z') }, to: null });
    expect(destringify('2024-01-01T00:00:00.123Z..')).toEqual({ kind: 'range', from: { kind: 'time', ms: Date.parse('2024-01-01T00:00:00.123Z') }, to: null });
    expect(destringify('2024-01-01T00:00:00+0700..')).toEqual({ kind: 'range', from: '2024-01-01T00:00:00+0700', to: null });
    expect(destringify('2024-01-01..2024-02-01,2024-03-01..2024-04-01')).toHaveLength(2);
  });

  it('parses nested query keys the Rack way', () => {
    expect(parseRackQuery('a%5B0%5D=x&a%5B1%5D=y&b%5B%5D=z&c=1&c=2&d=a+b')).toEqual({ a: { '0': 'x', '1': 'y' }, b: ['z'], c: '2', d: 'a b' });
  });

  it("Ruby's to_i", () => {
    expect(rubyToI('abc')).toBe(0);
    expect(rubyToI('12abc')).toBe(12);
    expect(rubyToI('-3')).toBe(-3);
    expect(rubyToI('1_000')).toBe(1000);
  });
});
