import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { migrate } from '../../lib/db/migrate.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** `primero-ona run` as state/README.md shows it (the openfn CLI takes the same files). */
async function runWorkflow(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec(process.execPath, ['bin/primero-ona.mjs', 'run', 'workflow.json', ...args], {
    cwd: root,
    env: { ...process.env, PRIMERO_ONA_LOG_LEVEL: 'info' },
  });
}

/**
 * state/ holds what the README's OpenFn path runs: the credential map, the
 * start's input, single-job inputs for fetch, and fetch's output for a small
 * generated batch, on which upsert dry-runs with no Primero at all.
 */
describe.each(databaseTargets())('state/ examples, run as state/README.md says (%s database)', (kind) => {
  let sim: Simulator;
  let db: TestDatabase;
  let dir: string;
  let credentials: string;
  beforeAll(async () => {
    sim = await startSimulator({ cases: 120, seed: 'state-examples', asOf: '2026-06-01T00:00:00Z' });
    db = await createTestDatabase(kind);
    await migrate(db.url);
    dir = await mkdtemp(path.join(os.tmpdir(), 'pos-state-'));
    // The example map, pointed at this test's simulator and database.
    const example = JSON.parse(await readFile(path.join(root, 'state/credentials.simulator.json'), 'utf8'));
    const url = new URL(db.url);
    example.primero.url = sim.url;
    example.ona = { ...example.ona, host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1) };
    credentials = path.join(dir, 'credentials.json');
    await writeFile(credentials, JSON.stringify(example));
  }, 120_000);
  afterAll(async () => {
    await sim.stop();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });
  const query = (text: string) => withClient(db.url, async (c) => (await c.query(text)).rows);

  it.each(['fetch-first-batch.json', 'fetch-later-batch.json'])('runs fetch alone on state/%s', async (file) => {
    const output = path.join(dir, `${file}.out.json`);
    await runWorkflow(['--only', 'fetch', '-s', `state/${file}`, '-c', credentials, '-o', output]);
    const state = JSON.parse(await readFile(output, 'utf8'));
    expect(state).not.toHaveProperty('configuration');
    expect(state.data.cases.length).toBeGreaterThan(0);
    expect(state.data.cases.length).toBeLessThanOrEqual(10);
    // fields= keeps names, dates of birth and free text out of what a job reads.
    const text = JSON.stringify(state);
    for (const r of sim.records()) {
      // (a date of birth alone is not distinctive: the same date can be another field's value)
      for (const key of ['name', 'case_notes'] as const) {
        if (typeof r[key] === 'string') expect(text).not.toContain(r[key]);
      }
    }
    expect(state.data.cases.some((c: Record<string, unknown>) => 'name_first' in c || 'case_notes' in c || 'date_of_birth' in c)).toBe(false);
    expect(state.data.reference === null).toBe(file !== 'fetch-first-batch.json');
  });

  it('dry-runs upsert on state/upsert-dry-run.json (fetch\'s output for a generated batch): maps, says what it would write, writes nothing, needs no Primero', async () => {
    await sim.stop();
    try {
      const output = path.join(dir, 'dry.json');
      const r = await runWorkflow(['--start', 'upsert', '-s', 'state/upsert-dry-run.json', '-c', credentials, '-o', output]);
      expect(r.stdout + r.stderr).toMatch(/dry run, batch 2: would write [1-9]\d* cases and \d+ services/);
      const state = JSON.parse(await readFile(output, 'utf8'));
      expect(state.data.outcome).toMatchObject({ dryRun: true, batch: 2 });
      expect(state.data.outcome.counts.cases).toBeGreaterThan(0);
      // No webhook in the example map: the next batch's message stays in the output.
      expect(state.data.posted).toBe(false);
      expect(await query('SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM services) AS services, (SELECT count(*)::int FROM sync_runs) AS runs, (SELECT count(*)::int FROM sync_rejects) AS rejects')).toEqual([
        { cases: 0, services: 0, runs: 0, rejects: 0 },
      ]);
    } finally {
      sim = await startSimulator({ cases: 120, seed: 'state-examples', asOf: '2026-06-01T00:00:00Z' });
      const example = JSON.parse(await readFile(credentials, 'utf8'));
      example.primero.url = sim.url;
      await writeFile(credentials, JSON.stringify(example));
    }
  });

  it('runs a whole sync the way the README chains it by hand: the start, then the batch workflow on each output until no message is left', async () => {
    const out = path.join(dir, 'out.json');
    await runWorkflow(['-s', 'state/start.json', '-c', credentials, '-o', out]);
    let state = JSON.parse(await readFile(out, 'utf8'));
    expect(state.data).toMatchObject({ run: { resumed: false }, posted: false });
    let batches = 0;
    while (state.data.message) {
      await runWorkflow(['--start', 'webhook', '-s', out, '-c', credentials, '-o', out]);
      state = JSON.parse(await readFile(out, 'utf8'));
      expect(state.errors).toBeUndefined();
      batches++;
      expect(batches).toBeLessThan(50);
    }
    expect(state.data.outcome).toMatchObject({ complete: true });
    const [run] = await query('SELECT status, batches, cases_count FROM sync_runs');
    expect(run).toMatchObject({ status: 'completed', batches });
    // One meaning per word: the run's case count is the cases it wrote, each once.
    expect(await query('SELECT count(*)::int AS n FROM cases')).toEqual([{ n: (run as { cases_count: number }).cases_count }]);
  });
});
