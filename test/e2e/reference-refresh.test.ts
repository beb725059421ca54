import { afterEach, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.ts';
import { startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';
import { startRewritingProxy } from '../support/rewriting-proxy.ts';

/**
 * Reference data as the sync refreshes it: the fetch job reads Primero's
 * lookups, forms and locations (paged by the job) on a run's first batch,
 * and the upsert job replaces data_dictionary and upserts locations_lookup in
 * the batch's transaction. When Primero refuses, labels come from the bundled
 * copy and the locations are kept.
 */
describe.each(databaseTargets())('reference data, as the sync refreshes it (%s database)', (kind) => {
  let h: SyncHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('loads data_dictionary and locations_lookup from Primero, in English and Khmer, every column described', async () => {
    h = await startSyncHarness(kind, { cases: 20 });
    await h.sync({ pageSize: 50 });
    const sex = await h.query<{ label_en: string; label_km: string; source: string }>(
      `SELECT option_id, label_en, label_km, source FROM data_dictionary WHERE column_name = 'sex' AND option_id IS NOT NULL ORDER BY option_id`,
    );
    expect(sex.length).toBeGreaterThanOrEqual(2);
    expect(sex.every((r) => r.label_en && r.label_km && r.source === 'primero')).toBe(true);
    const [undescribed] = await h.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.columns col
       WHERE col.table_name IN ('cases', 'services') AND col.table_schema = current_schema()
         AND NOT EXISTS (SELECT 1 FROM data_dictionary d WHERE d.table_name = col.table_name AND d.column_name = col.column_name AND d.option_id IS NULL)`,
    );
    expect(undescribed!.n).toBe(0);
    // Cambodia re-labelled stock ids: the instance's label wins.
    const [concern] = await h.query(`SELECT label_en, label_km FROM data_dictionary WHERE primero_field = 'protection_concerns' AND option_id = 'disabled'`);
    expect(concern).toMatchObject({ label_en: 'At risk of neglect' });
    expect((concern as { label_km: string }).label_km).toBeTruthy();
    // More than one page of locations (1000 a page): the job pages what the adaptor reads one page of.
    const [count] = await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM locations_lookup`);
    expect(count!.n).toBeGreaterThan(25);
    const [kratie] = await h.query(`SELECT district, province, province_code, province_km FROM locations_lookup WHERE code = '1006'`);
    expect(kratie).toEqual({ district: 'Chetr Borei', province: 'Kratie', province_code: '10', province_km: 'ក្រចេះ' });
  });

  it('falls back to the bundled labels when Primero refuses its lookups (403), keeps the locations, and still loads the cases with labels', async () => {
    h = await startSyncHarness(kind, { cases: 20 });
    await h.sync({ pageSize: 50 });
    await h.query(`UPDATE cases SET last_updated_date = last_updated_date - interval '1 day'`);
    // A later run whose Primero user lost access to lookups and locations (forms still answer).
    h.sim.setFaults({ rate: 1, kinds: ['403'], pathPrefix: '/api/v2/lo' });
    const summary = await h.sync({ pageSize: 50, since: '2000-01-01T00:00:00Z' });
    h.sim.clearFaults();
    expect(summary.batches).toBeGreaterThan(0);
    const sources = await h.query<{ source: string }>(`SELECT DISTINCT source FROM data_dictionary WHERE option_id IS NOT NULL`);
    expect(sources).toEqual([{ source: 'bundled' }]);
    const [concern] = await h.query(`SELECT label_en, label_km FROM data_dictionary WHERE primero_field = 'protection_concerns' AND option_id = 'disabled'`);
    expect(concern).toEqual({ label_en: 'At risk of neglect', label_km: null });
    const [kratie] = await h.query(`SELECT district FROM locations_lookup WHERE code = '1006'`);
    expect(kratie).toEqual({ district: 'Chetr Borei' });
    const [unlabelled] = await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE sex_code IS NOT NULL AND sex IS NULL`);
    expect(unlabelled!.n).toBe(0);
  });

  it('keeps Primero\'s labels when pages after the first batch come without metadata: reference data and cases as a clean run leaves them', async () => {
    const snapshot = async (harness: SyncHarness) => ({
      dictionary: await harness.query(`SELECT table_name, column_name, primero_field, option_id, label_en, label_km, source FROM data_dictionary ORDER BY 1, 2, 4 NULLS FIRST`),
      locations: await harness.query(`SELECT code, district, district_km, province, province_km, province_code FROM locations_lookup ORDER BY code`),
      cases: await harness.casesInDb(),
    });
    const clean = await startSyncHarness(kind, { cases: 90, seed: 'metadata-later' });
    const expected = await clean.sync({ pageSize: 10 }).then(() => snapshot(clean)).finally(() => clean.close());
    expect(expected.dictionary.some((r) => (r as { source: string }).source === 'primero')).toBe(true);
    h = await startSyncHarness(kind, { cases: 90, seed: 'metadata-later' });
    // The first batch's two pages as Primero sends them; every page after it without metadata.
    let pages = 0;
    const proxy = await startRewritingProxy(h.sim.url, (page) => (++pages <= 2 ? page : { data: page.data }));
    try {
      h.settings.primero.url = proxy.url;
      const summary = await h.sync({ pageSize: 10 });
      expect(summary.batches).toBeGreaterThan(2);
      expect(pages).toBeGreaterThan(4);
      expect(await snapshot(h)).toEqual(expected);
    } finally {
      await proxy.stop();
    }
  });
});
