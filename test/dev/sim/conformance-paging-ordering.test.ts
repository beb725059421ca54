/** primero-api-facts.md §2.2, §2.3, §6.1, §6.2, §6.12: paging and ordering. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../dev/sim/server.ts';
import { startSimulator } from '../../../dev/sim/server.ts';
import { call, caseNumbers, fixtureSim } from './fixture.ts';

let sim: Simulator;
let big: Simulator;
beforeAll(async () => {
  sim = await fixtureSim();
  big = await startSimulator({ cases: 1100, seed: 'paging', asOf: '2026-01-01T00:00:00Z' });
});
afterAll(async () => {
  await sim.stop();
  await big.stop();
});

describe('paging (§2.2)', () => {
  it('defaults to page 1, per 20 and reports the total (§6.1)', async () => {
    const a = await call(sim, '/api/v2/cases');
    expect(a.status).toBe(200);
    expect(a.body.data).toHaveLength(13);
    expect(a.body.metadata).toEqual({ total: 13, per: 20, page: 1 });
    const b = await call(big, '/api/v2/cases');
    expect(b.body.data).toHaveLength(20);
    expect(b.body.metadata).toEqual({ total: 1100, per: 20, page: 1 });
  });

  it('caps per at 1000 and keeps per=999 (§6.2)', async () => {
    const a = await call(big, '/api/v2/cases?per=3000');
    expect(a.body.metadata.per).toBe(1000);
    expect(a.body.data).toHaveLength(1000);
    const b = await call(big, '/api/v2/cases?per=999');
    expect(b.body.metadata.per).toBe(999);
    expect(b.body.data).toHaveLength(999);
  });

  it('per=0 and per=abc give an empty page with per 0', async () => {
    for (const per of ['0', 'abc']) {
      const a = await call(sim, `/api/v2/cases?per=${per}`);
      expect(a.status).toBe(200);
      expect(a.body.data).toEqual([]);
      expect(a.body.metadata).toEqual({ total: 13, per: 0, page: 1 });
    }
  });

  it('a negative per is a PostgreSQL error: 500 in the errors envelope', async () => {
    const a = await call(sim, '/api/v2/cases?per=-1');
    expect(a.status).toBe(500);
    expect(a.body.errors).toHaveLength(1);
    expect(a.body.errors[0]).toMatchObject({ status: 500, resource: '/api/v2/cases' });
    expect(a.body.errors[0].message).toMatch(/LIMIT must not be negative/);
  });

  it('a non-numeric page becomes 0, a negative OFFSET: 500', async () => {
    const a = await call(sim, '/api/v2/cases?page=abc');
    expect(a.status).toBe(500);
    expect(a.body.errors[0].message).toMatch(/OFFSET must not be negative/);
    expect(a.body.errors[0].resource).toBe('/api/v2/cases');
  });

  it('a page past the end is empty with the total unchanged; pages do not overlap', async () => {
    const p1 = await call(sim, '/api/v2/cases?per=5&page=1&order_by=created_at&order=asc');
    const p3 = await call(sim, '/api/v2/cases?per=5&page=3&order_by=created_at&order=asc');
    const p4 = await call(sim, '/api/v2/cases?per=5&page=4');
    expect(caseNumbers(p1)).toEqual([1, 2, 3, 4, 5]);
    expect(caseNumbers(p3)).toEqual([11, 12, 13]);
    expect(p4.body.data).toEqual([]);
    expect(p4.body.metadata).toEqual({ total: 13, per: 5, page: 4 });
  });

  it('pages through 1100 cases at per=1000 without loss or duplicates', async () => {
    const ids = new Set<string>();
    for (const page of [1, 2]) {
      const a = await call(big, `/api/v2/cases?per=1000&page=${page}&order_by=created_at&order=asc`);
      for (const c of a.body.data) ids.add(c.id);
    }
    expect(ids.size).toBe(1100);
  });
});

describe('ordering (§2.3)', () => {
  it('defaults to created_at desc', async () => {
    const a = await call(sim, '/api/v2/cases');
    const created = a.body.data.map((c: { created_at: string }) => c.created_at);
    expect(created).toEqual([...created].sort().reverse());
    expect(caseNumbers({ ...a, body: { data: a.body.data.slice(0, 1) } })).toEqual([13]);
  });

  it('order_by=age&order=asc gives the spec ages, the case without an age last (§6.12)', async () => {
    const a = await call(sim, '/api/v2/cases?fields=short&order=asc&order_by=age');
    expect(a.body.data.map((c: { age?: number }) => c.age ?? null)).toEqual([2, 5, 5, 6, 9, 10, 10, 12, 15, 16, 17, 18, null]);
  });

  it('desc puts NULLs first', async () => {
    const a = await call(sim, '/api/v2/cases?fields=short&order=desc&order_by=age');
    expect(a.body.data.map((c: { age?: number }) => c.age ?? null)).toEqual([null, 18, 17, 16, 15, 12, 10, 10, 9, 6, 5, 5, 2]);
  });

  it('an invalid order value means asc; DESC is accepted', async () => {
    const a = await call(sim, '/api/v2/cases?order_by=created_at&order=sideways');
    expect(caseNumbers({ ...a, body: { data: a.body.data.slice(0, 2) } })).toEqual([1, 2]);
    const b = await call(sim, '/api/v2/cases?order_by=created_at&order=DESC');
    expect(b.body.data[0].id.endsWith('13')).toBe(true);
  });

  it('order_by=last_updated_at sorts chronologically', async () => {
    const a = await call(big, '/api/v2/cases?order_by=last_updated_at&order=asc&per=200');
    const values = a.body.data.map((c: { last_updated_at: string }) => c.last_updated_at);
    expect(values).toEqual([...values].sort());
  });

  it('has no tie-breaker: equal keys keep storage order in both directions', async () => {
    const asc = await call(sim, '/api/v2/cases?order_by=status&order=asc');
    const open = asc.body.data.filter((c: { status: string }) => c.status === 'open').map((c: { id: string }) => c.id);
    const desc = await call(sim, '/api/v2/cases?order_by=status&order=desc');
    const openDesc = desc.body.data.filter((c: { status: string }) => c.status === 'open').map((c: { id: string }) => c.id);
    expect(openDesc).toEqual(open); // not reversed: ties are not ordered by id
    expect(desc.body.data[0].status).toBe('open'); // 'open' > 'closed'
  });
});
