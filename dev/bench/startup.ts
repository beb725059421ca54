import { spawn } from 'node:child_process';
import { median } from './platform-batch.ts';
import { CLI } from './sync-child.ts';

/**
 * What a person or a monitor waits for at every call: `primero-ona --version`
 * (cli_start_ms) and `status` against the benchmark's database (status_ms),
 * each the median wall time of `runs` runs of the CLI as an operator starts it.
 */
async function wallMs(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  const ms = performance.now() - started;
  // status exits 1 for a failed or overdue run: still an answer. Anything else is not.
  if (code !== 0 && !(args[0] === 'status' && code === 1)) throw new Error(`primero-ona ${args.join(' ')} exited with ${code}`);
  return ms;
}

export async function startupTimes(databaseUrl: string, runs = 5): Promise<{ cliStartMs: number; statusMs: number }> {
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  const version: number[] = [];
  const status: number[] = [];
  for (let i = 0; i < runs; i++) version.push(await wallMs(['--version'], env));
  for (let i = 0; i < runs; i++) status.push(await wallMs(['status'], env));
  return { cliStartMs: median(version), statusMs: median(status) };
}
