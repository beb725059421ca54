import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.ts';
import { expectedCases, expectedServices } from '../support/oracle.ts';
import { startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';
import type { SyncSummary } from '../../lib/host/run-sync.ts';
import { startRewritingProxy, type PageRewrite } from '../support/rewriting-proxy.ts';

/**
 * A corpus of malformed Primero records, served on one page through a real
 * sync (simulator -> runtime, jobs, inbox -> database). Each kind either loads
 * as the mapping documents (map-case.ts: bad non-essential values become NULL
 * or stay as their code, with a note) or lands in sync_rejects with a reason,
 * and the good records on the same page load all the same.
 */
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const MB = 'x'.repeat(1024 * 1024);
let created = Date.parse('2026-01-01T00:00:00Z');

/** A well-formed case of indicator 4.11a, with the identifying fields Primero sends. */
function rec(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  created += 60_000;
  const base: Record<string, unknown> = {
    id: uuid(n),
    case_id_display: `bad-${String(n).padStart(2, '0')}`,
    created_at: new Date(created).toISOString(),
    last_updated_at: '2026-05-01T10:00:00.000Z',
    registration_date: '2026-01-15',
    record_state: true,
    enabled: true,
    name: `Corpus Child ${n}`,
    name_first: 'Corpus',
    name_last: `Child ${n}`,
    date_of_birth: '2019-04-0' + String(1 + (n % 9)),
    case_notes: `CASE NOTE: corpus record ${n}`,
    sex: 'female',
    age: 6,
    type_of_case: 'other_child_protection_case_40332',
    type_of_placement: 'kinship_care_68134',
    protection_concerns: ['other_51905'],
    location_current: '2060501',
    location_caregiver: '9',
    consent_reporting: 'true',
    services_section: [{ unique_id: `svc-${n}`, service_type: 'counselling', service_implemented_day_time: '2026-03-22T19:38:10.886Z' }],
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

type Expectation =
  | { loads: Record<string, unknown>; caseId: string; notes?: [field: string, kind: string][]; services?: string[] }
  | { rejected: { primeroId: string | null; caseId: string | null; field: string; reason: RegExp } }
  /** One row per run, field and code, with the number of cases: no case id next to a code. */
  | { unknownCode: { field: string; code: string; cases: number } }
  /** A case Primero disabled: not in `cases`. */
  | { absent: { primeroId: string } };

interface CorpusEntry {
  kind: string;
  records: unknown[];
  expect: Expectation[];
}

const sql = `'); DROP TABLE cases; --`;
const corpus: CorpusEntry[] = [
  { kind: 'missing case_id_display', records: [rec(1, { case_id_display: undefined })], expect: [{ rejected: { primeroId: uuid(1), caseId: null, field: 'case_id_display', reason: /missing or invalid case_id_display/ } }] },
  { kind: 'blank case_id_display', records: [rec(2, { case_id_display: '   ' })], expect: [{ rejected: { primeroId: uuid(2), caseId: null, field: 'case_id_display', reason: /case_id_display/ } }] },
  { kind: 'missing id', records: [rec(3, { id: undefined })], expect: [{ rejected: { primeroId: null, caseId: 'bad-03', field: 'id', reason: /missing or invalid Primero id/ } }] },
  { kind: 'id that is a number', records: [rec(4, { id: 42 })], expect: [{ rejected: { primeroId: null, caseId: 'bad-04', field: 'id', reason: /Primero id/ } }] },
  { kind: 'id that is not a UUID', records: [rec(5, { id: 'case-0005' })], expect: [{ rejected: { primeroId: 'case-0005', caseId: 'bad-05', field: 'id', reason: /not a UUID/ } }] },
  {
    kind: 'duplicated id (the most recently updated copy wins)',
    records: [rec(6, { age: 3, last_updated_at: '2026-03-01T00:00:00.000Z' }), rec(6, { age: 4, last_updated_at: '2026-04-01T00:00:00.000Z' })],
    expect: [{ caseId: 'bad-06', loads: { age: 4 } }],
  },
  { kind: 'age as text', records: [rec(7, { age: 'ten' })], expect: [{ caseId: 'bad-07', loads: { age: null }, notes: [['age', 'nulled']] }] },
  { kind: 'age as a numeric string', records: [rec(8, { age: '7' })], expect: [{ caseId: 'bad-08', loads: { age: 7 }, notes: [] }] },
  { kind: 'negative age', records: [rec(9, { age: -3 })], expect: [{ caseId: 'bad-09', loads: { age: null }, notes: [['age', 'nulled']] }] },
  { kind: 'absent age', records: [rec(10, { age: undefined })], expect: [{ caseId: 'bad-10', loads: { age: null }, notes: [] }] },
  { kind: 'fractional age', records: [rec(11, { age: 4.5 })], expect: [{ caseId: 'bad-11', loads: { age: null }, notes: [['age', 'nulled']] }] },
  { kind: 'registration_date as DD/MM/YYYY', records: [rec(12, { registration_date: '23/02/2026' })], expect: [{ caseId: 'bad-12', loads: { registration_date: null }, notes: [['registration_date', 'nulled']] }] },
  { kind: 'impossible registration_date', records: [rec(13, { registration_date: '2026-02-30' })], expect: [{ caseId: 'bad-13', loads: { registration_date: null }, notes: [['registration_date', 'nulled']] }] },
  { kind: 'last_updated_at not ISO 8601', records: [rec(14, { last_updated_at: '29/05/2026 10:28' })], expect: [{ rejected: { primeroId: uuid(14), caseId: 'bad-14', field: 'last_updated_at', reason: /last_updated_at/ } }] },
  {
    kind: 'service date in a wrong format',
    records: [rec(15, { services_section: [{ unique_id: 'svc-15', service_type: 'counselling', service_implemented_day_time: 'yesterday' }] })],
    expect: [{ caseId: 'bad-15', loads: {}, services: ['svc-15'], notes: [['services_section.service_implemented_day_time', 'nulled']] }],
  },
  {
    kind: 'unknown option codes',
    records: [rec(16, { sex: 'robot_x', disability_type: 'new_disability_1' })],
    expect: [
      { caseId: 'bad-16', loads: { sex: 'robot_x', sex_code: 'robot_x', disabled: 'new_disability_1' }, notes: [] },
      { unknownCode: { field: 'sex', code: 'robot_x', cases: 1 } },
      { unknownCode: { field: 'disability_type', code: 'new_disability_1', cases: 1 } },
    ],
  },
  {
    kind: 'protection_concerns as a string',
    records: [rec(17, { protection_concerns: 'other_51905' })],
    expect: [{ caseId: 'bad-17', loads: { protection_concerns_codes: ['other_51905'] }, notes: [['protection_concerns', 'nulled']] }],
  },
  { kind: 'protection_concerns as an object', records: [rec(18, { protection_concerns: { a: 1 } })], expect: [{ caseId: 'bad-18', loads: { protection_concerns: null }, notes: [['protection_concerns', 'nulled']] }] },
  {
    kind: 'services_section not an array',
    records: [rec(19, { services_section: { unique_id: 'svc-19' } })],
    expect: [{ caseId: 'bad-19', loads: {}, services: [], notes: [['services_section', 'rejected']] }],
  },
  {
    kind: 'a service without unique_id',
    records: [rec(20, { services_section: [{ service_type: 'counselling' }, { unique_id: 'svc-20', service_type: 'counselling' }] })],
    expect: [{ caseId: 'bad-20', loads: {}, services: ['svc-20'], notes: [['services_section.unique_id', 'rejected']] }],
  },
  {
    kind: 'the same service unique_id under two cases',
    records: [rec(21, { services_section: [{ unique_id: 'svc-shared' }] }), rec(22, { services_section: [{ unique_id: 'svc-shared' }, { unique_id: 'svc-22' }] })],
    expect: [
      { caseId: 'bad-21', loads: {}, services: ['svc-shared'] },
      { caseId: 'bad-22', loads: {}, services: ['svc-22'], notes: [['services_section.unique_id', 'rejected']] },
    ],
  },
  {
    kind: 'the same case_id_display under two ids',
    records: [rec(23, { case_id_display: 'bad-23' }), rec(24, { case_id_display: 'bad-23', age: 9 })],
    expect: [
      { caseId: 'bad-23', loads: { primero_id: uuid(23), age: 6 } },
      { rejected: { primeroId: uuid(24), caseId: 'bad-23', field: 'case_id_display', reason: /also used by Primero record/ } },
    ],
  },
  { kind: 'location code of nine digits', records: [rec(25, { location_current: '123456789' })], expect: [{ caseId: 'bad-25', loads: { location_code: null, province_current: null }, notes: [['location_current', 'nulled']] }] },
  { kind: 'location code with letters', records: [rec(26, { location_caregiver: '12A4' })], expect: [{ caseId: 'bad-26', loads: { location_caregiver_code: null }, notes: [['location_caregiver', 'nulled']] }] },
  { kind: 'location code as a number', records: [rec(27, { location_current: 2060501 })], expect: [{ caseId: 'bad-27', loads: { location_code: '2060501', district_current_code: '206' } }] },
  {
    kind: 'Khmer and emoji text',
    records: [rec(28, { case_id_display: 'ករណី-២៨-🙂', protection_concerns: ['ការរំលោភបំពាន 🙂'] })],
    expect: [
      { caseId: 'ករណី-២៨-🙂', loads: { protection_concerns: 'ការរំលោភបំពាន 🙂' }, notes: [] },
      // Not shaped like an option id, so never reported as it is; with the SQL-metacharacter case's concerns, 2 cases.
      { unknownCode: { field: 'protection_concerns', code: '(not an option id)', cases: 2 } },
    ],
  },
  {
    kind: '1 MB strings in fields read and not read',
    records: [rec(29, { case_notes: `CASE NOTE: ${MB}`, name: MB, sex: MB })],
    expect: [{ caseId: 'bad-29', loads: { sex: null }, notes: [['sex', 'nulled']] }],
  },
  { kind: '1 MB case_id_display', records: [rec(30, { case_id_display: MB })], expect: [{ rejected: { primeroId: uuid(30), caseId: null, field: 'case_id_display', reason: /case_id_display/ } }] },
  {
    kind: 'SQL metacharacters everywhere',
    records: [rec(31, {
      case_id_display: `bad-31${sql}`,
      sex: `'; DELETE FROM services; --`,
      protection_concerns: [`"; TRUNCATE sync_runs; --`, `%_\\'`],
      services_section: [{ unique_id: `svc-31' OR '1'='1`, service_type: '$1::text' }],
    })],
    expect: [{
      caseId: `bad-31${sql}`,
      loads: { sex: `'; DELETE FROM services; --`, protection_concerns: `"; TRUNCATE sync_runs; --, %_\\'` },
      services: [`svc-31' OR '1'='1`],
    }],
  },
  {
    kind: 'records that are not objects',
    records: [null, 'a string', 7],
    expect: [{ rejected: { primeroId: null, caseId: null, field: 'id', reason: /Primero id/ } }],
  },
  { kind: 'consent_reporting neither true nor false', records: [rec(32, { consent_reporting: 'yes' })], expect: [{ caseId: 'bad-32', loads: { consent_for_reporting: 'false' }, notes: [['consent_reporting', 'nulled']] }] },
  { kind: 'record_state as the string "false"', records: [rec(33, { record_state: 'false' })], expect: [{ absent: { primeroId: uuid(33) } }] },
  { kind: 'an unknown location code', records: [rec(35, { location_current: '2599', location_caregiver: '26' })], expect: [
    { caseId: 'bad-35', loads: { location_code: '2599', province_current: 'Tboung Khmum', province_current_code: '25', district_current: null, district_current_code: null, location_caregiver_code: '26', province_caregiver: null }, notes: [] },
    { unknownCode: { field: 'location_current', code: '2599', cases: 1 } },
    { unknownCode: { field: 'location_caregiver', code: '26', cases: 1 } },
  ] },
  { kind: 'created_at missing', records: [rec(34, { created_at: undefined })], expect: [{ caseId: 'bad-34', loads: { age: 6 } }] },
];

/** Good records on the same page: they must load exactly as the oracle says. */
const goods = [101, 102, 103].map((n) => rec(n, { case_id_display: `good-${n}` }));

const kind = databaseTargets()[0]!;

describe(`bad input corpus through a real sync (${kind} database)`, () => {
  let h: SyncHarness;
  let summary: SyncSummary;
  let rows: Map<string, Record<string, unknown>>;
  let services: { unique_id: string; case_id: string }[];
  let notes: { primero_id: string | null; case_id: string | null; field: string; reason: string; kind: string; code: string | null; case_count: number | null }[];

  beforeAll(async () => {
    // No stored cases: the only records are the scripted page's.
    h = await startSyncHarness(kind, { records: [] });
    const data = [...corpus.flatMap((c) => c.records), ...goods];
    h.sim.queueResponses({ status: 200, path: '/api/v2/cases', body: { data, metadata: { total: data.length, per: 1000, page: 1 } } });
    summary = await h.sync();
    rows = new Map(
      (await h.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(c) AS row FROM cases c`)).map((r) => [r.row.case_id as string, r.row]),
    );
    services = await h.query(`SELECT unique_id, case_id FROM services ORDER BY unique_id`);
    notes = await h.query(`SELECT primero_id, case_id, field, reason, kind, code, case_count FROM sync_rejects`);
  }, 120_000);
  afterAll(async () => h?.close());

  it('has at least 20 kinds of malformed records', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
  });

  it('completes the run and loads the good records on the same page exactly', async () => {
    const [run] = await h.query<{ status: string }>('SELECT status FROM sync_runs');
    expect(run?.status).toBe('completed');
    const good = (await h.casesInDb()).filter((c) => c.case_id.startsWith('good-'));
    expect(good).toEqual(expectedCases(goods));
    expect((await h.servicesInDb()).filter((s) => s.case_id.startsWith('good-'))).toEqual(expectedServices(goods));
    expect(summary.totals.rejects).toBe(notes.filter((n) => n.kind === 'rejected').length);
  });

  it.each(corpus)('$kind', (entry) => {
    for (const e of entry.expect) {
      if ('unknownCode' in e) {
        const { field, code, cases } = e.unknownCode;
        const hit = notes.filter((n) => n.kind === 'unknown_code' && n.field === field && n.code === code);
        expect(hit.map((n) => ({ primero_id: n.primero_id, case_id: n.case_id, case_count: n.case_count })), `${field} ${code}`).toEqual([{ primero_id: null, case_id: null, case_count: cases }]);
        expect(summary.unknownCodes).toContainEqual(expect.objectContaining({ field, code, cases }));
        continue;
      }
      if ('absent' in e) {
        expect([...rows.values()].some((r) => r.primero_id === e.absent.primeroId)).toBe(false);
        continue;
      }
      if ('rejected' in e) {
        const { primeroId, caseId, field, reason } = e.rejected;
        const hit = notes.find((n) => n.kind === 'rejected' && n.primero_id === primeroId && n.case_id === caseId && n.field === field);
        expect(hit, `a reject for ${primeroId}/${caseId} on ${field}`).toBeDefined();
        expect(hit!.reason).toMatch(reason);
        if (primeroId) expect([...rows.values()].some((r) => r.primero_id === primeroId)).toBe(false);
        continue;
      }
      const row = rows.get(e.caseId);
      expect(row, `case ${e.caseId} loaded`).toBeDefined();
      expect(row).toMatchObject(e.loads);
      if (e.services) expect(services.filter((s) => s.case_id === e.caseId).map((s) => s.unique_id).sort()).toEqual([...e.services].sort());
      if (e.notes) {
        const mine = notes.filter((n) => n.case_id === e.caseId && n.primero_id === row!.primero_id);
        expect(mine.map((n) => [n.field, n.kind]).sort()).toEqual([...e.notes].sort());
      }
    }
  });

  it('left every table in place (SQL metacharacters were data, not SQL)', async () => {
    const [counts] = await h.query<{ runs: string; svc: string }>('SELECT (SELECT count(*) FROM sync_runs) AS runs, (SELECT count(*) FROM services) AS svc');
    expect(Number(counts!.runs)).toBe(1);
    expect(Number(counts!.svc)).toBeGreaterThan(goods.length);
  });

  it('keeps rejects and notes free of the values themselves (ids, fields and reasons only)', async () => {
    const text = JSON.stringify(notes);
    for (const value of ['Corpus Child', 'CASE NOTE', '2019-04-0', 'x'.repeat(201)]) expect(text).not.toContain(value);
    expect(text.length).toBeLessThan(20_000);
  });
});

/**
 * Every page of every query served with metadata that is missing, malformed,
 * or contradicts the page. Trusting it could end a query early and drop cases
 * silently; the sync must load exactly what Primero holds all the same.
 */
const pageRewrites: [string, PageRewrite][] = [
  ['metadata missing', ({ data }) => ({ data })],
  ['metadata malformed', ({ data }) => ({ data, metadata: { total: 'many', per: -1 } })],
  ['total below the records on the page', ({ data, metadata }) => ({ data, metadata: { ...metadata, total: Math.max(0, data.length - 1) } })],
  ['total zero on a page with records', ({ data, metadata }) => ({ data, metadata: { ...metadata, total: 0 } })],
  ['total far above the records there are', ({ data, metadata }) => ({ data, metadata: { ...metadata, total: 100_000 } })],
  ['page number other than the one asked', ({ data, metadata }) => ({ data, metadata: { ...metadata, page: Number(metadata?.page ?? 1) + 5 } })],
];

describe(`pages whose metadata is missing or contradicts their data (${kind} database)`, () => {
  it.each(pageRewrites)('%s: every case still loads, none twice', async (_name, rewrite) => {
    const h = await startSyncHarness(kind, { cases: 90, seed: 'metadata' });
    const proxy = await startRewritingProxy(h.sim.url, rewrite);
    try {
      h.settings.primero.url = proxy.url;
      await h.sync({ pageSize: 10 });
      const records = h.sim.records();
      expect(await h.casesInDb()).toEqual(expectedCases(records));
      expect(await h.servicesInDb()).toEqual(expectedServices(records));
      expect(proxy.rewritten).toBeGreaterThan(3);
    } finally {
      await proxy.stop();
      await h.close();
    }
  });
});
