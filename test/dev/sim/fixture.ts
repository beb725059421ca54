/**
 * A small hand-made data set for the conformance suite, shaped like Primero's
 * own request-spec fixture (12 cases with ages 2..18) plus one case without an
 * age, so each assertion can name exactly which cases must come back.
 */
import type { SimCase } from '../../../dev/sim/generator.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../dev/sim/server.ts';

const ms = (iso: string) => Date.parse(iso);

export const AGES = [12, 5, 18, 2, 10, 16, 5, 9, 17, 6, 15, 10];

export function fixtureCases(): SimCase[] {
  const cases: SimCase[] = AGES.map((age, i) => {
    const n = String(i + 1).padStart(2, '0');
    const c: SimCase = {
      id: `00000000-0000-4000-8000-0000000000${n}`,
      record_state: true,
      created_at: ms(`2024-03-${n}T08:00:00.250Z`),
      last_updated_at: ms(`2024-03-${n}T12:00:00.700Z`),
      case_id: `10000000-0000-4000-8000-0000000000${n}`,
      short_id: `000${n}ab`,
      case_id_display: `000${n}ab`,
      status: 'open',
      name: `Child ${n}`,
      sex: i % 2 === 0 ? 'male' : 'female',
      age,
      registration_date: `2024-03-${n}`,
      type_of_case: i < 3 ? 'children_undergoing_reintegration_55427' : 'children_in_residential_care_30617',
      protection_concerns: i % 3 === 0 ? ['refugee', 'caafag'] : ['street_child'],
      location_current: ['1', '10', '1006', '10060802', '12', '1201', '1001', '100608', '2', '2010101', '1006', '25'][i] as string,
      services_section: [],
    };
    if (i % 4 === 0) c.consent_reporting = 'true';
    if (i % 4 === 1) c.consent_reporting = 'false';
    return c;
  });
  // 13: no age, disabled, created last.
  cases.push({
    id: '00000000-0000-4000-8000-000000000013',
    record_state: false,
    created_at: ms('2024-03-31T10:00:00.000Z'),
    last_updated_at: ms('2024-04-01T00:00:00.000Z'),
    case_id: '10000000-0000-4000-8000-000000000013',
    short_id: '00013ab',
    case_id_display: '00013ab',
    status: 'closed',
    sex: 'female',
    hidden_name: true,
    name: 'Hidden Child',
    location_current: '3',
  });
  return cases;
}

export const BASIC = `Basic ${Buffer.from('primero:primero').toString('base64')}`;

export async function fixtureSim(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ records: fixtureCases(), ...options });
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** GET with Basic auth (unless `auth` is given); the raw query string is sent as written. */
export async function call(sim: Simulator, pathAndQuery: string, init: { auth?: string | null; method?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  const auth = init.auth === undefined ? BASIC : init.auth;
  if (auth) headers.Authorization = auth;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${sim.url}${pathAndQuery}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain text bodies (429) stay strings
  }
  return { status: res.status, headers: res.headers, body };
}

/** Short ids of a cases answer, in order. */
export const shortIds = (a: Answer): string[] => (a.body.data as Array<{ short_id: string }>).map((c) => c.short_id);
/** Case numbers 1..13 of a cases answer, sorted. */
export const caseNumbers = (a: Answer): number[] =>
  (a.body.data as Array<{ id: string }>).map((c) => Number(c.id.slice(-2))).sort((x, y) => x - y);
