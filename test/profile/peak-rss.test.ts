import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { peakRssMb } from '../../lib/profile/sync-profile.ts';

/**
 * The sync's peak memory is its own: a child started by a process that holds
 * a lot of memory (the benchmark with an embedded database) must not report
 * its parent's. getrusage's maxRSS is carried over from the forking parent on
 * Linux; the kernel's VmHWM starts afresh at exec.
 */
async function childPeak(): Promise<number> {
  // The function itself, built as the CLI is, run in a fresh process.
  const bundle = await build({
    stdin: { contents: "import { peakRssMb } from './lib/profile/sync-profile.ts'; console.log(peakRssMb());", resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    write: false,
  });
  const code = bundle.outputFiles[0]!.text;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (status) => (status === 0 ? resolve(Number(out.trim())) : reject(new Error(`child exited with ${status}`))));
  });
}

describe('peakRssMb', () => {
  it('is at least what the process holds now', () => {
    expect(peakRssMb()).toBeGreaterThanOrEqual(process.memoryUsage().rss / 1048576 - 1);
  });

  it("a child's figure does not include its parent's memory", { timeout: 30_000 }, async () => {
    // Hold 400 MB, every page touched, while the child starts.
    const ballast = Buffer.alloc(400 * 1048576, 1);
    expect(process.memoryUsage().rss / 1048576).toBeGreaterThan(400);
    const peak = await childPeak();
    expect(ballast[ballast.length - 1]).toBe(1);
    expect(peak).toBeGreaterThan(10);
    expect(peak).toBeLessThan(300);
  });
});
