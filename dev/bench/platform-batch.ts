import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/build/default-workflow.ts';
import { BATCH_STEPS, type StepLoadTimes } from './platform-cost.ts';

/**
 * platform_batch_ms from bench/platform-cost.ts, run in `processes` fresh
 * child processes (each a fresh OpenFn worker thread's worth of imports):
 * per step, the median over every load; the figure is the mean over the
 * batch workflow's steps.
 */
/** platform-cost-child.ts as `npm run build` bundles it; the runtime needs vm modules. */
const CHILD = path.join(PROJECT_ROOT, 'dist', 'cli', 'platform-cost-child.js');
const NODE_FLAGS = ['--experimental-vm-modules', '--no-warnings'];

export interface PlatformCost {
  /** Mean over the batch steps of each step's median warm load, ms. */
  perStepMs: number;
  /** Mean over the batch steps of each step's median cold load (fresh process), ms. */
  perStepColdMs: number;
  /** Per step: median warm and cold ms, and the built job's size. */
  steps: { id: string; warmMs: number; coldMs: number; kb: number }[];
}

function childRun(repeats: number): Promise<StepLoadTimes> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, CHILD, String(repeats)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-2000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`platform cost child exited with ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as StepLoadTimes);
      } catch (e) {
        reject(new Error(`platform cost child printed no result: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  });
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function measurePlatformCost(processes = 3, repeats = 5): Promise<PlatformCost> {
  const runs: StepLoadTimes[] = [];
  for (let i = 0; i < processes; i++) runs.push(await childRun(repeats));
  const steps = BATCH_STEPS.map((id) => ({
    id,
    warmMs: median(runs.flatMap((r) => r.warm[id] ?? [])),
    coldMs: median(runs.map((r) => r.cold[id] ?? 0)),
    kb: (runs[0]?.bytes[id] ?? 0) / 1024,
  }));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return { perStepMs: mean(steps.map((s) => s.warmMs)), perStepColdMs: mean(steps.map((s) => s.coldMs)), steps };
}
