import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../lib/db/migrate.ts';
import { createPrimeroClient } from '../../lib/primero/client.ts';
import { createLogger, silentLogger } from '../../lib/log/logger.ts';
import { loadLabels, loadLocations, primeroReferenceSource, refreshReferenceData, staticReferenceSource } from '../../lib/reference/index.ts';
import { startSimulator, type Simulator } from '../../sim/server.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

describe.each(databaseTargets())('reference data refresh on %s', (kind) => {
  let db: TestDatabase;
  let sim: Simulator;
  const source = () =>
    primeroReferenceSource(
      createPrimeroClient({ url: sim.url, user: sim.options.user, password: sim.options.password, maxAttempts: 1 }, { logger: silentLogger }),
    );

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await migrate(db.url);
    sim = await startSimulator({ cases: 5, seed: 1 });
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.drop();
  });

  it('loads data_dictionary and locations_lookup from the simulator, in English and Khmer', async () => {
    const out = await withClient(db.url, (c) => refreshReferenceData(c, source()));
    expect(out.dictionary.source).toBe('primero');
    expect(out.locations.refreshed).toBe(true);
    expect(out.locations.rows).toBeGreaterThan(25);
    await withClient(db.url, async (c) => {
      const sex = await c.query(`SELECT option_id, label_en, label_km, source FROM data_dictionary WHERE column_name = 'sex' AND option_id IS NOT NULL ORDER BY option_id`);
      expect(sex.rows.length).toBeGreaterThanOrEqual(2);
      expect(sex.rows.every((r) => r.label_en && r.label_km && r.source === 'primero')).toBe(true);
      const perColumn = await c.query(
        `SELECT count(*)::int AS n FROM information_schema.columns col
         WHERE col.table_name IN ('cases', 'services') AND col.table_schema = current_schema()
           AND NOT EXISTS (SELECT 1 FROM data_dictionary d WHERE d.table_name = col.table_name AND d.column_name = col.column_name AND d.option_id IS NULL)`,
      );
      expect(perColumn.rows[0].n).toBe(0);
      const labels = await loadLabels(c);
      // Cambodia re-labelled stock ids: the instance's label wins.
      expect(labels.protection_concerns.get('disabled')?.en).toBe('At risk of neglect');
      expect(labels.protection_concerns.get('disabled')?.km).toBeTruthy();
      expect(labels.service_type.size).toBeGreaterThan(0);
      const districts = await loadLocations(c);
      expect(districts.get('1006')).toMatchObject({ district: 'Chetr Borei', province: 'Kratie', province_code: '10', province_km: 'ក្រចេះ' });
    });
  });

  it('falls back to the bundled labels with a warning when Primero answers 403, keeping the locations', async () => {
    sim.setFaults({ rate: 1, kinds: ['403'], pathPrefix: '/api/v2/' });
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (l) => lines.push(l) });
    try {
      const out = await withClient(db.url, (c) => refreshReferenceData(c, source(), { logger }));
      expect(out.dictionary.source).toBe('bundled');
      expect(out.locations.refreshed).toBe(false);
    } finally {
      sim.clearFaults();
    }
    expect(lines.some((l) => /403/.test(l) && /bundled/.test(l))).toBe(true);
    expect(lines.some((l) => /locations/.test(l))).toBe(true);
    await withClient(db.url, async (c) => {
      const labels = await loadLabels(c);
      expect(labels.protection_concerns.get('disabled')).toEqual({ en: 'At risk of neglect', km: null });
      expect((await loadLocations(c)).get('1006')?.district).toBe('Chetr Borei');
      const src = await c.query(`SELECT DISTINCT source FROM data_dictionary WHERE option_id IS NOT NULL`);
      expect(src.rows).toEqual([{ source: 'bundled' }]);
    });
  });

  it('falls back when the metadata has an unexpected shape', async () => {
    const out = await withClient(db.url, (c) =>
      refreshReferenceData(c, staticReferenceSource({ lookups: [{ nonsense: true }], forms: [], locations: [] })),
    );
    expect(out.dictionary.source).toBe('bundled');
    expect(out.dictionary.warnings[0]).toMatch(/expected shape/);
  });
});
