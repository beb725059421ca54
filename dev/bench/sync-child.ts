import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/build/default-workflow.ts';
import { PROFILE_ENV, SyncProfile } from '../../lib/profile/sync-profile.ts';

/**
 * Runs `primero-ona sync` as a child process, as an operator would, so that its
 * wall time and peak memory are the sync's alone. Peak memory is the larger of
 * the kernel's high-water mark (VmHWM, sampled until exit) and the VmHWM the
 * child reports in its profile (never getrusage's maxRSS, which a child
 * inherits from this process: see lib/profile/sync-profile.ts).
 */
/** The CLI as an operator starts it (`npx primero-ona sync`). */
export const CLI = path.join(PROJECT_ROOT, 'bin', 'primero-ona.mjs');
const SAMPLE_MS = 20;

export interface SyncChildInput {
  primero: { url: string; user: string; password: string };
  /** None: the sync opens its own embedded database, as it does for a newcomer (no DATABASE_URL)... */
  databaseUrl?: string | undefined;
  /** ...in this folder (PGLITE_DATA_DIR), else in a fresh one. */
  pgliteDataDir?: string | undefined;
  /** `migrate` (no profile, as `npm run migrate`): the embedded database's first start and migrations alone. */
  command?: 'sync' | 'migrate';
  pageSize: number;
}

export interface SyncChildResult {
  seconds: number;
  peakRssMb: number;
  profile: SyncProfile;
}

async function highWaterMb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0; // exited between samples, or no /proc (then the child's own figure counts)
  }
}

export async function runSyncChild(input: SyncChildInput): Promise<SyncChildResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'primero-ona-bench-'));
  const profilePath = path.join(dir, 'profile.json');
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PRIMERO_URL: input.primero.url,
      PRIMERO_USER: input.primero.user,
      PRIMERO_PASSWORD: input.primero.password,
      [PROFILE_ENV]: profilePath,
    };
    if (input.databaseUrl) env.DATABASE_URL = input.databaseUrl;
    else {
      delete env.DATABASE_URL;
      env.PGLITE_DATA_DIR = input.pgliteDataDir ?? path.join(dir, 'pglite');
    }
    const migrate = input.command === 'migrate';
    const args = migrate ? [CLI, 'migrate'] : [CLI, 'sync', '--page-size', String(input.pageSize)];
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let peak = 0;
    const timer = setInterval(() => {
      if (child.pid) void highWaterMb(child.pid).then((mb) => (peak = Math.max(peak, mb)));
    }, SAMPLE_MS);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c) => resolve(c));
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(timer);
    if (code !== 0) throw new Error(`${migrate ? 'migrate' : 'sync'} exited with ${code}:\n${output.trim()}`);
    const profile: SyncProfile = migrate ? { origin: 0, runs: [], marks: {}, maxRssMb: 0 } : SyncProfile.parse(JSON.parse(await readFile(profilePath, 'utf8')));
    return { seconds, peakRssMb: Math.max(peak, profile.maxRssMb), profile };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
