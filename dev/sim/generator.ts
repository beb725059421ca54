/**
 * Seeded generator of realistic Primero Cambodia cases. Same seed and asOf,
 * same data. Records are kept in the simulator's storage shape (`SimCase`):
 * the case's `data` JSON with datetimes as epoch milliseconds; render.ts turns
 * them into the API's JSON. Identifying fields (names, date of birth,
 * case_notes) are generated too, because the sync must prove it never leaks them.
 */
import { createRng, uuidFrom, type Rng } from './prng.ts';
import { locationTree, type SimLocation } from './locations.ts';
import {
  OPTION_LABELS, REINTEGRATION, SERVICE_RESPONSE_TYPE, TYPE_OF_CASE, TYPE_OF_PLACEMENT, UNKNOWN_SERVICE_TYPE,
} from './options.ts';

export interface SimService {
  unique_id: string;
  service_type?: string;
  service_response_type?: string;
  /** epoch ms */
  service_response_day_time?: number;
  /** epoch ms, or the literal 'not implemented' some rows carry. */
  service_implemented_day_time?: number | 'not implemented';
  service_implemented?: 'implemented' | 'not_implemented';
  service_implementing_agency?: string;
}

/** A case as stored: `id` (the row uuid) plus the data JSON; datetimes in epoch ms. */
export interface SimCase {
  id: string;
  record_state: boolean;
  created_at: number;
  last_updated_at: number;
  services_section?: SimService[];
  [field: string]: unknown;
}

export interface GenerateOptions {
  count: number;
  seed: string | number;
  /** The data set's "now": nothing is created or updated after it. Default: start of the current UTC day. */
  asOf?: Date | string | number;
  /** How many years back created_at spreads. Default 4. */
  years?: number;
}

export const DAY_MS = 86_400_000;

export function defaultAsOf(): number {
  const now = Date.now();
  return now - (now % DAY_MS);
}

const toMs = (v: Date | string | number): number => (v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v));

const FIRST_NAMES = ['Sokha', 'Dara', 'Sophea', 'Vichea', 'Chanthou', 'Sreymom', 'Piseth', 'Rathana', 'Bopha', 'Kosal', 'Sreyneang', 'Visal', 'Chenda', 'Makara', 'Sovann', 'Phalla', 'Kanha', 'Rithy', 'Sokunthea', 'Vannak', 'Leakena', 'Samnang', 'Sothea', 'Nary', 'Thida', 'Vuthy', 'Sreypov', 'Chantrea', 'Ponleu', 'Monyroth'];
const LAST_NAMES = ['Chan', 'Sok', 'Kim', 'Heng', 'Pich', 'Chea', 'Meas', 'Long', 'Nhem', 'Keo', 'Ly', 'Seng', 'Prak', 'Hun', 'Touch', 'Mao', 'Yim', 'Phan', 'Sam', 'Ouk', 'Lim', 'Khieu', 'Noun', 'Vong', 'Em'];
const NOTE_TEMPLATES: ReadonlyArray<(first: string) => string> = [
  (f) => `CASE NOTE: home visit, ${f} lives with the grandmother near the commune market; caregiver asks for school fees support.`,
  (f) => `CASE NOTE: ${f} was referred by the commune council for child protection (CCWC); follow-up visit next month.`,
  (f) => `CASE NOTE: ${f} disclosed worries about the stepfather; safety plan agreed with the mother.`,
  (f) => `CASE NOTE: family tracing for ${f} ongoing with the provincial DoSVY office.`,
  (f) => `CASE NOTE: ${f} returned from residential care; reintegration assessment completed with relatives.`,
];
const WORKERS = Array.from({ length: 40 }, (_, i) => `cp_worker_${String(i + 1).padStart(2, '0')}`);
const AGENCIES = ['agency-mosvy', 'agency-unicef', 'agency-fcf', 'agency-friends', 'agency-cwcc'];
const OSCAR_ORGS = ['cif', 'fsc', 'mtp', 'ssc', 'hol'];
const WORKFLOWS = ['new', 'case_plan', 'service_provision', 'referral_to_oscar', 'closed'];

const PROTECTION = Object.keys(OPTION_LABELS.protection_concerns);
const SERVICE_TYPES = Object.keys(OPTION_LABELS.service_type);
const DISABILITY = Object.keys(OPTION_LABELS.disability_type);
const OTHER_CASE_TYPES = Object.keys(TYPE_OF_CASE).filter((k) => k !== REINTEGRATION);
const PLACEMENTS = Object.keys(TYPE_OF_PLACEMENT);
const RESPONSE_TYPES = Object.keys(SERVICE_RESPONSE_TYPE);

/** Weighted services count 0-6, mean about 3. */
const SERVICE_COUNT_WEIGHTS = [0.05, 0.1, 0.2, 0.3, 0.2, 0.1, 0.05];

function servicesCount(rng: Rng): number {
  let u = rng.next();
  for (let i = 0; i < SERVICE_COUNT_WEIGHTS.length; i++) {
    u -= SERVICE_COUNT_WEIGHTS[i] as number;
    if (u < 0) return i;
  }
  return 3;
}

function pickLocation(rng: Rng): SimLocation {
  const tree = locationTree();
  const u = rng.next();
  // Every code length occurs: province (1-2 digits) to village (7-8 digits).
  const bucket = u < 0.1 ? tree.provinces : u < 0.3 ? tree.districts : u < 0.6 ? tree.communes : tree.villages;
  return rng.pick(bucket);
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One case. `index` only feeds human-looking counters; all randomness comes from `rng`. */
export function generateCase(rng: Rng, asOf: number, spanMs: number): SimCase {
  const id = uuidFrom(rng);
  const caseId = uuidFrom(rng);
  const shortId = caseId.slice(-7);
  // ~1% imported/backdated cases share a midnight created_at: Primero has no sort tie-breaker.
  let createdAt = asOf - 3_600_000 - Math.floor(rng.next() * spanMs);
  if (rng.chance(0.01)) createdAt -= createdAt % DAY_MS;
  const edited = rng.chance(0.7);
  const lastUpdatedAt = edited ? createdAt + Math.floor((1 - (1 - rng.next()) ** 3) * (asOf - createdAt)) : createdAt;
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const worker = rng.pick(WORKERS);
  const c: SimCase = {
    id,
    record_state: rng.chance(0.93),
    created_at: createdAt,
    last_updated_at: lastUpdatedAt,
    case_id: caseId,
    short_id: shortId,
    case_id_display: shortId,
    status: rng.chance(0.78) ? 'open' : 'closed',
    created_by: worker,
    last_updated_by: edited ? rng.pick(WORKERS) : worker,
    owned_by: worker,
    owned_by_agency_id: rng.pick(AGENCIES),
    module_id: 'primeromodule-cp',
    workflow: rng.pick(WORKFLOWS),
    registration_date: isoDate(createdAt - (rng.chance(0.2) ? rng.int(1, 30) * DAY_MS : 0)),
    name_first: first,
    name_last: last,
    name: `${first} ${last}`,
  };
  closeOrMarkDuplicate(c);
  if (rng.chance(0.02)) c.hidden_name = true;
  const sexU = rng.next();
  if (sexU < 0.49) c.sex = 'male';
  else if (sexU < 0.98) c.sex = 'female';
  else if (sexU < 0.99) c.sex = 'other';
  if (rng.chance(0.94)) {
    const age = rng.chance(0.85) ? rng.int(0, 17) : rng.int(18, 25);
    c.age = age;
    c.date_of_birth = isoDate(asOf - age * 365.25 * DAY_MS - rng.int(0, 364) * DAY_MS);
  }
  if (rng.chance(0.96)) c.type_of_case = rng.chance(0.26) ? REINTEGRATION : rng.pick(OTHER_CASE_TYPES);
  if (c.type_of_case === REINTEGRATION ? rng.chance(0.9) : rng.chance(0.35)) c.type_of_placement = rng.pick(PLACEMENTS);
  if (rng.chance(0.9)) {
    const n = rng.int(1, 3);
    const set = new Set<string>();
    while (set.size < n) set.add(rng.pick(PROTECTION));
    c.protection_concerns = [...set];
  }
  if (rng.chance(0.35)) c.disability_type = rng.pick(DISABILITY);
  c.location_current = pickLocation(rng).code;
  if (rng.chance(0.6)) c.location_caregiver = pickLocation(rng).code;
  const consent = rng.next();
  if (consent < 0.6) c.consent_reporting = 'true';
  else if (consent < 0.85) c.consent_reporting = 'false';
  if (rng.chance(0.15)) c.oscar_number = `${rng.pick(OSCAR_ORGS)}-${String(rng.int(1, 99999)).padStart(5, '0')}`;
  if (rng.chance(0.3)) c.mosvy_number = `MOSVY-${rng.int(1000, 99999)}`;
  c.case_notes = rng.pick(NOTE_TEMPLATES)(first);
  const n = servicesCount(rng);
  if (n > 0 || rng.chance(0.5)) {
    const rows: SimService[] = [];
    for (let i = 0; i < n; i++) rows.push(generateService(rng, createdAt, lastUpdatedAt));
    c.services_section = rows;
  }
  return c;
}

/**
 * Status beyond open/closed, and the closure date: drawn from the case's own
 * stream (seeded by its id), so the main stream, and with it every other field
 * of every case, is what it was before these fields existed.
 * - about 1.5% are marked duplicates (lookup-case-status `duplicate`);
 * - a closed case has `date_closure` (a date, as the closure form stores it, the
 *   Cambodian calendar day) between creation and its last update: for half of
 *   them the closure was the last save, the other half were edited after closure
 *   (by a caseworker, or by an integration writing to Primero); 2% of closed
 *   cases lack a closure date (legacy data).
 */
function closeOrMarkDuplicate(c: SimCase): void {
  const rng = createRng(`status:${c.id}`);
  if (rng.chance(0.015)) {
    c.status = 'duplicate';
    return;
  }
  if (c.status !== 'closed' || rng.chance(0.02)) return;
  const closedAt = rng.chance(0.5) ? c.last_updated_at : c.created_at + Math.floor(rng.next() * (c.last_updated_at - c.created_at));
  c.date_closure = isoDate(closedAt + 7 * 3_600_000);
}

export function generateService(rng: Rng, from: number, to: number): SimService {
  const row: SimService = {
    unique_id: uuidFrom(rng),
    service_type: rng.chance(0.03) ? UNKNOWN_SERVICE_TYPE : rng.pick(SERVICE_TYPES),
    service_response_type: rng.pick(RESPONSE_TYPES),
    service_response_day_time: from + Math.floor(rng.next() * Math.max(0, to - from)),
  };
  const u = rng.next();
  if (u < 0.65) {
    row.service_implemented_day_time = from + Math.floor(rng.next() * Math.max(0, to - from));
    row.service_implemented = 'implemented';
  } else if (u < 0.8) {
    row.service_implemented_day_time = 'not implemented';
    row.service_implemented = 'not_implemented';
  } else {
    row.service_implemented = 'not_implemented';
  }
  if (rng.chance(0.5)) row.service_implementing_agency = rng.pick(AGENCIES);
  return row;
}

/** `count` cases for `seed`, in storage (insertion) order. */
export function generateCases(options: GenerateOptions): SimCase[] {
  const rng = createRng(`cases:${options.seed}`);
  const asOf = options.asOf === undefined ? defaultAsOf() : toMs(options.asOf);
  const spanMs = Math.round((options.years ?? 4) * 365 * DAY_MS);
  const out = new Array<SimCase>(options.count);
  for (let i = 0; i < options.count; i++) out[i] = generateCase(rng, asOf, spanMs);
  return out;
}
