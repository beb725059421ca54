import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { cronOf } from '../../lib/cli/commands/serve/schedule.ts';
import { loadPlan } from '../../lib/host/runner/load-plan.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { DEFAULT_WORKFLOW } from '../../lib/build/default-workflow.ts';
import { createTestDatabase, databaseTargets, withClient, type TestDatabase } from '../support/databases.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('serve', () => {
  let sim: Simulator | undefined;
  let db: TestDatabase | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await sim?.stop();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("reads the daily schedule from the built workflow's cron trigger", async () => {
    const plan = await loadPlan(DEFAULT_WORKFLOW, silentLogger);
    expect(cronOf(plan)).toBe('0 2 * * *');
  });

  it('stays up, runs the sync when its schedule fires, and stops cleanly on SIGTERM', async () => {
    sim = await startSimulator({ cases: 80, seed: 'serve', asOf: '2026-06-01T00:00:00Z' });
    db = await createTestDatabase(databaseTargets()[0]!);
    dir = await mkdtemp(path.join(os.tmpdir(), 'pos-serve-'));
    // The real workflow, with a schedule that fires every two seconds (croner's seconds field).
    const workflow = JSON.parse(await readFile(DEFAULT_WORKFLOW, 'utf8'));
    for (const step of workflow.workflow.steps) {
      if (step.type === 'cron') step.openfn.cron = '*/2 * * * * *';
      if (step.expression) step.expression = path.join(path.dirname(DEFAULT_WORKFLOW), step.expression);
    }
    const workflowPath = path.join(dir, 'workflow.json');
    await writeFile(workflowPath, JSON.stringify(workflow));

    const child = spawn(process.execPath, ['--experimental-vm-modules', '--no-warnings', 'bin/primero-ona.mjs', 'serve', '-w', workflowPath], {
      cwd: root,
      env: { ...process.env, PRIMERO_URL: sim.url, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: 'primero', DATABASE_URL: db.url },
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const deadline = Date.now() + 45_000;
    while (!/Run [0-9a-f-]+ complete/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    expect(out).toMatch(/cron "\*\/2 \* \* \* \* \*" \(UTC\)/);
    expect(out).toMatch(/Run [0-9a-f-]+ complete/);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const runs = await withClient(db.url, async (c) => (await c.query<{ status: string }>("SELECT status FROM sync_runs WHERE status = 'completed'")).rows);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    const [cases] = await withClient(db.url, async (c) => (await c.query<{ n: string }>('SELECT count(*) AS n FROM cases')).rows);
    expect(Number(cases!.n)).toBeGreaterThan(0);
  });
});
