import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import run from '@openfn/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKFLOW, PROJECT_ROOT } from '../../lib/build/default-workflow.ts';
import { generateCases } from '../../dev/sim/generator.ts';
import { renderCase } from '../../dev/sim/render.ts';
import { firstCursor, type BatchMessage } from '../../lib/core/messages.ts';

/**
 * Each built job (dist/jobs/*.js) loaded and run by @openfn/runtime itself,
 * through its linker, against adaptors that export exactly the official
 * names (test/support/official-exports/*.json, read from the official
 * sources) and nothing more. The stub operations record what they were asked
 * and answer as the official ones shape state (data, references, result,
 * metadata). A job that used a name outside the official lists cannot even
 * be linked.
 */
type Json = Record<string, any>;
interface Call {
  op: string;
  text?: string;
  values?: unknown[];
  query?: Json;
  url?: string;
  body?: unknown;
  headers?: Json;
}
interface Host {
  calls: Call[];
  sql: (text: string, values: unknown[] | undefined) => Json[];
  cases: (query: Json) => { data: unknown[]; metadata: Json };
  list: (what: string, query: Json) => unknown[];
}
const host = ((globalThis as any).__officialStub = { calls: [] } as unknown as Host);

const official = async (name: string) =>
  JSON.parse(await readFile(path.join(PROJECT_ROOT, 'test/support/official-exports', `${name}.json`), 'utf8')) as { package: string; exports: string[] };

const COMMON = pathToFileURL(path.join(PROJECT_ROOT, 'node_modules/@openfn/language-common/dist/index.js')).href;

/** What the stubs do; every other official name throws if a job calls it. */
const BEHAVIOUR: Record<string, string> = {
  execute: `(...ops) => (state) => ops.reduce((p, op) => p.then(op), Promise.resolve({ references: [], data: null, ...state }))`,
  fn: 'common.fn',
  fnIf: 'common.fnIf',
  sql: `(query) => async (state) => {
    const q = typeof query === 'function' ? query(state) : query;
    const text = typeof q === 'string' ? q : q.text;
    const values = typeof q === 'string' ? undefined : q.values;
    host().calls.push({ op: 'sql', text, values });
    const rows = host().sql(text, values);
    return { ...next(state, rows), result: { command: text.trim().split(/\\s/)[0].toUpperCase(), rowCount: rows.length, rows } };
  }`,
  getCases: `(query) => async (state) => {
    host().calls.push({ op: 'getCases', query });
    const { data, metadata } = host().cases(query);
    return { ...next(state, data), ...(metadata ? { metadata } : {}) };
  }`,
  getLookups: `(query) => async (state) => { host().calls.push({ op: 'getLookups', query }); return next(state, host().list('lookups', query)); }`,
  getForms: `(query) => async (state) => { host().calls.push({ op: 'getForms', query }); return next(state, host().list('forms', query)); }`,
  getLocations: `(query) => async (state) => { host().calls.push({ op: 'getLocations', query }); return next(state, host().list('locations', query)); }`,
  post: `(url, body, options) => async (state) => {
    host().calls.push({ op: 'post', url, body, headers: options && options.headers });
    return { ...next(state, { accepted: true }), response: { statusCode: 202 } };
  }`,
};

async function writeStub(dir: string, name: string, exports: string[]): Promise<string> {
  const folder = path.join(dir, name.replace('/', '__'));
  await mkdir(folder, { recursive: true });
  const lines = [
    `import * as common from ${JSON.stringify(COMMON)};`,
    `const host = () => globalThis.__officialStub;`,
    `const next = (state, data) => ({ ...state, data, references: [...(state.references || []), state.data] });`,
    ...exports.map((e) => `export const ${e} = ${BEHAVIOUR[e] ?? `() => () => { throw new Error('stub: ${e} is not used by the jobs'); }`};`),
  ];
  await writeFile(path.join(folder, 'index.js'), `${lines.join('\n')}\n`);
  await writeFile(path.join(folder, 'package.json'), JSON.stringify({ name, version: '0.0.0-stub', type: 'module', main: 'index.js' }));
  return folder;
}

let dir: string;
const modules: Record<string, { path: string }> = {};
const steps = new Map<string, { code: string; adaptor: string }>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'official-stubs-'));
  for (const name of ['postgresql', 'primero', 'http']) {
    const list = await official(name);
    modules[list.package] = { path: await writeStub(dir, list.package, list.exports) };
  }
  const workflow = JSON.parse(await readFile(DEFAULT_WORKFLOW, 'utf8')) as { workflow: { steps: Json[] } };
  for (const s of workflow.workflow.steps) {
    if (!s.expression) continue;
    steps.set(s.id, { code: await readFile(path.join(PROJECT_ROOT, s.expression), 'utf8'), adaptor: String(s.adaptors[0]).replace(/@[^@/]+$/, '') });
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function runStep(id: string, input: Json, configuration: Json = {}): Promise<Json> {
  const step = steps.get(id)!;
  host.calls = [];
  const plan = { workflow: { steps: [{ id, expression: step.code, adaptors: [step.adaptor], configuration }] } };
  const logger = { log() {}, info() {}, debug() {}, warn() {}, error() {}, success() {}, always() {}, print() {}, timer: () => 0, break() {}, confirm: async () => true, proxy() {}, _last: [], name: 'test', options: {} };
  return (await run(plan as never, input, { linker: { modules }, logger: logger as never, jobLogger: logger as never, defaultRunTimeoutMs: 0 } as never)) as Json;
}

const RUN_ID = '11111111-2222-4333-8444-555555555555';
const message = (over: Partial<BatchMessage> = {}): BatchMessage => ({
  runId: RUN_ID,
  batch: 1,
  window: { from: '1970-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
  queries: { indicator_4_8: firstCursor(50), indicator_4_11a: firstCursor(50), membership: { ...firstCursor(50), done: true, total: 0 } },
  dryRun: false,
  ...over,
});
const records = generateCases({ count: 30, seed: 'official-runtime', asOf: '2025-12-01T00:00:00Z' }).map((c) => renderCase(c, { kind: 'all' }));

describe('built jobs on @openfn/runtime with adaptors that export exactly the official names', () => {
  it('init: reads the ledger in one statement, opens a run and hands on its first message, at the page size of its credential', async () => {
    host.sql = (text) => (/gen_random_uuid/.test(text) ? [{ unfinished: null, last_completed_to: null, cases_loaded: false, new_run_id: RUN_ID }] : []);
    const out = await runStep('init', { data: { when: 'now' } }, { host: 'db', database: 'ona', user: 'ona', password: 'x', pageSize: 50 });
    expect(out.errors).toBeUndefined();
    expect(out.data.run).toMatchObject({ runId: RUN_ID, resumed: false });
    expect(out.data.message.queries.indicator_4_8.per).toBe(50);
    expect(host.calls.filter((c) => c.op === 'sql').map((c) => c.text!.trim().split(/\s+/)[0])).toEqual(['SELECT', 'INSERT']);
  });

  it('next-batch: posts the message to the webhook with its API key, and hands the run on', async () => {
    const m = message();
    const out = await runStep('next-batch', { data: { message: m, run: { runId: RUN_ID }, skipped: null } }, { inboxUrl: 'https://lightning.example/i/abc', inboxApiKey: 'key-1' });
    expect(out.errors).toBeUndefined();
    expect(host.calls).toEqual([{ op: 'post', url: 'https://lightning.example/i/abc', body: m, headers: { 'x-api-key': 'key-1' } }]);
    expect(out.data).toMatchObject({ run: { runId: RUN_ID }, posted: true });
  });

  it('fetch: one page of each unfinished query, reference data on the first batch, paged by the job', async () => {
    host.cases = (q) => ({ data: q.type_of_case ? records.slice(0, 10) : records.slice(10, 30), metadata: { total: q.type_of_case ? 10 : 20, per: 50, page: 1 } });
    host.list = () => [];
    const out = await runStep('fetch', { data: message() });
    expect(out.errors).toBeUndefined();
    expect(host.calls.filter((c) => c.op === 'getCases')).toHaveLength(2);
    expect(host.calls.filter((c) => c.op === 'getLookups').map((c) => c.query)).toEqual([{ per: 1000, page: 1 }]);
    expect(host.calls.filter((c) => c.op === 'getLocations').map((c) => c.query)).toEqual([{ hierarchy: true, order_by: 'code', per: 1000, page: 1 }]);
    expect(out.data.cases).toHaveLength(30);
    expect(out.data.advanced.indicator_4_8.done).toBe(true);
  });

  const ledger = (status: string, batches: number) => (text: string, values: unknown[] | undefined): Json[] => {
    if (/RETURNING "unique_id"/.test(text)) return (JSON.parse(String(values![0])) as Json[]).map((r) => ({ unique_id: r.unique_id }));
    if (/UPDATE sync_runs SET\s+batches/.test(text)) return [{ status: values![3] === null ? 'completed' : 'running' }];
    if (/SELECT status, batches, started_at FROM sync_runs/.test(text)) return [{ status, batches, started_at: '2026-01-01T00:00:00.000Z' }];
    if (/AS options/.test(text)) return [{ options: [], districts: [] }];
    return [];
  };

  it('upsert: one transaction (BEGIN ... COMMIT) of parameterised statements, the run closed in it by its last batch, counts only out', async () => {
    host.cases = (q) => ({ data: q.type_of_case ? records.slice(0, 10) : records.slice(10, 30), metadata: { total: q.type_of_case ? 10 : 20, per: 50, page: 1 } });
    host.list = () => [];
    const fetched = (await runStep('fetch', { data: message({ batch: 2 }) })).data;
    host.sql = ledger('running', 1);
    const out = await runStep('upsert', { data: fetched });
    expect(out.errors).toBeUndefined();
    const texts = host.calls.map((c) => c.text!.trim());
    expect(texts[0]).toBe('BEGIN');
    expect(texts.at(-1)).toBe('COMMIT');
    const write = host.calls.find((c) => c.text!.startsWith('INSERT INTO "cases"'))!;
    expect(write.values).toHaveLength(1);
    expect(write.text).not.toMatch(/'/);
    // Every query is done: the bookmark is spent and the run closes in the batch's own statement.
    const record = host.calls.find((c) => /UPDATE sync_runs SET\s+batches/.test(c.text!))!;
    expect(record.values![3]).toBeNull();
    expect(out.data).toMatchObject({ message: null, outcome: { complete: true, batch: 2, duplicate: false } });
    expect(out.data.outcome.counts.cases).toBeGreaterThan(0);
    expect(JSON.stringify(out.data)).not.toMatch(/"sex"|"age"|date_of_birth/);
  });

  it('upsert: a fetch that failed is recorded as the run\'s failure, nothing written, and the run fails there', async () => {
    const failure = { step: 'fetch', error: 'cases (indicator_4_8, page 1): Primero answered 503 (gave up after 5 attempts)', kind: 'transient' };
    const m = message({ batch: 3 });
    const failed = { message: m, advanced: m.queries, cases: [], withoutId: [], removals: [], duplicates: 0, reference: null, warnings: [], failure };
    host.sql = ledger('running', 2);
    const out = await runStep('upsert', { data: failed });
    expect(out.errors?.upsert?.message).toBe(`batch 3 not written: ${failure.error}`);
    const texts = host.calls.map((c) => c.text!.trim().split(/\s+/).slice(0, 3).join(' '));
    expect(texts).toEqual(['BEGIN', 'SELECT pg_advisory_xact_lock(1347374657, hashtext($1))', 'SELECT status, batches,', 'UPDATE sync_runs SET', 'COMMIT']);
    expect(host.calls[3]!.values).toEqual([RUN_ID, `batch 3: ${failure.error}`, 'fetch', 'transient']);
  });

  it('upsert: a dry run reads, maps and counts inside a transaction it rolls back', async () => {
    const fetched = (await runStep('fetch', { data: message({ batch: 2, dryRun: true }) })).data;
    host.sql = ledger('running', 1);
    const out = await runStep('upsert', { data: fetched });
    expect(out.errors).toBeUndefined();
    expect(host.calls.at(-1)!.text).toBe('ROLLBACK');
    expect(host.calls.some((c) => /sync_runs|sync_rejects/.test(c.text!))).toBe(false);
    expect(out.data.outcome).toMatchObject({ dryRun: true, complete: true });
    expect(out.data.outcome.counts.cases).toBeGreaterThan(0);
  });

  it('next-batch: nothing to post once the run is complete; the outcome goes on', async () => {
    const outcome = { runId: RUN_ID, batch: 4, batchesLeft: 0, counts: { cases: 1, services: 0, rejects: 0, nulled: 0, removed: 0, removedDisabled: 0 }, complete: true, dryRun: false, duplicate: false };
    const posted = await runStep('next-batch', { data: { message: null, outcome } }, { inboxUrl: 'https://lightning.example/i/abc', inboxApiKey: 'k' });
    expect(posted.errors).toBeUndefined();
    expect(host.calls).toEqual([]);
    expect(posted.data).toEqual({ message: null, outcome, posted: false });
  });

  it('a job that uses a name the official adaptor lacks cannot be linked', async () => {
    steps.set('stranger', { code: "import { transaction } from '@openfn/language-postgresql';\nconst ops = [transaction()];\nexport * from '@openfn/language-postgresql';\nexport default ops;\n", adaptor: '@openfn/language-postgresql' });
    await expect(runStep('stranger', { data: {} })).rejects.toThrow(/transaction/);
  });
});
