import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { ROOT, startCli, type CliRun } from '../support/cli.ts';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/databases.ts';
import { runsOf } from '../support/result.ts';

/**
 * `primero-ona report | head`: a reader that goes away before the output is
 * written (here: the pipe's read end closed at once) ends the command quietly,
 * with the exit status it would have had, and no EPIPE stack trace.
 */
async function withStdoutClosed(args: string[], env: Record<string, string>): Promise<{ code: number | null; cli: CliRun }> {
  const cli = startCli(args, env);
  cli.child.stdout!.destroy();
  const { code } = await cli.exited;
  return { code, cli };
}

const quiet = (stderr: string) => expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event|^\s+at /m);

describe.each(databaseTargets())('a closed stdout (%s database)', (kind) => {
  let sim: Simulator;
  let db: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulator({ cases: 60, seed: 'closed-pipe', asOf: '2026-06-01T00:00:00Z' });
    db = await createTestDatabase(kind);
    env = { PRIMERO_URL: sim.url, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: 'primero', DATABASE_URL: db.url };
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.drop();
  });

  it('sync completes its run and exits 0 though its summary has no reader', async () => {
    const { code, cli } = await withStdoutClosed(['sync'], env);
    expect(code, cli.stderr).toBe(0);
    quiet(cli.stderr);
    expect((await runsOf(db.url)).map((r) => r.status)).toEqual(['completed']);
  });

  it.each([[['report']], [['report', '--detail', '--format', 'csv']], [['status']], [['status', '--json']]])('%s exits 0, quietly', async (args) => {
    const { code, cli } = await withStdoutClosed(args, env);
    expect(code, cli.stderr).toBe(0);
    quiet(cli.stderr);
  });

  it('report --detail | head -n 1 under pipefail: one line, exit 0', async () => {
    const bin = `node --experimental-vm-modules --no-warnings bin/primero-ona.mjs`;
    // Not spawnSync: the embedded database answers from this process.
    const shell = spawn('bash', ['--norc', '--noprofile', '-o', 'pipefail', '-c', `${bin} report --detail | head -n 1`], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    shell.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    shell.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => shell.on('close', resolve));
    expect(status, stderr).toBe(0);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
    quiet(stderr);
  });
});

describe('a closed stdout, without a database', () => {
  it('run -O exits 0 quietly', async () => {
    const f = (name: string) => `test/fixtures/runner/two-step/${name}`;
    const { code, cli } = await withStdoutClosed(['run', f('workflow.json'), '-s', f('state.json'), '-c', f('creds.json'), '-O'], {});
    expect(code, cli.stderr).toBe(0);
    quiet(cli.stderr);
  });
});
