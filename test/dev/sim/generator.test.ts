/** The seeded generator: determinism and the shape the sync relies on. */
import { describe, expect, it } from 'vitest';
import { generateCases, type SimCase } from '../../../dev/sim/generator.ts';
import { OPTION_LABELS, REINTEGRATION, UNKNOWN_SERVICE_TYPE } from '../../../dev/sim/options.ts';
import { locationTree } from '../../../dev/sim/locations.ts';
import { startSimulator } from '../../../dev/sim/server.ts';

const AS_OF = '2026-06-30T00:00:00Z';
const cases = generateCases({ count: 5000, seed: 42, asOf: AS_OF });
const share = (p: (c: SimCase) => boolean) => cases.filter(p).length / cases.length;

describe('generator', () => {
  it('same seed, same data; another seed, other data', () => {
    expect(generateCases({ count: 200, seed: 42, asOf: AS_OF })).toEqual(cases.slice(0, 200));
    const other = generateCases({ count: 200, seed: 43, asOf: AS_OF });
    expect(other.map((c) => c.id)).not.toEqual(cases.slice(0, 200).map((c) => c.id));
  });

  it('ids are unique uuids; short_id is the last 7 of case_id; case_id differs from id', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases.slice(0, 500)) {
      expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(c.short_id).toBe((c.case_id as string).slice(-7));
      expect(c.case_id_display).toBe(c.short_id);
      expect(c.case_id).not.toBe(c.id);
    }
  });

  it('about 20-30% are reintegration cases; record_state mostly true', () => {
    expect(share((c) => c.type_of_case === REINTEGRATION)).toBeGreaterThan(0.2);
    expect(share((c) => c.type_of_case === REINTEGRATION)).toBeLessThan(0.3);
    expect(share((c) => c.record_state)).toBeGreaterThan(0.85);
    expect(share((c) => !c.record_state)).toBeGreaterThan(0);
  });

  it('status open, closed or duplicate; closed cases carry a closure date between creation and the last update, rarely none', () => {
    expect(share((c) => c.status === 'open')).toBeGreaterThan(0.7);
    expect(share((c) => c.status === 'closed')).toBeGreaterThan(0.15);
    expect(share((c) => c.status === 'duplicate')).toBeGreaterThan(0.005);
    expect(share((c) => c.status === 'duplicate')).toBeLessThan(0.03);
    const closed = cases.filter((c) => c.status === 'closed');
    const dated = closed.filter((c) => typeof c.date_closure === 'string');
    expect(dated.length / closed.length).toBeGreaterThan(0.95);
    expect(dated.length).toBeLessThan(closed.length);
    const day = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
    for (const c of dated) {
      expect(c.date_closure as string >= day(c.created_at)).toBe(true);
      expect(c.date_closure as string <= day(c.last_updated_at)).toBe(true);
    }
    // Edited after closure: the closure day is before the last update's day.
    expect(dated.filter((c) => (c.date_closure as string) < day(c.last_updated_at)).length / dated.length).toBeGreaterThan(0.3);
    expect(cases.filter((c) => c.status !== 'closed').every((c) => c.date_closure === undefined)).toBe(true);
  });

  it('ages 0-25, sometimes missing; codes come from the deployment tables', () => {
    const ages = cases.map((c) => c.age).filter((a): a is number => typeof a === 'number');
    expect(Math.min(...ages)).toBe(0);
    expect(Math.max(...ages)).toBe(25);
    expect(share((c) => c.age === undefined)).toBeGreaterThan(0);
    for (const c of cases) {
      if (c.sex !== undefined) expect(Object.keys(OPTION_LABELS.sex)).toContain(c.sex);
      if (c.disability_type !== undefined) expect(Object.keys(OPTION_LABELS.disability_type)).toContain(c.disability_type);
      for (const p of (c.protection_concerns as string[] | undefined) ?? []) expect(Object.keys(OPTION_LABELS.protection_concerns)).toContain(p);
    }
  });

  it('locations are tree codes of every length, for current and caregiver', () => {
    const tree = locationTree();
    const lengths = new Set<number>();
    for (const c of cases) {
      for (const f of ['location_current', 'location_caregiver'] as const) {
        const code = c[f] as string | undefined;
        if (code === undefined) continue;
        expect(tree.byCode.has(code)).toBe(true);
        lengths.add(code.length);
      }
    }
    expect([...lengths].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("services: 0-6 rows with unique ids, an unknown code now and then, 'not implemented' and absent dates", () => {
    const rows = cases.flatMap((c) => c.services_section ?? []);
    const counts = cases.map((c) => c.services_section?.length ?? 0);
    expect(Math.max(...counts)).toBe(6);
    expect(counts).toContain(0);
    expect(rows.length / cases.length).toBeGreaterThan(2.5);
    expect(new Set(rows.map((r) => r.unique_id)).size).toBe(rows.length);
    expect(rows.some((r) => r.service_type === UNKNOWN_SERVICE_TYPE)).toBe(true);
    expect(rows.some((r) => r.service_implemented_day_time === 'not implemented')).toBe(true);
    expect(rows.some((r) => r.service_implemented_day_time === undefined)).toBe(true);
  });

  it('consent_reporting true/false/absent, oscar_number sometimes, identifying fields present', () => {
    expect(new Set(cases.map((c) => c.consent_reporting))).toEqual(new Set(['true', 'false', undefined]));
    expect(share((c) => c.oscar_number !== undefined)).toBeGreaterThan(0.05);
    const c = cases[0]!;
    expect(c.name).toBe(`${c.name_first as string} ${c.name_last as string}`);
    expect(c.case_notes).toMatch(/^CASE NOTE: /);
  });

  it('created_at spreads over years; last_updated_at >= created_at and never after asOf', () => {
    const asOf = Date.parse(AS_OF);
    const years = new Set(cases.map((c) => new Date(c.created_at).getUTCFullYear()));
    expect(years.size).toBeGreaterThanOrEqual(4);
    for (const c of cases) {
      expect(c.last_updated_at).toBeGreaterThanOrEqual(c.created_at);
      expect(c.last_updated_at).toBeLessThanOrEqual(asOf);
    }
  });

  // How fast is the benchmark's business (it reports the generation time); here, that a large set is whole and distinct.
  it('generates 200 000 cases, each with its own id', () => {
    const many = generateCases({ count: 200_000, seed: 'perf', asOf: AS_OF });
    expect(many).toHaveLength(200_000);
    expect(new Set(many.map((c) => c.id)).size).toBe(200_000);
  });
});

describe('churn and mutators', () => {
  it('churn updates, creates and disables, bumping last_updated_at to now; records() are deep copies', async () => {
    const sim = await startSimulator({ cases: 50, seed: 5, asOf: '2025-01-01T00:00:00Z' });
    try {
      const before = sim.records();
      before[0]!.age = 999;
      expect(sim.records()[0]!.age).not.toBe(999);
      const started = Date.now();
      sim.setChurn({ perRequest: 20 });
      await fetch(`${sim.url}/api/v2/cases`, { headers: { Authorization: `Basic ${Buffer.from('primero:primero').toString('base64')}` } });
      const after = sim.records();
      expect(after.length).toBeGreaterThan(50);
      const bumped = after.filter((c) => Date.parse(c.last_updated_at as string) >= started);
      expect(bumped.length).toBeGreaterThan(0);
      for (const c of bumped) expect(Date.parse(c.last_updated_at as string)).toBeGreaterThanOrEqual(Date.parse(c.created_at as string));
    } finally {
      await sim.stop();
    }
  });

  it('updateCase, createCase and disableCase change what the API answers', async () => {
    const sim = await startSimulator({ cases: 10, seed: 6, asOf: '2025-01-01T00:00:00Z' });
    const auth = { Authorization: `Basic ${Buffer.from('primero:primero').toString('base64')}` };
    try {
      const first = sim.records()[0]!;
      const updated = sim.updateCase(first.id as string, { age: 7 });
      expect(updated.age).toBe(7);
      expect(Date.parse(updated.last_updated_at as string)).toBeGreaterThan(Date.parse(first.last_updated_at as string));
      const created = sim.createCase({ type_of_case: REINTEGRATION });
      sim.disableCase(first.id as string);
      const res = await fetch(`${sim.url}/api/v2/cases?record_state=true&per=100`, { headers: auth });
      const body = (await res.json()) as { data: Array<{ id: string }>; metadata: { total: number } };
      expect(body.metadata.total).toBe(sim.records().filter((c) => c.enabled).length);
      expect(body.data.map((c) => c.id)).toContain(created.id);
      expect(body.data.map((c) => c.id)).not.toContain(first.id);
    } finally {
      await sim.stop();
    }
  });
});
