/** primero-api-facts.md §4 and the addendum: locations, lookups, forms. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Simulator } from '../../../dev/sim/server.ts';
import { call, fixtureSim } from './fixture.ts';

const optionLabels = JSON.parse(readFileSync(new URL('../../../db/reference/option-labels.json', import.meta.url), 'utf8')) as Record<string, Record<string, string>>;

let sim: Simulator;
beforeAll(async () => {
  sim = await fixtureSim();
});
afterAll(() => sim.stop());

describe('GET /api/v2/locations', () => {
  it('defaults to per 100 with no 1000 cap', async () => {
    const a = await call(sim, '/api/v2/locations');
    expect(a.body.metadata).toMatchObject({ per: 100, page: 1 });
    expect(a.body.data).toHaveLength(100);
    const all = await call(sim, '/api/v2/locations?per=100000');
    expect(all.body.metadata.per).toBe(100000);
    expect(all.body.data).toHaveLength(all.body.metadata.total);
    expect(all.body.metadata.total).toBeGreaterThan(1000);
  });

  it('without hierarchy: id, code, type, disabled, name only', async () => {
    const a = await call(sim, '/api/v2/locations?per=1&order_by=code');
    expect(Object.keys(a.body.data[0]).sort()).toEqual(['code', 'disabled', 'id', 'name', 'type']);
  });

  it('hierarchy=true adds admin_level, placename and the root->self hierarchy; 1006 is Chetr Borei in Kratie', async () => {
    const a = await call(sim, '/api/v2/locations?hierarchy=true&per=100000');
    const byCode = new Map(a.body.data.map((l: { code: string }) => [l.code, l]));
    expect(byCode.get('1006')).toMatchObject({
      code: '1006',
      type: 'district',
      admin_level: 1,
      placename: { en: 'Chetr Borei' },
      name: { en: 'Kratie::Chetr Borei' },
      hierarchy: ['10', '1006'],
    });
    expect(byCode.get('10060802')).toMatchObject({ admin_level: 3, hierarchy: ['10', '1006', '100608', '10060802'] });
    const provinces = a.body.data.filter((l: { type: string }) => l.type === 'province');
    expect(provinces.map((p: { code: string }) => p.code).sort((x: string, y: string) => Number(x) - Number(y))).toEqual(
      Array.from({ length: 25 }, (_, i) => String(i + 1)),
    );
    for (const p of provinces) expect(p.name.km).toMatch(/[\u1780-\u17FF]/);
    // every code length occurs: 1-2 (province) to 7-8 (village) digits
    const lengths = new Set(a.body.data.map((l: { code: string }) => l.code.length));
    expect([...lengths].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('order_by=code pages stably', async () => {
    const p1 = await call(sim, '/api/v2/locations?order_by=code&per=3&page=1');
    expect(p1.body.data.map((l: { code: string }) => l.code)).toEqual(['1', '10', '1001']);
  });
});

describe('GET /api/v2/lookups', () => {
  it('lists lookups with English and Khmer labels for every deployment option', async () => {
    const a = await call(sim, '/api/v2/lookups?per=1000');
    expect(a.status).toBe(200);
    const byId = new Map(a.body.data.map((l: { unique_id: string }) => [l.unique_id, l]));
    const pc = byId.get('lookup-protection-concerns') as { values: Array<{ id: string; display_text: { en: string; km: string } }> };
    expect(pc.values.map((v) => v.id)).toEqual(Object.keys(optionLabels.protection_concerns!));
    for (const v of pc.values) {
      expect(v.display_text.en).toBe(optionLabels.protection_concerns![v.id]);
      expect(v.display_text.km).toMatch(/[\u1780-\u17FF]/);
    }
    const st = byId.get('lookup-service-type') as { values: Array<{ id: string; display_text: { km: string } }> };
    expect(st.values.map((v) => v.id)).toEqual(Object.keys(optionLabels.service_type!));
  });

  it('pages with per default 20', async () => {
    const a = await call(sim, '/api/v2/lookups?per=2&page=2');
    expect(a.body.data).toHaveLength(2);
    expect(a.body.metadata).toMatchObject({ per: 2, page: 2 });
  });
});

describe('GET /api/v2/forms?record_type=case', () => {
  it('has select fields pointing at lookups, inline options, and the services subform', async () => {
    const a = await call(sim, '/api/v2/forms?record_type=case');
    const fields = a.body.data.flatMap((f: { fields: unknown[] }) => f.fields) as Array<Record<string, any>>;
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get('protection_concerns')).toMatchObject({ option_strings_source: 'lookup lookup-protection-concerns', multi_select: true });
    expect(byName.get('service_type')).toMatchObject({ option_strings_source: 'lookup lookup-service-type' });
    expect(byName.get('type_of_placement')!.option_strings_text[0].display_text.km).toMatch(/[\u1780-\u17FF]/);
    expect(byName.get('services_section')).toMatchObject({ type: 'subform', subform_section_unique_id: 'services_section' });
    expect(byName.get('age')!.display_name).toEqual({ en: 'Age', km: 'អាយុ' });
  });
});
