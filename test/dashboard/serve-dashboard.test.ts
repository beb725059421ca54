import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/databases.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('serve', () => {
  let db: TestDatabase | undefined;
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    await db?.drop();
  });

  it('serves the dashboard beside the schedule, and stops it on SIGTERM', async () => {
    // serve catches up a quarter's run at start-up: a small simulator answers it.
    sim = await startSimulator({ cases: 40, seed: 'serve-dashboard', asOf: '2026-06-01T00:00:00Z' });
    db = await createTestDatabase(databaseTargets()[0]!);
    const child = spawn(process.execPath, ['--experimental-vm-modules', '--no-warnings', 'bin/primero-ona.mjs', 'serve', '--dashboard-port', '0'], {
      cwd: root,
      env: { ...process.env, PRIMERO_URL: sim.url, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: 'primero', DATABASE_URL: db.url, DASHBOARD_PASSWORD: '' },
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const deadline = Date.now() + 30_000;
    while (!/dashboard (http:\/\/127\.0\.0\.1:\d+\/)/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    const url = /dashboard (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
    try {
      expect(url, out).toBeDefined();
      // Before the start-up run completes the dashboard says there is nothing yet.
      while (!/Run [0-9a-f-]+ complete/.test(out) && Date.now() < deadline + 30_000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${url}api/model?quarter=2025-Q1`);
      expect(res.status).toBe(200);
      const model = (await res.json()) as { quarter: string; indicators: { id: string }[] };
      expect(model.quarter).toBe('2025-Q1');
      expect(model.indicators.map((i) => i.id)).toEqual(['4.8', '4.11a']);
      expect((await fetch(url!)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (c) => resolve(c))));
    expect(code).toBe(0);
    await expect(fetch(url!)).rejects.toThrow();
  });
});
