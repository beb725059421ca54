import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../lib/db/migrate.ts';
import { PROJECT_ROOT } from '../../lib/build/default-workflow.ts';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/databases.ts';

/**
 * Commands load on demand: `--version`, `--help`, `status`, `report` and
 * `dashboard` import neither @openfn/runtime nor any adaptor, neither the
 * simulator nor the benchmark, and start no worker thread. What a command
 * loaded is read from the process itself (a module hook records every module
 * resolved) and, for the CLI's own built chunks, from the build's record of
 * which sources each chunk holds (dist/cli/meta.json).
 */
const TRACER = path.join(PROJECT_ROOT, 'test/fixtures/cli/trace-imports.mjs');
const BIN = path.join(PROJECT_ROOT, 'bin/primero-ona.mjs');

interface Loaded {
  /** Packages imported from node_modules. */
  packages: Set<string>;
  /** Project sources in the CLI chunks it loaded. */
  sources: Set<string>;
  code: number | null;
  stdout: string;
}

let chunkSources: Map<string, string[]>;

async function loadedBy(args: string[], env: Record<string, string>, until?: RegExp): Promise<Loaded> {
  const trace = path.join(await mkdtemp(path.join(os.tmpdir(), 'lazy-')), 'trace.txt');
  const child = spawn(process.execPath, ['--import', TRACER, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', IMPORT_TRACE: trace, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString('utf8');
    if (until?.test(stdout)) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  const urls = (await readFile(trace, 'utf8')).split('\n').filter(Boolean);
  const packages = new Set<string>();
  const sources = new Set<string>();
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) packages.add(m[1]!);
    const adaptors = /\/dist\/((?:linked-)?adaptors)\//.exec(url)?.[1];
    if (adaptors) sources.add(`dist/${adaptors}`);
    const chunk = /\/dist\/cli\/([^/]+\.js)$/.exec(url)?.[1];
    for (const s of chunk ? (chunkSources.get(chunk) ?? []) : []) sources.add(s);
  }
  return { packages, sources, code, stdout };
}

/** What none of the light commands may load. */
function expectLight(loaded: Loaded): void {
  expect([...loaded.packages].filter((p) => p.startsWith('@openfn/'))).toEqual([]);
  expect([...loaded.sources].filter((s) => /^(dev|adaptors)\/|^dist\/(linked-)?adaptors|host\/runner\/(isolated-runner|runner|execute-plan)\.ts$/.test(s))).toEqual([]);
}

let db: TestDatabase;
beforeAll(async () => {
  const meta = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'dist/cli/meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  chunkSources = new Map(Object.entries(meta.outputs).map(([out, o]) => [path.basename(out), Object.keys(o.inputs)]));
  db = await createTestDatabase(databaseTargets()[0]!);
  await migrate(db.url);
});
afterAll(async () => {
  await db?.drop();
});

describe('commands load on demand', () => {
  it('--version and --help load commander and the command list, nothing else of weight', async () => {
    const version = await loadedBy(['--version'], {});
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expectLight(version);
    expect([...version.packages]).toEqual(['commander']);
    const help = await loadedBy(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Development tools');
    expect([...help.packages]).toEqual(['commander']);
  });

  it('status, report and dashboard load neither the runtime, nor an adaptor, nor a development tool', async () => {
    const env = { DATABASE_URL: db.url };
    const status = await loadedBy(['status'], env);
    expect(status.stdout).toMatch(/Sync status/);
    expectLight(status);
    const report = await loadedBy(['report'], env);
    expect(report.code).toBe(0);
    expectLight(report);
    const dashboard = await loadedBy(['dashboard', '--port', '0'], env, /Dashboard: http/);
    expect(dashboard.stdout).toMatch(/Dashboard: http/);
    expectLight(dashboard);
  });

  it('a command that runs a workflow does load its runner (the trace sees it)', async () => {
    const run = await loadedBy(['run', 'test/fixtures/runner/triggers/workflow.json', '-O'], {});
    expect(run.code).toBe(0);
    expect(run.sources.has('lib/host/runner/isolated-runner.ts')).toBe(true);
  });
});
