import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { RESULT_KEYS } from '../../bench/report.ts';

/**
 * The benchmark at a small size, so it cannot rot: it must finish, print its
 * table, and end with the JSON line whose keys and values the README quotes.
 */
const CLI = fileURLToPath(new URL('../../bin/primero-ona.mjs', import.meta.url));

function runBench(cases: number, databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--experimental-vm-modules', '--no-warnings', CLI, 'bench', '--cases', String(cases)], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench (smoke)', () => {
  it('runs at 2000 cases and ends with the JSON result line', { timeout: 180_000 }, async () => {
    const { code, stdout, stderr } = await runBench(2000, inject('serverDatabaseUrl'));
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('where the time goes');
    const last = stdout.trimEnd().split('\n').at(-1) ?? '';
    const result = JSON.parse(last) as Record<string, number>;
    expect(Object.keys(result)).toEqual([...RESULT_KEYS]);
    for (const k of RESULT_KEYS) expect(Number.isFinite(result[k]), k).toBe(true);
    expect(result.cases).toBe(2000);
    expect(result.services).toBeGreaterThan(1000);
    expect(result.sync_s).toBeGreaterThan(0);
    expect(result.fetch_floor_s).toBeGreaterThan(0);
    expect(result.write_floor_s).toBeGreaterThan(0);
    // The ratio is computed before rounding; the rounded parts give it to within a few per cent.
    const ratio = result.sync_s! / (result.fetch_floor_s! + result.write_floor_s!);
    expect(Math.abs(result.ratio! - ratio) / ratio).toBeLessThan(0.1);
    expect(result.incremental_s).toBeGreaterThan(0);
    expect(result.peak_rss_mb).toBeGreaterThan(20);
    expect(result.peak_rss_mb).toBeLessThan(4096);
  });
});
