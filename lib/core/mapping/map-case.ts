import { normaliseDatetime, validDate } from './dates.ts';
import { LOCATION_CODE } from './location-codes.ts';
import { humaniseOptionId, reportableCode } from './option-codes.ts';
import { resolveLocation } from './resolve-location.ts';
import { isDisabled, PRIMERO_ID } from '../records.ts';
import type { OptionTable, ReferenceData } from './reference-data.ts';

/**
 * Primero case -> rows of `cases` and `services` (ona-mapping.md), pure.
 * A record that cannot be loaded becomes a reject with the reason and the field;
 * a value that is wrong but not essential is loaded as NULL (or kept as its code,
 * for unknown options) and reported as a note. Neither ever carries the value
 * itself, which may be personal data: only ids, field names and reasons.
 */

export interface CaseRow {
  case_id: string;
  primero_id: string;
  record_state: boolean;
  last_updated_date: string;
  registration_date: string | null;
  /** Primero case `status` as stored (open, closed, duplicate, transferred, ...). */
  status: string | null;
  /** Primero `date_closure`, a calendar day (`YYYY-MM-DD`, Cambodian local day when Primero sent a date-time). */
  date_closure: string | null;
  case_source: 'oscar' | 'primero';
  disabled: string | null;
  disability_type_code: string | null;
  type_of_case: string | null;
  type_of_case_code: string | null;
  sex: string | null;
  sex_code: string | null;
  age: number | null;
  protection_concerns: string | null;
  protection_concerns_codes: string[] | null;
  placement_type: string | null;
  placement_type_code: string | null;
  consent_for_reporting: 'true' | 'false';
  location_code: string | null;
  province_current: string | null;
  province_current_code: string | null;
  district_current: string | null;
  district_current_code: string | null;
  location_caregiver_code: string | null;
  province_caregiver: string | null;
  province_caregiver_code: string | null;
  district_caregiver: string | null;
  district_caregiver_code: string | null;
}

export interface ServiceRow {
  unique_id: string;
  case_id: string;
  service_type: string | null;
  service_type_code: string | null;
  service_date: string | null;
}

/** Something about one record worth telling the people who run the sync. */
export interface Note {
  primeroId: string | null;
  caseId: string | null;
  field: string;
  reason: string;
  /** rejected: the record (or service row) was not loaded; unknown_code: loaded, value kept as its code; nulled: loaded with NULL. */
  kind: 'rejected' | 'unknown_code' | 'nulled';
  /**
   * unknown_code only: the option or location code that is not in data_dictionary / locations_lookup.
   * Codes come from Primero's lookups and location tree, not from people: they are reported, aggregated
   * per field and code (lib/mapping/unknown-codes.ts), never per case.
   */
  code?: string;
}

export type MappedCase =
  | { ok: true; row: CaseRow; services: ServiceRow[]; notes: Note[] }
  | { ok: false; reject: Note; notes: Note[] };

/** Longest text we accept in an identifier or code; anything longer is not a Primero value. */
export const MAX_ID_LENGTH = 200;
const MAX_TEXT_LENGTH = 2000;

/** The trimmed identifier, or null when it is not a string of 1 to MAX_ID_LENGTH characters. */
function identifier(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  return s.length > 0 && s.length <= MAX_ID_LENGTH ? s : null;
}
function isPresent(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

class NoteTaker {
  readonly notes: Note[] = [];
  constructor(
    private primeroId: string | null,
    private caseId: string | null,
  ) {}
  add(field: string, reason: string, kind: Note['kind'], code?: string): void {
    this.notes.push({ primeroId: this.primeroId, caseId: this.caseId, field, reason, kind, ...(code === undefined ? {} : { code }) });
  }
}

function optionLabel(ref: ReferenceData, table: OptionTable, code: string, field: string, notes: NoteTaker): string {
  const label = ref.labels[table].get(code);
  if (label !== undefined) return label;
  // Kept as it is, never turned into NULL: the dashboard team sees the code in the row. The code is
  // reported only aggregated (field, code, number of cases), never next to a case id, and only when
  // it looks like an option id: a free-text value typed into a select is never reported.
  notes.add(field, `unknown ${table} option code; kept as the code`, 'unknown_code', reportableCode(code));
  return code;
}

function optionCode(raw: unknown, field: string, notes: NoteTaker): string | null {
  if (!isPresent(raw)) return null;
  if (typeof raw !== 'string' || raw.length > MAX_ID_LENGTH) {
    notes.add(field, typeof raw === 'string' ? 'option code too long' : `expected an option code, got ${typeof raw}`, 'nulled');
    return null;
  }
  return raw;
}

function mapAge(raw: unknown, notes: NoteTaker): number | null {
  if (!isPresent(raw)) return null;
  let n: number | null = null;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)) n = Number(raw);
  if (n === null || !Number.isInteger(n) || n < 0 || n > 130) {
    notes.add('age', typeof raw === 'number' ? 'age out of range' : 'age is not a whole number', 'nulled');
    return null;
  }
  return n;
}

interface LocationColumns {
  code: string | null;
  province: string | null;
  provinceCode: string | null;
  district: string | null;
  districtCode: string | null;
}

function mapLocation(raw: unknown, field: string, ref: ReferenceData, notes: NoteTaker): LocationColumns {
  const none = { code: null, province: null, provinceCode: null, district: null, districtCode: null };
  if (!isPresent(raw)) return none;
  const code = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : raw;
  if (typeof code !== 'string' || !LOCATION_CODE.test(code)) {
    notes.add(field, 'location code is not 1-8 digits', 'nulled');
    return none;
  }
  const place = resolveLocation(code, ref.districts);
  if (place === null) {
    notes.add(field, 'location code starts with 0 (Primero stores codes without a leading zero)', 'nulled');
    return { ...none, code };
  }
  if (place.unknown !== null) {
    notes.add(field, `${place.level === 'province' ? 'province' : 'district'} code not in locations_lookup; kept in the location code, names left empty`, 'unknown_code', place.unknown);
  }
  return { code, province: place.province, provinceCode: place.provinceCode, district: place.district, districtCode: place.districtCode };
}

/** A calendar day: `YYYY-MM-DD` as it is, or a date-time's day in Cambodia (UTC+7, no DST); null when neither. */
function localDay(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  if (validDate(raw)) return raw;
  const utc = normaliseDatetime(raw);
  return utc === null ? null : new Date(Date.parse(utc) + 7 * 3_600_000).toISOString().slice(0, 10);
}

function mapProtectionConcerns(raw: unknown, ref: ReferenceData, notes: NoteTaker): { labels: string | null; codes: string[] | null } {
  if (!isPresent(raw)) return { labels: null, codes: null };
  let codes: unknown[];
  if (Array.isArray(raw)) codes = raw;
  else if (typeof raw === 'string') {
    // Some exports hold a single-select value where a multi-select is expected: read it as one concern.
    notes.add('protection_concerns', 'expected an array, read a single code', 'nulled');
    codes = [raw];
  } else {
    notes.add('protection_concerns', `expected an array, got ${typeof raw}`, 'nulled');
    return { labels: null, codes: null };
  }
  const valid = codes.filter((c): c is string => typeof c === 'string' && c.length > 0 && c.length <= MAX_ID_LENGTH);
  if (valid.length !== codes.length) notes.add('protection_concerns', 'non-code entries dropped', 'nulled');
  if (valid.length === 0) return { labels: null, codes: null };
  return {
    labels: valid.map((c) => optionLabel(ref, 'protection_concerns', c, 'protection_concerns', notes)).join(', '),
    codes: valid,
  };
}

function mapConsent(raw: unknown, notes: NoteTaker): 'true' | 'false' {
  if (raw === true || raw === 'true') return 'true';
  if (raw === undefined || raw === null || raw === false || raw === 'false' || raw === '') return 'false';
  notes.add('consent_reporting', 'not true or false; read as false', 'nulled');
  return 'false';
}

function mapServices(raw: unknown, caseId: string, ref: ReferenceData, notes: NoteTaker): ServiceRow[] {
  if (!isPresent(raw)) return [];
  if (!Array.isArray(raw)) {
    notes.add('services_section', `expected an array, got ${typeof raw}; no services loaded`, 'rejected');
    return [];
  }
  const rows = new Map<string, ServiceRow>();
  raw.forEach((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      notes.add('services_section', `service entry ${i + 1} is not an object`, 'rejected');
      return;
    }
    const s = entry as Record<string, unknown>;
    const uid = identifier(s.unique_id);
    if (uid === null) {
      notes.add('services_section.unique_id', `service entry ${i + 1} has no valid unique_id; not loaded`, 'rejected');
      return;
    }
    const typeCode = optionCode(s.service_type, 'services_section.service_type', notes);
    let date: string | null = null;
    const rawDate = s.service_implemented_day_time;
    if (isPresent(rawDate) && rawDate !== 'not implemented') {
      date = typeof rawDate === 'string' ? (normaliseDatetime(rawDate) ?? (validDate(rawDate) ? rawDate : null)) : null;
      if (date === null) notes.add('services_section.service_implemented_day_time', `service ${uid}: not a date-time`, 'nulled');
    }
    if (rows.has(uid)) notes.add('services_section.unique_id', `service ${uid} appears twice in the case; last kept`, 'rejected');
    rows.set(uid, {
      unique_id: uid,
      case_id: caseId,
      service_type: typeCode === null ? null : optionLabel(ref, 'service_type', typeCode, 'services_section.service_type', notes),
      service_type_code: typeCode,
      service_date: date,
    });
  });
  return [...rows.values()];
}

function textOrNull(value: string | null, field: string, notes: NoteTaker): string | null {
  if (value !== null && value.length > MAX_TEXT_LENGTH) {
    notes.add(field, 'value too long', 'nulled');
    return null;
  }
  return value;
}

export function mapCase(raw: unknown, ref: ReferenceData): MappedCase {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reject: { primeroId: null, caseId: null, field: '(record)', reason: 'record is not an object', kind: 'rejected' }, notes: [] };
  }
  const c = raw as Record<string, unknown>;
  const primeroId = identifier(c.id);
  const caseIdDisplay = identifier(c.case_id_display);
  const notes = new NoteTaker(primeroId, caseIdDisplay);
  const reject = (field: string, reason: string): MappedCase => ({
    ok: false,
    reject: { primeroId, caseId: caseIdDisplay, field, reason, kind: 'rejected' },
    notes: notes.notes,
  });
  if (!primeroId) return reject('id', 'missing or invalid Primero id');
  if (!PRIMERO_ID.test(primeroId)) return reject('id', 'Primero id is not a UUID');
  if (!caseIdDisplay) return reject('case_id_display', 'missing or invalid case_id_display');
  const updated = typeof c.last_updated_at === 'string' ? normaliseDatetime(c.last_updated_at) : null;
  if (!updated) return reject('last_updated_at', 'missing or invalid last_updated_at');

  let registration: string | null = null;
  if (isPresent(c.registration_date)) {
    if (typeof c.registration_date === 'string' && validDate(c.registration_date)) registration = c.registration_date;
    else notes.add('registration_date', 'not a YYYY-MM-DD date', 'nulled');
  }
  const status = optionCode(c.status, 'status', notes);
  let dateClosure: string | null = null;
  if (isPresent(c.date_closure)) {
    dateClosure = localDay(c.date_closure);
    if (dateClosure === null) notes.add('date_closure', 'not a YYYY-MM-DD date', 'nulled');
  }
  const recordState = !isDisabled(c);

  const disabilityCode = optionCode(c.disability_type, 'disability_type', notes);
  const sexCode = optionCode(c.sex, 'sex', notes);
  const typeCode = optionCode(c.type_of_case, 'type_of_case', notes);
  const placementCode = optionCode(c.type_of_placement, 'type_of_placement', notes);
  const concerns = mapProtectionConcerns(c.protection_concerns, ref, notes);
  const current = mapLocation(c.location_current, 'location_current', ref, notes);
  const caregiver = mapLocation(c.location_caregiver, 'location_caregiver', ref, notes);
  const oscar = c.oscar_number;

  const row: CaseRow = {
    case_id: caseIdDisplay,
    primero_id: primeroId,
    record_state: recordState,
    last_updated_date: updated,
    registration_date: registration,
    status,
    date_closure: dateClosure,
    case_source: typeof oscar === 'string' ? (oscar.trim() ? 'oscar' : 'primero') : isPresent(oscar) ? 'oscar' : 'primero',
    disabled: disabilityCode === null ? null : optionLabel(ref, 'disability_type', disabilityCode, 'disability_type', notes),
    disability_type_code: disabilityCode,
    type_of_case: typeCode === null ? null : humaniseOptionId(typeCode),
    type_of_case_code: typeCode,
    sex: sexCode === null ? null : optionLabel(ref, 'sex', sexCode, 'sex', notes),
    sex_code: sexCode,
    age: mapAge(c.age, notes),
    protection_concerns: textOrNull(concerns.labels, 'protection_concerns', notes),
    protection_concerns_codes: concerns.labels === null || concerns.labels.length > MAX_TEXT_LENGTH ? null : concerns.codes,
    placement_type: placementCode === null ? null : humaniseOptionId(placementCode),
    placement_type_code: placementCode,
    consent_for_reporting: mapConsent(c.consent_reporting, notes),
    location_code: current.code,
    province_current: current.province,
    province_current_code: current.provinceCode,
    district_current: current.district,
    district_current_code: current.districtCode,
    location_caregiver_code: caregiver.code,
    province_caregiver: caregiver.province,
    province_caregiver_code: caregiver.provinceCode,
    district_caregiver: caregiver.district,
    district_caregiver_code: caregiver.districtCode,
  };
  const services = mapServices(c.services_section, caseIdDisplay, ref, notes);
  return { ok: true, row, services, notes: notes.notes };
}
