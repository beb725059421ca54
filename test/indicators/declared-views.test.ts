import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../lib/db/migrate.ts';
import { INDICATORS } from '../../lib/core/indicators/declared.ts';
import { BASE_DIMENSIONS, indicatorViewMigration, indicatorViewSelect } from '../../lib/core/indicators/indicator.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

/**
 * The views in db/migrations are the declarations' views: PostgreSQL's own
 * rendering of each migrated view equals its rendering of the view generated
 * from the declaration. A new indicator fails here until its migration holds
 * what `indicatorViewMigration` prints (the failure message shows it).
 */
describe.each(databaseTargets())('declared indicators and their views (%s database)', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await migrate(db.url);
  });
  afterAll(() => db?.drop());

  it.each(INDICATORS.map((i) => [i.id, i] as const))('%s: the migrated view is the one its declaration generates', async (_id, indicator) => {
    const [migrated, generated] = await withClient(db.url, async (c) => {
      await c.query(`CREATE TEMP VIEW generated_${indicator.id} AS ${indicatorViewSelect(indicator)}`);
      const { rows } = await c.query<{ migrated: string | null; generated: string }>(
        `SELECT pg_get_viewdef(to_regclass($1)) AS migrated, pg_get_viewdef($2::regclass) AS generated`,
        [indicator.id, `generated_${indicator.id}`],
      );
      return [rows[0]!.migrated, rows[0]!.generated];
    });
    expect(migrated, `write a migration with:\n${indicatorViewMigration(indicator)}`).toBe(generated);
  });
});

describe('declarations', () => {
  it('have unique ids and codes, the base dimensions, and the fields their rule reads', () => {
    expect(new Set(INDICATORS.map((i) => i.id)).size).toBe(INDICATORS.length);
    expect(new Set(INDICATORS.map((i) => i.code)).size).toBe(INDICATORS.length);
    for (const i of INDICATORS) {
      for (const d of BASE_DIMENSIONS) expect(i.dimensions).toContain(d);
      expect(i.reads.length).toBeGreaterThan(0);
      // The rule reads only what it declares: a record with just those fields decides the same.
      for (const value of [0, 17, 18, 30, 'children_undergoing_reintegration_55427', null]) {
        const full = Object.fromEntries(['age', 'type_of_case', 'sex', 'name'].map((k) => [k, value]));
        const only = Object.fromEntries(i.reads.map((k) => [k, value]));
        expect(i.includes(only)).toBe(i.includes(full));
      }
    }
  });

  it('4.8 and 4.11a: the rules match their Primero filters', () => {
    const [four8, four11a] = INDICATORS;
    expect(four8!.includes({ type_of_case: 'children_undergoing_reintegration_55427', age: 30 })).toBe(true);
    expect(four8!.includes({ type_of_case: 'other', age: 3 })).toBe(false);
    expect([0, 17].map((age) => four11a!.includes({ age }))).toEqual([true, true]);
    expect([18, -1, 3.5, '5', null].map((age) => four11a!.includes({ age }))).toEqual([false, false, false, false, false]);
  });
});
