import { afterEach, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.ts';
import { expectedCases, expectedServices } from '../support/oracle.ts';
import { startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';

/**
 * The sync with read-ahead on (as the CLI runs it): the same result as the
 * oracle, every page asked for once (the page read ahead is the one the next
 * batch asks for), and a run under churn still converges.
 */
describe.each(databaseTargets())('sync with read-ahead (%s database)', (kind) => {
  let h: SyncHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const withReadAhead = (harness: SyncHarness) => ({ ...harness.settings, primero: { ...harness.settings.primero, readAhead: true } });

  it('loads exactly what the oracle says, asking Primero for each page once', async () => {
    h = await startSyncHarness(kind, { cases: 250 });
    const summary = await h.sync({ pageSize: 20, settings: withReadAhead(h) });
    const records = h.sim.records();
    expect(await h.casesInDb()).toEqual(expectedCases(records));
    expect(await h.servicesInDb()).toEqual(expectedServices(records));
    expect(summary.batches).toBeGreaterThan(5);
    const asked = h.sim.requests.filter((r) => r.path === '/api/v2/cases').map((r) => r.rawQuery);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('converges under churn while it pages, in at most one more run', async () => {
    h = await startSyncHarness(kind, { cases: 200 });
    h.sim.setChurn({ perRequest: 2 });
    await h.sync({ pageSize: 20, settings: withReadAhead(h) });
    h.sim.setChurn({ perRequest: 0 });
    await h.sync({ pageSize: 20, settings: withReadAhead(h) });
    const records = h.sim.records();
    expect(await h.casesInDb()).toEqual(expectedCases(records));
    expect(await h.servicesInDb()).toEqual(expectedServices(records));
  });
});
