/** adaptors/primero.ts: the official adaptor's API for what jobs use (openfn-facts.md §1.4, §1.7, §1.8). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/server.ts';
import {
  execute, getCases, getForms, getLocations, getLookups, fn, each, dataValue, alterState, log, as, combine, merge, field, fields,
  sourceValue, lastReferenceValue, dataPath, dateFns, fnIf, setLogger, type State,
} from '../../adaptors/primero.ts';
import { createLogger } from '../../lib/log/logger.ts';

let sim: Simulator;
let lines: string[] = [];
beforeAll(async () => {
  sim = await startSimulator({ cases: 1500, seed: 'adaptor', asOf: '2026-01-01T00:00:00Z' });
  setLogger(createLogger({ level: 'debug', write: (l) => lines.push(l) }));
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.clearRequests();
  sim.clearFaults();
  lines = [];
});

const configuration = () => ({ url: sim.url, user: 'primero', password: 'primero', minRetryDelayMs: 10 });

describe('execute', () => {
  it('applies {references: [], data: null} defaults and runs operations in order', async () => {
    const seen: unknown[] = [];
    const state = await execute(
      fn((s: State) => {
        seen.push(s.references, s.data);
        return { ...s, data: 1 };
      }),
      fn((s: State) => ({ ...s, data: (s.data as number) + 1 })),
    )({ configuration: configuration() });
    expect(seen).toEqual([[], null]);
    expect(state.data).toBe(2);
  });

  it('keys already on state win over the defaults', async () => {
    const state = await execute()({ configuration: configuration(), data: { x: 1 }, references: ['r'] });
    expect(state).toMatchObject({ data: { x: 1 }, references: ['r'] });
  });

  it('refuses an invalid configuration with a clear error', async () => {
    await expect(execute(getCases({}))({ configuration: { url: 'nope', user: 'u', password: 'p' } })).rejects.toThrow(/Invalid Primero configuration: url/);
    await expect(execute(getCases({}))({})).rejects.toThrow(/state.configuration is missing/);
  });

  it('does not put credentials or auth into state', async () => {
    const state = await execute(getCases({ per: 1 }))({ configuration: configuration() });
    expect(Object.keys(state).sort()).toEqual(['configuration', 'data', 'metadata', 'references']);
  });
});

describe('getCases(query, options, callback)', () => {
  it('sets data to the cases and metadata to {total, per, page}; previous data goes to references', async () => {
    const state = await execute(getCases({ per: 10, page: 2, order_by: 'created_at', order: 'asc' }))({ configuration: configuration(), data: { before: true } });
    expect(state.data).toHaveLength(10);
    expect(state.metadata).toEqual({ total: 1500, per: 10, page: 2 });
    expect(state.references).toEqual([{ before: true }]);
    const expected = sim.records().sort((a, b) => String(a.created_at).localeCompare(String(b.created_at))).slice(10, 20).map((c) => c.id);
    expect((state.data as Array<{ id: string }>).map((c) => c.id)).toEqual(expected);
  });

  it('resolves query and options that are functions of state, recursively', async () => {
    await execute(
      fn((s: State) => ({ ...s, window: { from: '2025-01-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' } })),
      getCases((s: State) => ({
        record_state: true,
        last_updated_at: `${(s.window as { from: string }).from}..${(s.window as { to: string }).to}`,
        per: (st: State) => ((st.window as object) ? 500 : 1),
      }), () => null),
    )({ configuration: configuration() });
    expect(sim.requests[0]!.rawQuery).toBe('record_state=true&last_updated_at=2025-01-01T00%3A00%3A00.000Z..2025-04-01T00%3A00%3A00.000Z&per=500');
  });

  it('the result matches the simulator oracle for indicator 4.8 in a window', async () => {
    const window = '2025-01-01T00:00:00Z..2025-12-31T23:59:59Z';
    const state = await execute(
      getCases({ type_of_case: 'children_undergoing_reintegration_55427', record_state: true, last_updated_at: window, order_by: 'created_at', order: 'asc', per: 1000 }),
    )({ configuration: configuration() });
    const expected = sim
      .records()
      .filter((c) => c.enabled && c.type_of_case === 'children_undergoing_reintegration_55427')
      .filter((c) => String(c.last_updated_at).slice(0, 19) >= '2025-01-01T00:00:00' && String(c.last_updated_at).slice(0, 19) <= '2025-12-31T23:59:59');
    expect(expected.length).toBeGreaterThan(10);
    expect((state.data as Array<{ id: string }>).map((c) => c.id).sort()).toEqual(expected.map((c) => c.id).sort());
    expect(state.metadata?.total).toBe(expected.length);
  });

  it('hands the next state to the callback and uses its return', async () => {
    const state = await execute(
      getCases({ per: 3 }, null, (next: State) => ({ ...next, count: (next.data as unknown[]).length })),
    )({ configuration: configuration() });
    expect(state.count).toBe(3);
  });

  it('keeps an old metadata when a response has none', async () => {
    sim.queueResponses({ status: 200, body: { data: [] }, path: '/api/v2/cases' });
    const state = await execute(getCases({ per: 3 }))({ configuration: configuration(), metadata: { total: 9, per: 3, page: 1 } });
    expect(state.data).toEqual([]);
    expect(state.metadata).toEqual({ total: 9, per: 3, page: 1 });
  });

  it('logs counts, never case contents or the password', async () => {
    const state = await execute(getCases({ per: 50 }))({ configuration: { ...configuration(), password: 'primero' } });
    const text = lines.join('\n');
    expect(text).toMatch(/getCases: 50 case\(s\)/);
    for (const c of (state.data as Array<Record<string, unknown>>).slice(0, 10)) {
      expect(text).not.toContain(String(c.name_first));
      expect(text).not.toContain(String(c.case_notes).slice(0, 30));
    }
    expect(text).not.toContain('cHJpbWVybzpwcmltZXJv'); // base64 of primero:primero
  });

  it('fails the operation with the client error on 401', async () => {
    await expect(execute(getCases({}))({ configuration: { ...configuration(), password: 'wrong' } })).rejects.toThrow(/answered 401/);
  });
});

describe('getLocations, getLookups, getForms', () => {
  it('getLocations pages through every location', async () => {
    const state = await execute(getLocations({ hierarchy: true, order_by: 'code', per: 1000 }))({ configuration: configuration() });
    const locations = state.data as Array<{ code: string; hierarchy: string[] }>;
    const pages = sim.requests.filter((r) => r.path === '/api/v2/locations');
    expect(pages.length).toBe(Math.ceil(locations.length / 1000));
    expect(new Set(locations.map((l) => l.code)).size).toBe(locations.length);
    expect(locations.find((l) => l.code === '1006')?.hierarchy).toEqual(['10', '1006']);
    expect(state.metadata).toBeUndefined();
  });

  it('getLookups and getForms return everything with Khmer labels', async () => {
    const state = await execute(getLookups({ per: 3 }), getForms({ record_type: 'case' }))({ configuration: configuration() });
    const lookups = state.references?.[1] as Array<{ unique_id: string; values: Array<{ display_text: { km: string } }> }>;
    expect(lookups.map((l) => l.unique_id)).toContain('lookup-service-type');
    expect(sim.requests.filter((r) => r.path === '/api/v2/lookups').length).toBe(Math.ceil(lookups.length / 3));
    const forms = state.data as Array<{ unique_id: string }>;
    expect(forms.map((f) => f.unique_id)).toContain('services_section');
    expect(sim.requests.find((r) => r.path === '/api/v2/forms')?.query).toEqual({ record_type: 'case', per: '1000', page: '1' });
  });
});

describe('re-exports from language-common', () => {
  it('exports the helpers jobs use', () => {
    for (const f of [fn, fnIf, each, dataValue, alterState, log, as, combine, merge, field, fields, sourceValue, lastReferenceValue, dataPath]) {
      expect(typeof f).toBe('function');
    }
    expect(typeof dateFns.format).toBe('function');
  });
});
