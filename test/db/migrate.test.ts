import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, migrate } from '../../lib/db/migrate.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

describe('migration files', () => {
  it('are numbered and ordered', async () => {
    const names = (await listMigrations()).map((m) => m.name);
    expect(names.slice(0, 3)).toEqual(['001_core_tables', '002_comments', '003_indicator_views']);
    expect([...names].sort()).toEqual(names);
  });
});

describe.each(databaseTargets())('migrate on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('applies every migration from empty, then nothing on a re-run', async () => {
    const all = (await listMigrations()).map((m) => m.name);
    expect((await migrate(db.url)).applied).toEqual(all);
    expect((await migrate(db.url)).applied).toEqual([]);
    await withClient(db.url, async (c) => {
      const { rows } = await c.query('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(all);
      const tables = await c.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['cases', 'data_dictionary', 'indicator_4_11a', 'indicator_4_8', 'locations_lookup', 'services', 'sync_rejects', 'sync_runs']),
      );
      const caseCols = await c.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'cases'`);
      const names = caseCols.rows.map((r) => r.column_name);
      for (const col of [
        'case_id', 'last_updated_date', 'registration_date', 'case_source', 'disabled', 'type_of_case', 'sex', 'age', 'protection_concerns',
        'placement_type', 'consent_for_reporting', 'location_code', 'province_current', 'province_current_code', 'district_current',
        'district_current_code', 'province_caregiver', 'province_caregiver_code', 'district_caregiver', 'district_caregiver_code',
        'primero_id', 'record_state', 'synced_at',
      ]) expect(names).toContain(col);
      const comment = await c.query(`SELECT obj_description('cases'::regclass) AS d`);
      expect(comment.rows[0].d).toMatch(/case_id_display/);
    });
  });

  it('two concurrent runs apply each migration once (on the server; the embedded database is single-connection)', async () => {
    if (kind === 'embedded') return;
    const other = await createTestDatabase(kind);
    try {
      const [a, b] = await Promise.all([migrate(other.url), migrate(other.url)]);
      expect([...a.applied, ...b.applied].sort()).toEqual((await listMigrations()).map((m) => m.name));
    } finally {
      await other.drop();
    }
  });
});
