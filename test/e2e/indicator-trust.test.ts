import { afterEach, describe, expect, it } from 'vitest';
import { formatSummary } from '../../lib/cli/commands/sync/summary.ts';
import { locationTree } from '../../dev/sim/locations.ts';
import { UNKNOWN_SERVICE_TYPE } from '../../dev/sim/options.ts';
import { databaseTargets } from '../support/databases.ts';
import { expectedCases, expectedInCases } from '../support/oracle.ts';
import { startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';

/**
 * What a dashboard team checking the figures would look at, end to end through
 * the real sync: locations at every administrative level, and unknown codes
 * reported by field, code and count (never free text, never next to a case id).
 */
describe.each(databaseTargets())('indicators the dashboard team can trust (%s database)', (kind) => {
  let h: SyncHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a case at each administrative level gets the right province and district columns; an unknown code is reported by code', async () => {
    h = await startSyncHarness(kind, { cases: 20 });
    const tree = locationTree();
    const village = tree.villages.find((v) => v.code.length === 8)!;
    const [p, d, c] = [village.hierarchy[0]!, village.hierarchy[1]!, village.hierarchy[2]!];
    const name = (code: string) => tree.byCode.get(code)!.placename.en;
    const oneDigitProvince = tree.provinces.find((x) => x.code.length === 1)!.code;
    const levels: [string, string, Record<string, string | null>][] = [
      ['province', p, { province_current: name(p), province_current_code: p, district_current: null, district_current_code: null }],
      ['province, one digit', oneDigitProvince, { province_current: name(oneDigitProvince), province_current_code: oneDigitProvince, district_current: null, district_current_code: null }],
      ['district', d, { province_current: name(p), province_current_code: p, district_current: name(d), district_current_code: d }],
      ['commune', c, { province_current: name(p), province_current_code: p, district_current: name(d), district_current_code: d }],
      ['village', village.code, { province_current: name(p), province_current_code: p, district_current: name(d), district_current_code: d }],
      ['unknown district', '2599', { province_current: name('25'), province_current_code: '25', district_current: null, district_current_code: null }],
      ['unknown province', '26', { province_current: null, province_current_code: null, district_current: null, district_current_code: null }],
    ];
    const made = levels.map(([, code]) => h!.sim.createCase({ age: 7, status: 'open', enabled: true, location_current: code, location_caregiver: code }));
    const summary = await h.sync();
    const rows = await h.casesInDb();
    levels.forEach(([level, code, expected], i) => {
      const row = rows.find((r) => r.primero_id === made[i]!.id);
      expect(row, level).toMatchObject({ location_code: code, ...expected });
      expect(row, level).toMatchObject({ province_caregiver: expected.province_current, district_caregiver: expected.district_current });
    });
    // The generated cases (codes from the tree, every level) as the oracle says.
    const ours = new Set(made.map((m) => m.id));
    expect(rows.filter((r) => !ours.has(r.primero_id))).toEqual(expectedCases(h.sim.records().filter((r) => !ours.has(r.id))));
    const unknown = await h.query<{ field: string; code: string; case_count: number; case_id: string | null }>(
      `SELECT field, code, case_count, case_id FROM sync_rejects WHERE kind = 'unknown_code' AND field LIKE 'location%' ORDER BY field, code`,
    );
    expect(unknown).toEqual([
      { field: 'location_caregiver', code: '2599', case_count: 1, case_id: null },
      { field: 'location_caregiver', code: '26', case_count: 1, case_id: null },
      { field: 'location_current', code: '2599', case_count: 1, case_id: null },
      { field: 'location_current', code: '26', case_count: 1, case_id: null },
    ]);
    expect(summary.unknownCodes).toContainEqual(expect.objectContaining({ field: 'location_current', code: '2599', cases: 1 }));
    // The view shows the province of a province-level case, in both languages.
    const [viewed] = await h.query<{ province_en: string; province_km: string; district_en: string }>(
      'SELECT DISTINCT province_en, province_km, district_en FROM indicator_case_quarters WHERE case_id = $1',
      [made[0]!.case_id_display],
    );
    expect(viewed).toEqual({ province_en: name(p), province_km: tree.byCode.get(p)!.placename.km, district_en: 'Unknown' });
  });

  it('an unknown option code appears with its field and count in the summary and in sync_rejects; free text never does', async () => {
    h = await startSyncHarness(kind, { cases: 120 });
    const freeText = 'Sokha Chan told the worker she is a girl';
    const robots = [1, 2].map(() => h!.sim.createCase({ age: 8, status: 'open', enabled: true, sex: 'robot_x' }));
    h.sim.createCase({ age: 9, status: 'open', enabled: true, sex: freeText });
    // Disabled: not loaded, so its code is not counted.
    h.sim.createCase({ age: 9, status: 'open', sex: 'robot_x', enabled: false });
    const summary = await h.sync({ pageSize: 1000 });
    const records = h.sim.records().filter(expectedInCases);
    const withUnknownService = records.filter((r) => ((r.services_section as { service_type?: string }[] | undefined) ?? []).some((s) => s.service_type === UNKNOWN_SERVICE_TYPE)).length;
    expect(withUnknownService).toBeGreaterThan(0);

    const rows = await h.query<{ field: string; code: string; case_count: number; primero_id: string | null; case_id: string | null }>(
      `SELECT field, code, case_count, primero_id, case_id FROM sync_rejects WHERE kind = 'unknown_code' ORDER BY field, code`,
    );
    expect(rows).toContainEqual({ field: 'sex', code: 'robot_x', case_count: robots.length, primero_id: null, case_id: null });
    expect(rows).toContainEqual({ field: 'sex', code: '(not an option id)', case_count: 1, primero_id: null, case_id: null });
    expect(rows).toContainEqual({ field: 'services_section.service_type', code: UNKNOWN_SERVICE_TYPE, case_count: withUnknownService, primero_id: null, case_id: null });
    expect(summary.unknownCodes).toContainEqual(expect.objectContaining({ field: 'sex', code: 'robot_x', cases: 2 }));
    const text = formatSummary(summary);
    expect(text).toContain('sex  "robot_x"  2 cases');
    expect(text).toContain(`services_section.service_type  "${UNKNOWN_SERVICE_TYPE}"  ${withUnknownService} case`);
    const everything = JSON.stringify(await h.query('SELECT * FROM sync_rejects')) + text;
    expect(everything).not.toContain('Sokha');
    // The row keeps the code as it is, for the dashboard to show.
    expect((await h.casesInDb()).filter((r) => r.sex === 'robot_x').length).toBe(2);
  });
});
