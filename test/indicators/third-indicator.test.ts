import { cp, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildDist } from '../../lib/build/build-dist.ts';
import { PROJECT_ROOT } from '../../lib/build/default-workflow.ts';
import { indicatorViewMigration } from '../../lib/core/indicators/indicator.ts';
import { INDICATOR_YOUNG_ADULTS } from '../fixtures/indicators/third.ts';
import { databaseTargets, withClient } from '../support/databases.ts';
import { readModel } from '../../lib/report/read-model.ts';
import { startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';

/**
 * Adding an indicator is one declaration, one migration written from it, and
 * its tests. Here a throwaway third indicator, declared in this test's
 * fixture and nowhere else, is fetched, written and counted end to end: the
 * jobs are built with the declarations plus it, the host (inbox, ledger)
 * reads the same list, and its view comes from `indicatorViewMigration`.
 */
vi.mock('../../lib/core/indicators/declared.ts', async () => {
  const actual = await vi.importActual<typeof import('../../lib/core/indicators/declared.ts')>('../../lib/core/indicators/declared.ts');
  const { INDICATOR_YOUNG_ADULTS: third } = await import('../fixtures/indicators/third.ts');
  return { ...actual, INDICATORS: [...actual.INDICATORS, third], INDICATOR_RULES: [...actual.INDICATOR_RULES, third] };
});

/**
 * The jobs built from a copy of the tree whose declarations are the
 * project's plus the third indicator (test/fixtures/indicators/with-third.ts,
 * in place of lib/core/indicators/declared.ts): nothing in the build knows
 * about the test. Returns the workflow.json that runs them.
 */
async function buildWithThird(dir: string): Promise<string> {
  const tree = path.join(dir, 'tree');
  for (const folder of ['jobs', 'lib', 'db']) await cp(path.join(PROJECT_ROOT, folder), path.join(tree, folder), { recursive: true });
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(tree, 'node_modules'));
  const declared = path.join(tree, 'lib/core/indicators/declared.ts');
  await rename(declared, path.join(tree, 'lib/core/indicators/declared-by-project.ts'));
  const withThird = await readFile(path.join(PROJECT_ROOT, 'test/fixtures/indicators/with-third.ts'), 'utf8');
  await writeFile(
    declared,
    withThird
      .replaceAll("'../../../lib/core/indicators/declared.ts'", "'./declared-by-project.ts'")
      .replaceAll("'./third.ts'", JSON.stringify(path.join(PROJECT_ROOT, 'test/fixtures/indicators/third.ts'))),
  );
  // Built beside the copy, not as its dist/: a throwaway build, which the shipped jobs' size limits do not bind.
  await buildDist({ root: tree, outDir: path.join(dir, 'dist'), cli: false });
  // The project's plan, whose steps name dist/jobs/<job>.js beside it: the workflows do not change with an indicator.
  await cp(path.join(PROJECT_ROOT, 'workflow.json'), path.join(dir, 'workflow.json'));
  return path.join(dir, 'workflow.json');
}

describe.each(databaseTargets())('a third indicator, declared once (%s database)', (kind) => {
  let dir: string;
  let workflowPath: string;
  let h: SyncHarness;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'third-indicator-'));
    workflowPath = await buildWithThird(dir);
    h = await startSyncHarness(kind, { cases: 300 });
    await h.query(indicatorViewMigration(INDICATOR_YOUNG_ADULTS));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is fetched with its own Primero query, its cases are written, and its view counts them', async () => {
    const summary = await h.sync({ workflowPath, pageSize: 50 });
    expect(summary.batches).toBeGreaterThan(0);
    // Its query went to Primero, paged like the others.
    expect(h.sim.requests.some((r) => r.path === '/api/v2/cases' && /(^|&)age=18\.\.24(&|$)/.test(decodeURIComponent(r.rawQuery)))).toBe(true);
    // Every enabled case aged 18 to 24 in Primero is in `cases` (in neither 4.8 nor 4.11a, nothing else brings them).
    const expected = h.sim
      .records()
      .filter((r) => r.record_state !== false && typeof r.age === 'number' && r.age >= 18 && r.age <= 24 && r.type_of_case !== 'children_undergoing_reintegration_55427')
      .map((r) => r.id)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const loaded = await h.query<{ id: string }>(`SELECT primero_id::text AS id FROM cases WHERE age BETWEEN 18 AND 24 AND type_of_case_code IS DISTINCT FROM 'children_undergoing_reintegration_55427' ORDER BY 1`);
    expect(loaded.map((r) => r.id)).toEqual(expected);
    // Its view, from the declaration, counts distinct children per quarter and dimension.
    const [viewTotal] = await h.query<{ n: number }>(`SELECT coalesce(sum(children), 0)::int AS n FROM ${INDICATOR_YOUNG_ADULTS.id} WHERE quarter = (SELECT max(quarter) FROM ${INDICATOR_YOUNG_ADULTS.id})`);
    const [direct] = await h.query<{ n: number }>(
      `SELECT count(DISTINCT case_id)::int AS n FROM indicator_case_quarters WHERE age BETWEEN 18 AND 24 AND quarter = (SELECT max(quarter) FROM ${INDICATOR_YOUNG_ADULTS.id})`,
    );
    expect(viewTotal!.n).toBe(direct!.n);
    expect(viewTotal!.n).toBeGreaterThan(0);
    // And the report's model (the summary, the HTML report and the dashboard read it) presents it, with the same total.
    const [latest] = await h.query<{ q: string }>(`SELECT max(quarter) AS q FROM ${INDICATOR_YOUNG_ADULTS.id}`);
    const model = await withClient(h.db.url, (c) => readModel(c, { quarter: latest!.q as never, threshold: 0 }));
    const third = model.indicators.find((i) => i.view === INDICATOR_YOUNG_ADULTS.id);
    expect(third?.title.en).toBe('T.1 Young adults (18 to 24) in case management');
    expect(third?.total.current).toBe(viewTotal!.n);
  });

  it('keeps its cases on the next run: a case of any declared indicator is no leaver', async () => {
    const before = await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE age BETWEEN 18 AND 24`);
    await h.query(`UPDATE cases SET last_updated_date = last_updated_date - interval '1 day'`);
    const again = await h.sync({ workflowPath, pageSize: 50, since: '2000-01-01T00:00:00Z' });
    expect(again.totals.removed).toBe(0);
    expect(await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE age BETWEEN 18 AND 24`)).toEqual(before);
  });
});
