import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../lib/db/migrate.ts';
import { insertRows } from '../support/rows.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

/**
 * The quarter rule of the indicator views: a case counts in a quarter when it
 * was open during it, from the quarter of registration_date to the quarter of
 * date_closure, or to the current quarter while open (UTC+7); duplicates never.
 */
const base = { case_source: 'primero', type_of_case: 'other child protection case', age: 9, sex_code: 'female', sex: 'Female' };

/** Quarters from `from` (e.g. 2025-Q2) to the current one in Cambodia (UTC+7), in order. */
function quartersToNow(from: string): string[] {
  const now = new Date(Date.now() + 7 * 3_600_000);
  const last = now.getUTCFullYear() * 4 + Math.floor(now.getUTCMonth() / 3);
  const [y, q] = from.split('-Q').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = y * 4 + q - 1; i <= last; i++) out.push(`${Math.floor(i / 4)}-Q${(i % 4) + 1}`);
  return out;
}

const CASES = [
  // Registered Q1, closed Q3: Q1-Q3 only.
  { case_id: 'CLOSED', ...base, status: 'closed', registration_date: '2024-02-10', date_closure: '2024-08-15', last_updated_date: '2024-08-15T03:00:00Z' },
  // The same, but saved again long after closure (a caseworker, or another integration writing to Primero).
  { case_id: 'EDITED', ...base, status: 'closed', registration_date: '2024-02-10', date_closure: '2024-08-15', last_updated_date: '2026-01-20T03:00:00Z' },
  // Open: from its registration quarter to the current quarter, whatever its last edit.
  { case_id: 'OPEN', ...base, status: 'open', registration_date: '2025-05-01', last_updated_date: '2025-05-02T00:00:00Z' },
  // Transferred (not closed): still open in Primero.
  { case_id: 'TRANSFERRED', ...base, status: 'transferred', registration_date: '2025-05-01', last_updated_date: '2025-05-02T00:00:00Z' },
  // Duplicates never count.
  { case_id: 'DUPLICATE', ...base, status: 'duplicate', registration_date: '2024-01-05', last_updated_date: '2024-01-06T00:00:00Z' },
  // Closed without a closure date (legacy data): through the quarter of its last update (2024-04-01 in Cambodia).
  { case_id: 'NO_CLOSURE_DATE', ...base, status: 'closed', registration_date: '2024-02-10', last_updated_date: '2024-03-31T20:00:00Z' },
  // A closure dated before registration (bad data): the registration quarter.
  { case_id: 'CLOSED_BEFORE', ...base, status: 'closed', registration_date: '2024-05-10', date_closure: '2024-01-15', last_updated_date: '2024-05-10T00:00:00Z' },
  // Closed on the last day of a quarter: that quarter is the last.
  { case_id: 'CLOSED_Q_END', ...base, status: 'closed', registration_date: '2024-02-10', date_closure: '2024-03-31', last_updated_date: '2024-04-02T00:00:00Z' },
  // Loaded before the sync fetched status (status NULL): the former rule, until the next fetch fills it.
  { case_id: 'LEGACY', ...base, registration_date: '2023-12-31', last_updated_date: '2024-03-31T20:00:00Z' },
];

describe.each(databaseTargets())('quarter rule of the indicator views on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await migrate(db.url);
    await withClient(db.url, (c) => insertRows(c, 'cases', CASES));
  });
  afterAll(async () => {
    await db?.drop();
  });

  const quarters = async () => {
    const rows = await withClient(db.url, async (c) =>
      (await c.query<{ case_id: string; quarters: string[] }>(
        'SELECT case_id, array_agg(quarter ORDER BY quarter_start) AS quarters FROM indicator_case_quarters GROUP BY case_id',
      )).rows,
    );
    return Object.fromEntries(rows.map((r) => [r.case_id, r.quarters]));
  };

  it('counts a case in the quarters it was open: registration to closure, or to the current quarter while open; duplicates never', async () => {
    expect(await quarters()).toEqual({
      CLOSED: ['2024-Q1', '2024-Q2', '2024-Q3'],
      EDITED: ['2024-Q1', '2024-Q2', '2024-Q3'],
      OPEN: quartersToNow('2025-Q2'),
      TRANSFERRED: quartersToNow('2025-Q2'),
      NO_CLOSURE_DATE: ['2024-Q1', '2024-Q2'],
      CLOSED_BEFORE: ['2024-Q2'],
      CLOSED_Q_END: ['2024-Q1'],
      LEGACY: ['2023-Q4', '2024-Q1', '2024-Q2'],
    });
  });

  it('an edit after closure changes nothing', async () => {
    const before = await quarters();
    await withClient(db.url, (c) => c.query(`UPDATE cases SET last_updated_date = now() WHERE case_id IN ('CLOSED', 'CLOSED_Q_END')`));
    expect(await quarters()).toEqual(before);
  });

  it('the indicators leave duplicates out and count each open quarter once', async () => {
    const rows = await withClient(db.url, async (c) =>
      (await c.query<{ quarter: string; children: number }>(`SELECT quarter, sum(children)::integer AS children FROM indicator_4_11a GROUP BY quarter ORDER BY quarter`)).rows,
    );
    const byQuarter = Object.fromEntries(rows.map((r) => [r.quarter, r.children]));
    // 2024-Q1: CLOSED, EDITED, NO_CLOSURE_DATE, CLOSED_Q_END, LEGACY; not DUPLICATE.
    expect(byQuarter['2024-Q1']).toBe(5);
    expect(byQuarter['2024-Q3']).toBe(2);
    expect(byQuarter['2024-Q4']).toBeUndefined();
    const current = quartersToNow('2025-Q2').at(-1)!;
    expect(byQuarter[current]).toBe(2);
  });

  it('documents the rule on the views', async () => {
    const comments = await withClient(db.url, async (c) =>
      (await c.query<{ name: string; comment: string }>(
        `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c WHERE c.relname IN ('indicator_case_quarters', 'indicator_4_8', 'indicator_4_11a') ORDER BY 1`,
      )).rows,
    );
    expect(comments).toHaveLength(3);
    for (const { comment } of comments) {
      expect(comment).toMatch(/registration/);
      expect(comment).toMatch(/date_closure|closure/);
      expect(comment).toMatch(/current quarter/);
      expect(comment).toMatch(/UTC\+7/);
      expect(comment).toMatch(/duplicate/i);
    }
  });
});
