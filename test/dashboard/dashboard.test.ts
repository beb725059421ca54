import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log/logger.ts';
import { startDashboard, type Dashboard } from '../../lib/report/dashboard/server.ts';
import { reportHandler } from '../../lib/cli/commands/report/handler.ts';
import { UI_TEXT } from '../../lib/report/labels.ts';
import { currentQuarter, latestCompleteQuarter } from '../../lib/core/quarters.ts';
import { artifactPath, launchChromium } from '../support/browser.ts';
import { suppressOne } from '../../lib/report/suppress.ts';
import { createTestDatabase, databaseTargets } from '../support/databases.ts';
import { openIndicatorDatabase } from '../../lib/report/open.ts';
import type { OpenedDatabase } from '../../lib/db/connect.ts';
import { NO_COMPLETED_SYNC } from '../../lib/status/completed-sync.ts';
import { AS_OF, startSyncHarness, type SyncHarness } from '../support/sync-harness.ts';

/**
 * The dashboard and the HTML report in a real headless Chromium, after a real
 * sync of the demo's generated data: what they show is compared with what the
 * database computes from the views for the same quarter.
 */
const NOW = new Date(AS_OF);
const QUARTER = latestCompleteQuarter(NOW);
const VIEWS = { '4.8': 'indicator_4_8', '4.11a': 'indicator_4_11a' } as const;
const DIMENSIONS = {
  province: `coalesce(province_code, '?' || province_en)`,
  sex: `coalesce(sex_code, '?')`,
  age: 'age_band',
} as const;

type Shown = { key: string; label: string; cur: string; prev: string };

let h: SyncHarness;
let reading: OpenedDatabase;
let dashboard: Dashboard;
let browser: Browser;

beforeAll(async () => {
  // The demo's data set (3000 cases, seed "demo"), at the harness's fixed date.
  h = await startSyncHarness(databaseTargets()[0]!, { cases: 3000, seed: 'demo' });
  await h.sync();
  // Read as the dashboard command reads: the common settings, read-only connections.
  reading = await openIndicatorDatabase({ databaseUrl: h.db.url, logger: silentLogger, env: {} });
  dashboard = await startDashboard({ connect: () => reading.connect({ readOnly: true }), threshold: 5, logger: silentLogger, now: () => NOW });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await reading?.close();
  await h?.close();
});

async function viewFigure(id: keyof typeof VIEWS, dimension: keyof typeof DIMENSIONS | null, quarter = QUARTER): Promise<Map<string, number>> {
  const key = dimension ? DIMENSIONS[dimension] : `'total'`;
  const rows = await h.query<{ key: string; n: number }>(`SELECT ${key} AS key, sum(children)::integer AS n FROM ${VIEWS[id]} WHERE quarter = $1 GROUP BY 1`, [quarter]);
  return new Map(rows.map((r) => [r.key, r.n]));
}

/** A shown cell against the database's figure: the number itself, "<5" for 1..4, "*" for a hidden complement. */
function agrees(shown: string, actual: number): boolean {
  if (shown === '<5') return actual >= 1 && actual <= 4;
  if (shown === '*') return actual >= 0;
  return Number(shown.replace(/,/g, '')) === actual;
}

async function shownRows(page: Page, table: string): Promise<Shown[]> {
  return page.$$eval(`table[data-table="${table}"] tbody tr`, (trs) =>
    trs.map((tr) => ({
      key: tr.getAttribute('data-key') ?? '',
      label: tr.querySelector('td.label')?.textContent ?? '',
      cur: tr.querySelector('td.cur')?.textContent ?? '',
      prev: tr.querySelector('td.prev')?.textContent ?? '',
    })),
  );
}

/** Every figure of the page against the views; returns how many cells showed "<5". */
async function expectViewFigures(page: Page): Promise<number> {
  let small = 0;
  for (const id of ['4.8', '4.11a'] as const) {
    const total = (await viewFigure(id, null)).get('total') ?? 0;
    expect(total).toBeGreaterThan(20);
    expect(Number((await page.textContent(`[data-kpi="${id}"] .big`))!.replace(/,/g, ''))).toBe(total);
    const before = (await viewFigure(id, null, '2025-Q4')).get('total') ?? 0;
    expect(Number((await page.textContent(`[data-kpi="${id}"] .prev`))!.replace(/,/g, ''))).toBe(before);
    for (const dimension of ['province', 'sex', 'age'] as const) {
      const actual = await viewFigure(id, dimension);
      const rows = await shownRows(page, `${id}-${dimension}`);
      expect(rows.length).toBeGreaterThan(1);
      for (const r of rows) {
        expect(agrees(r.cur, actual.get(r.key) ?? 0), `${id} ${dimension} ${r.key}: shown ${r.cur}, view ${actual.get(r.key)}`).toBe(true);
        if (r.cur === '<5') small++;
      }
      // Every child of the view is in some shown row.
      expect([...actual.keys()].every((k) => rows.some((r) => r.key === k))).toBe(true);
      expect(rows.filter((r) => /^\d/.test(r.cur)).length).toBeGreaterThan(0);
    }
  }
  // The district table of every province of 4.8, picked one after the other.
  const provinces = await page.$$eval('select[data-province-select="4.8"] option', (os) => os.map((o) => o.getAttribute('value') ?? ''));
  expect(provinces.length).toBeGreaterThan(10);
  for (const province of provinces) {
    await page.selectOption('select[data-province-select="4.8"]', province);
    const actual = new Map(
      (
        await h.query<{ key: string; n: number }>(
          `SELECT coalesce(district_code, '?' || district_en) AS key, sum(children)::integer AS n FROM indicator_4_8
           WHERE quarter = $1 AND coalesce(province_code, '?' || province_en) = $2 GROUP BY 1`,
          [QUARTER, province],
        )
      ).map((r) => [r.key, r.n]),
    );
    for (const r of await shownRows(page, '4.8-district')) {
      expect(agrees(r.cur, actual.get(r.key) ?? 0), `4.8 ${province} district ${r.key}: shown ${r.cur}, view ${actual.get(r.key)}`).toBe(true);
      if (r.cur === '<5') small++;
    }
  }
  return small;
}

async function openPage(url: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors, requests };
}

describe('dashboard in a headless Chromium', () => {
  it('shows the views\' figures for the last complete quarter, "<5" for small cells, and asks nothing of any other host', async () => {
    const { page, errors, requests } = await openPage(dashboard.url);
    const small = await expectViewFigures(page);
    expect(small).toBeGreaterThan(0);
    // The district table of the chosen province adds up to the province.
    const districts = await shownRows(page, '4.11a-district');
    expect(districts.length).toBeGreaterThan(0);
    // The quarter in progress is marked in the picker; 4.8 (any age) says beside its figure how many adults and unknown ages it holds.
    expect(await page.textContent(`#quarter option[value="${currentQuarter(NOW)}"]`)).toBe(`${currentQuarter(NOW)} (in progress)`);
    expect(await page.textContent(`#quarter option[value="${QUARTER}"]`)).toBe(QUARTER);
    const ages = await viewFigure('4.8', 'age');
    const shownAge = (band: string) => String(suppressOne(ages.get(band) ?? 0, 5));
    expect(await page.textContent('[data-age-note="4.8"]')).toContain(`includes ${shownAge('18+')} aged 18 or over and ${shownAge('unknown')} whose age is not recorded`);
    expect(await page.$('[data-age-note="4.11a"]')).toBeNull();
    await page.waitForTimeout(300);
    await page.screenshot({ path: await artifactPath('dashboard-en.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests.length).toBeGreaterThan(3);
    for (const r of requests) expect(new URL(r).hostname).toBe('127.0.0.1');
    await page.close();
  });

  it('switches to Khmer labels from the data dictionary and locations_lookup', async () => {
    const { page, errors } = await openPage(dashboard.url);
    await page.click('#lang-toggle');
    await page.waitForFunction("document.documentElement.lang === 'km'");
    expect(await page.textContent('h1')).toBe(UI_TEXT.km.pageTitle);
    const labels = await h.query<{ key: string; km: string[] }>(
      `SELECT coalesce(province_code, '?' || province_en) AS key, array_agg(DISTINCT province_km) AS km FROM indicator_4_8 WHERE quarter = $1 GROUP BY 1`,
      [QUARTER],
    );
    const rows = await shownRows(page, '4.8-province');
    for (const l of labels) expect(l.km).toContain(rows.find((r) => r.key === l.key)?.label);
    expect(rows.filter((r) => /[\u1780-\u17FF]/.test(r.label)).length).toBeGreaterThan(10);
    const sexes = await shownRows(page, '4.8-sex');
    expect(sexes.find((r) => r.key === 'female')?.label).toBe('ស្រី');
    // Beside the figures and in the data-quality tables, Khmer too: the age note, fields and reasons.
    expect(await page.textContent('[data-age-note="4.8"]')).toContain('១៨');
    const notes = await page.$$eval('table[data-table="notes"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(notes.length).toBeGreaterThan(0);
    for (const [, field, reason] of notes) {
      expect(field).toMatch(/[\u1780-\u17FF]/);
      expect(reason).toMatch(/[\u1780-\u17FF]/);
    }
    // The Khmer font is the one served with the page.
    expect(await page.evaluate(`document.fonts.check('16px "Noto Sans Khmer"', 'ក')`)).toBe(true);
    await page.waitForTimeout(300);
    await page.screenshot({ path: await artifactPath('dashboard-km.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows another quarter picked in the quarter list, against the quarter before it', async () => {
    const { page, errors } = await openPage(dashboard.url);
    const [picked, before] = ['2025-Q2', '2025-Q1'] as const;
    const total = (await viewFigure('4.11a', null, picked)).get('total');
    await page.selectOption('#quarter', picked);
    await expect.poll(async () => (await page.textContent('[data-kpi="4.11a"] .big'))!.replace(/,/g, ''), { timeout: 10_000 }).toBe(String(total));
    expect(Number((await page.textContent('[data-kpi="4.11a"] .prev'))!.replace(/,/g, ''))).toBe((await viewFigure('4.11a', null, before)).get('total'));
    expect(new URL(page.url()).searchParams.get('quarter')).toBe(picked);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('dashboard on a database no sync has completed on', () => {
  it('says so, with no error and no figure', async () => {
    const db = await createTestDatabase(databaseTargets()[0]!);
    const fresh = await openIndicatorDatabase({ databaseUrl: db.url, logger: silentLogger, env: {} });
    const empty = await startDashboard({ connect: () => fresh.connect({ readOnly: true }), threshold: 5, logger: silentLogger, now: () => NOW });
    try {
      const { page, errors } = await openPage(empty.url);
      expect(await page.textContent('#notice')).toBe(NO_COMPLETED_SYNC);
      expect(errors).toEqual([]);
      await page.close();
      // Read-only: nothing was created on the way.
      const client = await fresh.connect();
      expect((await client.query("SELECT to_regclass('public.sync_runs')::text AS t")).rows[0].t).toBeNull();
      await client.end();
    } finally {
      await empty.stop();
      await fresh.close();
      await db.drop();
    }
  });
});

describe('dashboard API', () => {
  it('returns aggregates only: no case id, name, date of birth or single child\'s age in any response', async () => {
    const cases = await h.query<{ case_id: string; primero_id: string }>('SELECT case_id, primero_id::text FROM cases');
    const records = h.sim.records();
    const personal = new Set<string>();
    for (const c of cases) personal.add(c.case_id).add(c.primero_id);
    // Full names, not first or last names alone: "Touch" is a surname and part of place names.
    for (const r of records) {
      for (const f of ['name', 'date_of_birth', 'case_id_display', 'id']) if (typeof r[f] === 'string' && (r[f] as string).length > 3) personal.add(r[f] as string);
    }
    expect(personal.size).toBeGreaterThan(3000);
    const bodies: string[] = [];
    for (const q of ['latest-complete', 'current', '2025-Q1', QUARTER]) bodies.push(await (await fetch(`${dashboard.url}api/model?quarter=${q}`)).text());
    bodies.push(await (await fetch(dashboard.url)).text());
    const forbiddenKeys = new Set(['case_id', 'primero_id', 'name', 'date_of_birth', 'registration_date', 'last_updated_date']);
    for (const body of bodies) {
      for (const p of personal) expect(body.includes(p), `a response holds ${p}`).toBe(false);
    }
    for (const body of bodies.slice(0, 4)) {
      JSON.parse(body, (key, value) => {
        expect(forbiddenKeys.has(key), `key ${key}`).toBe(false);
        // "age" is a heading in the labels; a child's age would be a number.
        expect(key === 'age' && typeof value !== 'object' && typeof value !== 'string', `an age: ${value}`).toBe(false);
        return value;
      });
    }
    const bad = await fetch(`${dashboard.url}api/model?quarter=2025-Q9`);
    expect(bad.status).toBe(400);
  });
});

describe('dashboard data quality', () => {
  it('gives the last runs, and unknown codes by field and code with the cases carrying them, as the ledger has them', async () => {
    const model = (await (await fetch(`${dashboard.url}api/model`)).json()) as {
      quality: { runs: { runId: string; status: string; cases: number }[]; unknownCodes: { field: string; code: string; cases: number }[] };
    };
    const runs = await h.query<{ run_id: string; status: string; cases_count: number }>('SELECT run_id, status, cases_count FROM sync_runs ORDER BY started_at DESC');
    expect(model.quality.runs.map((r) => [r.runId, r.status, r.cases])).toEqual(runs.map((r) => [r.run_id, r.status, r.cases_count]));
    const codes = await h.query<{ field: string; code: string; cases: number }>(
      `SELECT field, code, sum(case_count)::integer AS cases FROM sync_rejects WHERE kind = 'unknown_code' GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 50`,
    );
    expect(codes.length).toBeGreaterThan(0);
    expect(model.quality.unknownCodes.map(({ field, code, cases }) => ({ field, code, cases }))).toEqual(codes);
  });
});

describe('dashboard quarter choice', () => {
  it('answers 400, in words, for a quarter not begun or not held, rather than a page of zeros', async () => {
    const future = await fetch(`${dashboard.url}api/model?quarter=2099-Q1`);
    expect(future.status).toBe(400);
    expect(await future.json()).toEqual({ error: `2099-Q1 has not begun: the current quarter is ${currentQuarter(NOW)}` });
    const before = await fetch(`${dashboard.url}api/model?quarter=1999-Q1`);
    expect(before.status).toBe(400);
    expect(((await before.json()) as { error: string }).error).toMatch(/^no figures for 1999-Q1: the indicator views hold \d{4}-Q\d to \d{4}-Q\d$/);
  });
});

describe('report --html and the text summary', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pos-report-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one self-contained file that renders the same figures with every request blocked', async () => {
    const file = path.join(dir, 'report.html');
    let said = '';
    await reportHandler({ lang: 'en', databaseUrl: h.db.url, html: file, now: NOW }, silentLogger, (t) => (said += t), {});
    expect(said).toContain(file);
    const html = await readFile(file, 'utf8');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await expectViewFigures(page)).toBeGreaterThan(0);
    expect(requests.filter((r) => !r.startsWith('file:') && !r.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: await artifactPath('report-html-en.png') });
    await context.close();
  });

  it('writes a Khmer report with --lang km', async () => {
    const file = path.join(dir, 'report-km.html');
    await reportHandler({ lang: 'km', databaseUrl: h.db.url, html: file, now: NOW }, silentLogger, () => {}, {});
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('h1')).toBe(UI_TEXT.km.pageTitle);
    await context.close();
  });

  it('prints a summary of the demo data in under 60 lines, in either language, with the views\' totals', async () => {
    for (const lang of ['en', 'km'] as const) {
      let out = '';
      await reportHandler({ lang, databaseUrl: h.db.url, now: NOW }, silentLogger, (t) => (out += t), {});
      const lines = out.trimEnd().split('\n');
      expect(lines.length).toBeLessThan(60);
      expect(lines[0]).toContain(QUARTER);
      for (const id of ['4.8', '4.11a'] as const) {
        const total = (await viewFigure(id, null)).get('total');
        const before = (await viewFigure(id, null, '2025-Q4')).get('total');
        expect(out).toContain(`${total} (${before})`);
      }
    }
  });

  it('gives every cell with --detail and as CSV, with exact counts that add up to the views', async () => {
    let csv = '';
    await reportHandler({ lang: 'en', databaseUrl: h.db.url, now: NOW, format: 'csv' }, silentLogger, (t) => (csv += t), {});
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe('indicator,quarter,province_code,province,district_code,district,sex_code,sex,age_band,case_source,children');
    const sum = (id: string) => rows.slice(1).filter((r) => r.startsWith(`${id},`)).reduce((n, r) => n + Number(r.split(',').pop()), 0);
    expect(sum('4.8')).toBe((await viewFigure('4.8', null)).get('total'));
    expect(sum('4.11a')).toBe((await viewFigure('4.11a', null)).get('total'));
    let detail = '';
    await reportHandler({ lang: 'en', databaseUrl: h.db.url, now: NOW, detail: true }, silentLogger, (t) => (detail += t), {});
    expect(detail).toContain(`Sum of rows: ${(await viewFigure('4.11a', null)).get('total')}`);
  });
});
