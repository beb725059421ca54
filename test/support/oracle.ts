import { readFileSync } from 'node:fs';
import { locationTree } from '../../dev/sim/locations.ts';

/**
 * What the ONA tables must hold for a set of Primero records, written here
 * from ona-mapping.md without the project's mapping code, so an end-to-end
 * test compares the sync against an independent reading of the contract.
 */
const labels = JSON.parse(readFileSync(new URL('../../db/reference/option-labels.json', import.meta.url), 'utf8')) as Record<string, Record<string, string>>;
const REINTEGRATION = 'children_undergoing_reintegration_55427';

export interface ExpectedCase {
  case_id: string;
  primero_id: string;
  record_state: boolean;
  last_updated_date: string;
  registration_date: string | null;
  status: string | null;
  date_closure: string | null;
  case_source: string;
  disabled: string | null;
  type_of_case: string | null;
  sex: string | null;
  age: number | null;
  protection_concerns: string | null;
  placement_type: string | null;
  consent_for_reporting: string;
  location_code: string | null;
  province_current: string | null;
  province_current_code: string | null;
  district_current: string | null;
  district_current_code: string | null;
  province_caregiver: string | null;
  district_caregiver: string | null;
}

export interface ExpectedService {
  unique_id: string;
  case_id: string;
  service_type: string | null;
  service_date: string | null;
}

export function inIndicators(r: Record<string, unknown>): boolean {
  if (r.type_of_case === REINTEGRATION) return true;
  return typeof r.age === 'number' && r.age >= 0 && r.age <= 17;
}

/** A case Primero disabled is not in `cases` (nor its services), whatever indicator it matches. */
export const isEnabled = (r: Record<string, unknown>): boolean => r.record_state !== false && r.enabled !== false;

/** What `cases` holds: enabled cases of either indicator. */
export const expectedInCases = (r: Record<string, unknown>): boolean => inIndicators(r) && isEnabled(r);

const label = (table: string, code: unknown): string | null => (typeof code === 'string' ? (labels[table]?.[code] ?? code) : null);
const withoutSuffix = (code: unknown): string | null => (typeof code === 'string' ? code.replace(/_\d+$/, '').replaceAll('_', ' ') : null);

function place(code: unknown): { province: string | null; provinceCode: string | null; district: string | null; districtCode: string | null } {
  const tree = locationTree();
  const node = typeof code === 'string' ? tree.byCode.get(code) : undefined;
  if (!node) return { province: null, provinceCode: null, district: null, districtCode: null };
  const ancestors = node.hierarchy.map((c) => tree.byCode.get(c)!);
  // Any level resolves: a province fills the province columns only; below it, the district as well.
  const province = ancestors.find((a) => a.type === 'province')!;
  const district = ancestors.find((a) => a.type === 'district');
  return {
    province: province.placename.en,
    provinceCode: province.code,
    district: district ? district.placename.en : null,
    districtCode: district ? district.code : null,
  };
}

export function expectedCases(records: readonly Record<string, unknown>[]): ExpectedCase[] {
  return records
    .filter(expectedInCases)
    .map((r) => {
      const current = place(r.location_current);
      const caregiver = place(r.location_caregiver);
      return {
        case_id: r.case_id_display as string,
        primero_id: r.id as string,
        record_state: r.record_state !== false,
        last_updated_date: new Date(r.last_updated_at as string).toISOString(),
        registration_date: (r.registration_date as string | undefined) ?? null,
        status: (r.status as string | undefined) ?? null,
        date_closure: (r.date_closure as string | undefined) ?? null,
        case_source: r.oscar_number ? 'oscar' : 'primero',
        disabled: label('disability_type', r.disability_type),
        type_of_case: withoutSuffix(r.type_of_case),
        sex: label('sex', r.sex),
        age: typeof r.age === 'number' ? r.age : null,
        protection_concerns: Array.isArray(r.protection_concerns) && r.protection_concerns.length
          ? r.protection_concerns.map((c) => label('protection_concerns', c)).join(', ')
          : null,
        placement_type: withoutSuffix(r.type_of_placement),
        consent_for_reporting: r.consent_reporting === 'true' || r.consent_reporting === true ? 'true' : 'false',
        location_code: (r.location_current as string | undefined) ?? null,
        province_current: current.province,
        province_current_code: current.provinceCode,
        district_current: current.district,
        district_current_code: current.districtCode,
        province_caregiver: caregiver.province,
        district_caregiver: caregiver.district,
      };
    })
    .sort((a, b) => a.case_id.localeCompare(b.case_id));
}

export function expectedServices(records: readonly Record<string, unknown>[]): ExpectedService[] {
  return records
    .filter(expectedInCases)
    .flatMap((r) =>
      ((r.services_section as Record<string, unknown>[] | undefined) ?? []).map((s) => ({
        unique_id: s.unique_id as string,
        case_id: r.case_id_display as string,
        service_type: label('service_type', s.service_type),
        service_date:
          typeof s.service_implemented_day_time === 'string' && s.service_implemented_day_time !== 'not implemented'
            ? new Date(s.service_implemented_day_time).toISOString()
            : null,
      })),
    )
    .sort((a, b) => a.unique_id.localeCompare(b.unique_id));
}
