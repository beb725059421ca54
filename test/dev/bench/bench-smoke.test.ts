import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { RESULT_KEYS } from '../../../dev/bench/report.ts';

/**
 * The benchmark at a small size, so it cannot rot: it must finish, print its
 * table, and end with the JSON line whose keys and values the README quotes.
 */
const CLI = fileURLToPath(new URL('../../../bin/primero-ona.mjs', import.meta.url));

const LATENCY_MS = 40;
const PER_RECORD_MS = 0.1;

function runBench(cases: number, databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    // A light latency model: the latency runs must run, and their figures must show the delay.
    const args = ['bench', '--cases', String(cases), '--latency-ms', String(LATENCY_MS), '--per-record-ms', String(PER_RECORD_MS)];
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench (smoke)', () => {
  it('runs at 2000 cases and ends with the JSON result line', { timeout: 240_000 }, async () => {
    const { code, stdout, stderr } = await runBench(2000, inject('serverDatabaseUrl'));
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('where the time goes');
    const last = stdout.trimEnd().split('\n').at(-1) ?? '';
    const result = JSON.parse(last) as Record<string, number>;
    expect(Object.keys(result)).toEqual([...RESULT_KEYS]);
    for (const k of RESULT_KEYS) expect(Number.isFinite(result[k]), k).toBe(true);
    expect(stdout).toContain('Full sync with latency, where the time goes');
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
    // The embedded default: its own full sync, PGlite inside the sync process.
    expect(result.sync_s_embedded).toBeGreaterThan(0);
    expect(result.peak_rss_mb_embedded).toBeGreaterThan(20);
    expect(result.peak_rss_mb_embedded).toBeLessThan(4096);
    expect(result.peak_rss_mb_embedded_first_start).toBeGreaterThan(20);
    // The latency floor waits at least A + B x records for each of its requests: 2000 cases
    // are at least 2 pages of 4.8 plus the lookups, forms and locations.
    expect(result.latency_floor_s).toBeGreaterThan((5 * LATENCY_MS + 1000 * PER_RECORD_MS) / 1000);
    expect(result.latency_floor_s).toBeGreaterThan(result.fetch_floor_s!);
    expect(result.sync_latency_s).toBeGreaterThan(0);
    expect(Math.abs(result.latency_ratio! - result.sync_latency_s! / result.latency_floor_s!) / result.latency_ratio!).toBeLessThan(0.05);
    // Compiling and instantiating a built job: milliseconds, and less than a fresh process importing its adaptors too.
    expect(result.platform_batch_ms).toBeGreaterThan(0);
    expect(result.platform_batch_ms).toBeLessThan(result.platform_batch_cold_ms!);
  });
});
