import { afterEach, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.ts';
import { expectedCases, expectedInCases, expectedServices, inIndicators } from '../support/oracle.ts';
import { formatSummary } from '../../lib/cli/commands/sync/summary.ts';
import { quietProgress, startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';

/** A batch this large went by COPY in the former stand-in; kept as a "large batch" size. */
const COPY_MIN_ROWS = 200;

/**
 * The sync end to end: simulator -> real runtime, jobs and inbox -> a real
 * database, compared with an oracle written from the mapping contract.
 */
describe.each(databaseTargets())('sync end to end (%s database)', (kind) => {
  let h: SyncHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('loads every case of either indicator with the mapped values, their services, and nothing else', async () => {
    h = await startSyncHarness(kind, { cases: 300 });
    const summary = await h.sync({ pageSize: 40 });
    const records = h.sim.records();
    expect(records.filter(inIndicators).length).toBeGreaterThan(100);
    expect(await h.casesInDb()).toEqual(expectedCases(records));
    expect(await h.servicesInDb()).toEqual(expectedServices(records));
    expect(summary.batches).toBeGreaterThan(3);
    const [run] = await h.query<{ status: string; batches: number; next_message: unknown }>('SELECT status, batches, next_message FROM sync_runs');
    expect(run).toEqual({ status: 'completed', batches: summary.batches, next_message: null });
    // Asked with the queries the issue prescribes: 0..17 (not 0..18), the reintegration type, fields= only.
    const asked = h.sim.requests.filter((r) => r.path === '/api/v2/cases');
    expect(asked.some((r) => r.query.age === '0..17')).toBe(true);
    expect(asked.some((r) => r.query.type_of_case === 'children_undergoing_reintegration_55427')).toBe(true);
    expect(asked.every((r) => r.query.fields && !r.query.fields.includes('name') && r.query.order_by === 'created_at')).toBe(true);
    expect(asked.every((r) => r.query.last_updated_at === `${summary.window.from}..${summary.window.to}`)).toBe(true);
  });

  it('loads and reloads batches large enough for COPY exactly as the oracle says', async () => {
    h = await startSyncHarness(kind, { cases: 700 });
    const first = await h.sync();
    expect(first.totals.cases).toBeGreaterThan(COPY_MIN_ROWS);
    expect(await h.casesInDb()).toEqual(expectedCases(h.sim.records()));
    expect(await h.servicesInDb()).toEqual(expectedServices(h.sim.records()));
    // Changed cases are upserted and their services replaced: one removed from each.
    const changed = h.sim.records().filter(expectedInCases).slice(0, COPY_MIN_ROWS + 50);
    for (const c of changed) {
      h.sim.updateCase(c.id as string, { sex: c.sex === 'male' ? 'female' : 'male', services_section: ((c.services_section as unknown[] | undefined) ?? []).slice(1) });
    }
    const second = await h.sync();
    expect(second.totals.cases).toBe(changed.length);
    expect(await h.casesInDb()).toEqual(expectedCases(h.sim.records()));
    expect(await h.servicesInDb()).toEqual(expectedServices(h.sim.records()));
  });

  it('writes nothing to the ONA tables on a dry run, and reports what a real run then writes', async () => {
    h = await startSyncHarness(kind, { cases: 150 });
    const dry = await h.sync({ pageSize: 40, dryRun: true });
    expect(dry.dryRun).toBe(true);
    for (const table of ['cases', 'services', 'sync_runs', 'sync_rejects', 'data_dictionary', 'locations_lookup']) {
      const [row] = await h.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      expect(`${table}: ${row!.n}`).toBe(`${table}: 0`);
    }
    const real = await h.sync({ pageSize: 40 });
    expect(dry.totals).toEqual(real.totals);
    expect(dry.batches).toBe(real.batches);
  });

  it('loads only what changed on the next run, and a re-run over the same window changes nothing', async () => {
    h = await startSyncHarness(kind, { cases: 200 });
    const first = await h.sync({ pageSize: 50 });
    const before = await h.checksum();
    const again = await h.sync({ pageSize: 50, since: first.window.from });
    expect(again.totals.cases).toBe(first.totals.cases);
    expect(await h.checksum()).toBe(before);

    const changed = h.sim.records().filter(inIndicators).slice(0, 5);
    for (const c of changed) h.sim.updateCase(c.id as string, { consent_reporting: c.consent_reporting === 'true' ? 'false' : 'true' });
    // A loaded case whose services changed in Primero: one removed, one added. Its rows are replaced as a whole.
    const withServices = h.sim.records().find((r) => inIndicators(r) && Array.isArray(r.services_section) && r.services_section.length > 1)!;
    const services = withServices.services_section as Record<string, unknown>[];
    const added = { unique_id: '0b7e2f52-8c1a-4d0e-9a43-5f1e6c2d7a10', service_type: 'family_support', service_implemented_day_time: '2024-05-01T10:00:00.000Z' };
    h.sim.updateCase(withServices.id as string, { services_section: [...services.slice(1), added] });
    const outsider = h.sim.records().find((r) => !inIndicators(r))!;
    h.sim.updateCase(outsider.id as string, {});
    h.sim.clearRequests();
    const second = await h.sync({ pageSize: 50 });
    // A case in both indicators is written by both queries.
    expect(second.totals.cases).toBeGreaterThanOrEqual(5);
    expect(second.totals.cases).toBeLessThanOrEqual(10);
    expect(Date.parse(second.window.from)).toBe(Date.parse(again.window.to) - 60_000);
    expect(await h.casesInDb()).toEqual(expectedCases(h.sim.records()));
    const servicesNow = await h.servicesInDb();
    expect(servicesNow).toEqual(expectedServices(h.sim.records()));
    expect(servicesNow.some((x) => x.unique_id === services[0]!.unique_id)).toBe(false);
    expect(servicesNow.some((x) => x.unique_id === added.unique_id)).toBe(true);
    expect(await h.checksum()).not.toBe(before);
  });

  it('removes a case that left both indicators, and a disabled case with its services; enabled again, it returns', async () => {
    h = await startSyncHarness(kind, { cases: 150 });
    const first = await h.sync();
    // Cases disabled in Primero before the first run are never loaded.
    expect(h.sim.records().some((r) => inIndicators(r) && r.record_state === false)).toBe(true);
    expect(first.totals).toMatchObject({ removed: 0, removedDisabled: 0 });
    expect(await h.casesInDb()).toEqual(expectedCases(h.sim.records()));
    const hasServices = (r: Record<string, unknown>) => Array.isArray(r.services_section) && r.services_section.length > 0;
    const under18 = h.sim.records().find((r) => expectedInCases(r) && typeof r.age === 'number' && r.age < 17 && r.type_of_case !== 'children_undergoing_reintegration_55427')!;
    const other = h.sim.records().find((r) => expectedInCases(r) && r.id !== under18.id && hasServices(r))!;
    const servicesOf = async (caseId: unknown) => (await h!.query<{ n: string }>('SELECT count(*) AS n FROM services WHERE case_id = $1', [caseId]))[0]!.n;
    expect(Number(await servicesOf(other.case_id_display))).toBe((other.services_section as unknown[]).length);
    h.sim.updateCase(under18.id as string, { age: 19 });
    h.sim.disableCase(other.id as string);

    const second = await h.sync();
    expect(second.totals).toMatchObject({ removed: 1, removedDisabled: 1 });
    expect(formatSummary(second)).toContain('removed: 1 cases that left both indicators, 1 cases disabled in Primero');
    const rows = await h.query('SELECT case_id FROM cases WHERE primero_id = ANY($1::uuid[])', [[under18.id, other.id]]);
    expect(rows).toEqual([]);
    expect(Number(await servicesOf(other.case_id_display))).toBe(0);
    expect(await h.casesInDb()).toEqual(expectedCases(h.sim.records()));
    expect(await h.servicesInDb()).toEqual(expectedServices(h.sim.records()));
    const [ledger] = await h.query<{ removed_count: number; removed_disabled_count: number }>(
      'SELECT removed_count, removed_disabled_count FROM sync_runs WHERE run_id = $1',
      [second.runId],
    );
    expect(ledger).toEqual({ removed_count: 1, removed_disabled_count: 1 });

    // Enabled again (its last_updated_at moves): the next run brings it back, services and all.
    h.sim.updateCase(other.id as string, { enabled: true });
    const third = await h.sync();
    expect(third.totals).toMatchObject({ removed: 0, removedDisabled: 0 });
    expect((await h.casesInDb()).some((c) => c.primero_id === other.id)).toBe(true);
    expect(Number(await servicesOf(other.case_id_display))).toBe((other.services_section as unknown[]).length);
    expect(await h.casesInDb()).toEqual(expectedCases(h.sim.records()));
    expect(await h.servicesInDb()).toEqual(expectedServices(h.sim.records()));
  });

  it('skips a service whose unique_id a case loaded earlier holds, records why, and loads the rest', async () => {
    h = await startSyncHarness(kind, { cases: 80 });
    await h.sync({ pageSize: 30 });
    const holder = h.sim.records().find((r) => inIndicators(r) && Array.isArray(r.services_section) && r.services_section.length > 0)!;
    const taken = (holder.services_section as Record<string, unknown>[])[0]!;
    const own = { unique_id: '5d0c7a9e-3f21-4b6a-8e44-2a9f0c1b7d35', service_type: 'family_support' };
    const newcomer = h.sim.createCase({ age: 9, type_of_case: 'other_child_protection_case_40332', services_section: [{ ...taken }, own] });
    const second = await h.sync({ pageSize: 30 });

    const services = await h.servicesInDb();
    // The holder keeps its row; the newcomer loads with its other service.
    expect(services.find((x) => x.unique_id === taken.unique_id)?.case_id).toBe(holder.case_id_display);
    expect(services.filter((x) => x.case_id === newcomer.case_id_display).map((x) => x.unique_id)).toEqual([own.unique_id]);
    expect((await h.casesInDb()).some((c) => c.case_id === newcomer.case_id_display)).toBe(true);
    const rejects = await h.query<{ field: string; reason: string }>(
      `SELECT field, reason FROM sync_rejects WHERE case_id = $1 AND kind = 'rejected'`,
      [newcomer.case_id_display],
    );
    expect(rejects).toEqual([{ field: 'services_section.unique_id', reason: `service ${String(taken.unique_id)} already loaded under case ${String(holder.case_id_display)}` }]);
    // The run's counts are what it wrote.
    expect(second.totals.services).toBe(1);
    expect(second.totals.rejects).toBe(1);
  });
});

describe.each(databaseTargets().slice(0, 1))('sync under change and failure (%s database)', (kind) => {
  let h: SyncHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('matches Primero exactly after a run with churn while it pages, and at most one more run', async () => {
    h = await startSyncHarness(kind, { cases: 300 });
    h.sim.setChurn({ perRequest: 2 });
    await h.sync({ pageSize: 25 });
    h.sim.setChurn({ perRequest: 0 });
    await h.sync({ pageSize: 25 });
    const records = h.sim.records();
    expect(await h.casesInDb()).toEqual(expectedCases(records));
    expect(await h.servicesInDb()).toEqual(expectedServices(records));
  });

  it('closes a run with its last batch, in that batch\'s transaction: never every batch in and the run open', async () => {
    h = await startSyncHarness(kind, { cases: 200 });
    const harness = h;
    const seen: { status: string; open: boolean }[] = [];
    const summary = await harness.sync({
      pageSize: 20,
      progress: quietProgress(() => {
        void harness.query<{ status: string; open: boolean }>('SELECT status, next_message IS NOT NULL AS open FROM sync_runs').then((rows) => seen.push(...rows));
      }),
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(summary.batches).toBeGreaterThan(2);
    expect(seen.length).toBeGreaterThan(2);
    // Every moment a batch had just committed: running with a bookmark, or completed without one.
    expect(seen.every((r) => (r.status === 'running' && r.open) || (r.status === 'completed' && !r.open))).toBe(true);
    expect(await h.query('SELECT status, next_message FROM sync_runs')).toEqual([{ status: 'completed', next_message: null }]);
  });

  it('completes a run that failed half-way when Primero went down, losing nothing', async () => {
    h = await startSyncHarness(kind, { cases: 250 });
    const harness = h;
    let batches = 0;
    const failing = harness.sync({
      pageSize: 20,
      progress: quietProgress(() => {
        if (++batches === 3) harness.sim.setFaults({ rate: 1, kinds: ['500'] });
      }),
    });
    await expect(failing).rejects.toThrow(/batch 4: step "fetch" failed/);
    const [failed] = await h.query<{ status: string; batches: number }>('SELECT status, batches FROM sync_runs');
    expect(failed).toEqual({ status: 'failed', batches: 3 });
    h.sim.clearFaults();
    const resumed = await h.sync({ pageSize: 20 });
    expect(resumed.resumed).toBe(true);
    const records = h.sim.records();
    expect(await h.casesInDb()).toEqual(expectedCases(records));
    expect(await h.servicesInDb()).toEqual(expectedServices(records));
    const runs = await h.query<{ status: string }>('SELECT status FROM sync_runs');
    expect(runs).toEqual([{ status: 'completed' }]);
  });
});
