import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** state/ holds inputs for dry-running one job: they must keep working against the simulator. */
describe('example states for single-job runs', () => {
  let sim: Simulator;
  let dir: string;
  let credentials: string;
  beforeAll(async () => {
    sim = await startSimulator({ cases: 120, seed: 'state-examples', asOf: '2026-06-01T00:00:00Z' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'pos-state-'));
    const example = JSON.parse(await readFile(path.join(root, 'state/credentials.simulator.json'), 'utf8'));
    example.primero.url = sim.url;
    credentials = path.join(dir, 'credentials.json');
    await writeFile(credentials, JSON.stringify(example));
  });
  afterAll(async () => {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['fetch-first-batch.json', 'fetch-later-batch.json'])('runs fetch alone on state/%s', async (file) => {
    const output = path.join(dir, `${file}.out.json`);
    await run(
      process.execPath,
      ['bin/primero-ona.mjs', 'run', 'dist/workflow.json', '--only', 'fetch', '-s', `state/${file}`, '-c', credentials, '-o', output],
      { cwd: root, env: { ...process.env, PRIMERO_ONA_LOG_LEVEL: 'warn' } },
    );
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
});
