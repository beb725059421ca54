/** primero-api-facts.md §2.1, §2.6, §4, §6.9, §6.10, §6.13: filters, ranges and silent drops. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../dev/sim/server.ts';
import { call, caseNumbers, fixtureSim } from './fixture.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await fixtureSim();
});
afterAll(() => sim.stop());

const nums = async (query: string) => {
  const a = await call(sim, `/api/v2/cases?per=100&${query}`);
  expect(a.status).toBe(200);
  expect(a.body.metadata.total).toBe(a.body.data.length);
  return caseNumbers(a);
};
const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];

describe('values and lists', () => {
  it('an exact value matches case-sensitively', async () => {
    expect(await nums('sex=male')).toEqual([1, 3, 5, 7, 9, 11]);
    expect(await nums('sex=Male')).toEqual([]);
    expect(await nums('type_of_case=children_undergoing_reintegration_55427')).toEqual([1, 2, 3]);
  });

  it('a comma list is an OR', async () => {
    expect(await nums('age=2,18')).toEqual([3, 4]);
    expect(await nums('sex=male,female')).toEqual(ALL);
  });

  it('indices arrays x[0]=a&x[1]=b are lists; x[]=a is dropped (unpermitted array)', async () => {
    expect(await nums('age%5B0%5D=2&age%5B1%5D=18')).toEqual([3, 4]);
    expect(await nums('sex%5B%5D=male')).toEqual(ALL);
  });

  it('different params are ANDed; a repeated scalar keeps the last value', async () => {
    expect(await nums('sex=male&type_of_case=children_undergoing_reintegration_55427')).toEqual([1, 3]);
    expect(await nums('sex=male&sex=female')).toEqual([2, 4, 6, 8, 10, 12, 13]);
  });

  it('a multi-select field matches on overlap', async () => {
    expect(await nums('protection_concerns=caafag')).toEqual([1, 4, 7, 10]);
    expect(await nums('protection_concerns=caafag,street_child')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('or[...] and not[...] combine filters', async () => {
    expect(await nums('or%5Bage%5D=2&or%5Bsex%5D=male')).toEqual([1, 3, 4, 5, 7, 9, 11]);
    expect(await nums('not%5Bsex%5D=male')).toEqual([2, 4, 6, 8, 10, 12, 13]);
  });

  it('unknown and unpermitted params are ignored', async () => {
    expect(await nums('remote=true&made_up_field=x&urgent=yes')).toEqual(ALL);
  });

  it('an invalid filter gives 200 with no data (§6.10)', async () => {
    const a = await call(sim, '/api/v2/cases?service_implemented_day_times=List%5B%22user1%22%5D');
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ data: [], metadata: { total: 0, per: 20, page: 1 } });
  });
});

describe('booleans (§2.6, §6.9)', () => {
  it('record_state=true/false', async () => {
    expect(await nums('record_state=true')).toEqual(ALL.slice(0, 12));
    expect(await nums('record_state=false')).toEqual([13]);
  });

  it("true matches the string 'true'; false also matches a missing field", async () => {
    expect(await nums('consent_reporting=true')).toEqual([1, 5, 9]);
    expect(await nums('consent_reporting=false')).toEqual([2, 3, 4, 6, 7, 8, 10, 11, 12, 13]);
  });

  it('booleans are lowercase only: TRUE is a plain string', async () => {
    expect(await nums('consent_reporting=TRUE')).toEqual([]);
  });
});

describe('numeric ranges', () => {
  it('are inclusive at both ends', async () => {
    expect(await nums('age=5..10')).toEqual([2, 5, 7, 8, 10, 12]);
    expect(await nums('age=0..17')).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('age=10.. (open end on a srch_ column) returns nothing; age=10..200 works', async () => {
    expect(await nums('age=10..')).toEqual([]);
    expect(await nums('age=10..200')).toEqual([1, 3, 5, 6, 9, 11, 12]);
  });

  it('malformed ranges drop the filter silently', async () => {
    for (const q of ['age=..18', 'age=1.5..2.5', 'age=-5..5', 'age=abc..def']) expect(await nums(q)).toEqual(ALL);
  });

  it('x[from]/x[to] hashes are ranges; other hashes are dropped', async () => {
    expect(await nums('age%5Bfrom%5D=5&age%5Bto%5D=6')).toEqual([2, 7, 10]);
    expect(await nums('age%5Bmin%5D=5')).toEqual(ALL);
  });
});

describe('date ranges', () => {
  it('last_updated_at datetimes compare at whole seconds, inclusive at both ends', async () => {
    // case 3 was updated 2024-03-03T12:00:00.700Z: truncated to 12:00:00, so both bounds include it.
    expect(await nums('last_updated_at=2024-03-03T12:00:00Z..2024-03-03T12:00:00Z')).toEqual([3]);
    expect(await nums('last_updated_at=2024-03-03T12:00:01Z..2024-03-04T12:00:00Z')).toEqual([4]);
    // a fractional from bound above the truncated value excludes it
    expect(await nums('last_updated_at=2024-03-03T12:00:00.500Z..2024-03-03T23:00:00Z')).toEqual([]);
  });

  it('an offset datetime is converted to UTC', async () => {
    // 19:00:00+07:00 = 12:00:00Z
    expect(await nums('last_updated_at=2024-03-05T19:00:00%2B07:00..2024-03-05T19:00:00%2B07:00')).toEqual([5]);
  });

  it('date-only bounds on last_updated_at include the whole end day', async () => {
    expect(await nums('last_updated_at=2024-03-02..2024-03-03')).toEqual([2, 3]);
    expect(await nums('last_updated_at=2024-04-01..')).toEqual([13]);
  });

  it('date-only bounds on created_at (srch column) end at midnight', async () => {
    expect(await nums('created_at=2024-03-02..2024-03-03')).toEqual([2]);
    expect(await nums('created_at=2024-03-02T08:00:00.250Z..2024-03-03T08:00:00.250Z')).toEqual([2, 3]);
  });

  it('a list of ranges is an OR', async () => {
    expect(await nums('last_updated_at=2024-03-01..2024-03-01,2024-03-12..2024-03-12')).toEqual([1, 12]);
  });

  it('malformed datetimes drop the filter', async () => {
    for (const q of [
      'last_updated_at=2024-03-03T00:00:00%2B0700..',
      'last_updated_at=2024-03-03T00:00Z..',
      'last_updated_at=2024-3-3..',
      'last_updated_at=03-03-2024..',
      'last_updated_at=2024-03-03T00:00:00+07:00..', // unencoded + became a space
    ]) {
      expect(await nums(q)).toEqual(ALL);
    }
  });
});

describe('locations (§4, §6.13)', () => {
  it('loc:location_current matches the code and its descendants only', async () => {
    // 10 = Kratie: cases at 10, 1006, 10060802, 1001, 100608, 1006; not 1 (Banteay Meanchey) nor 12.
    expect(await nums('loc:location_current=10')).toEqual([2, 3, 4, 7, 8, 11]);
    expect(await nums('loc:location_current=1006')).toEqual([3, 4, 8, 11]);
    expect(await nums('loc%3Alocation_current%5B0%5D=1')).toEqual([1]);
    expect(await nums('loc:location_current=1,2')).toEqual([1, 9, 10]);
  });

  it('a plain numeric location_current is varchar = integer: empty 200', async () => {
    const a = await call(sim, '/api/v2/cases?location_current=1006');
    expect(a.status).toBe(200);
    expect(a.body.data).toEqual([]);
    expect(a.body.metadata.total).toBe(0);
  });
});

describe('identifier search', () => {
  it('id fields match as given, never destringified', async () => {
    expect(await nums('short_id=00003ab')).toEqual([3]);
    expect(await nums('case_id_display=00003AB')).toEqual([]);
  });

  it('query= is a case-insensitive substring over identifiers, not names', async () => {
    expect(await nums('query=0003A')).toEqual([3]);
    expect(await nums('query=Child')).toEqual([]);
  });
});
