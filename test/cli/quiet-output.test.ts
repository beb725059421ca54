import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { ROOT, startCli } from '../support/cli.ts';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/databases.ts';

/**
 * What an operator sees of a normal sync: progress and the summary, not a line
 * per HTTP request the adaptors make (those are debug lines, for --verbose).
 */
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ cases: 120, seed: 'quiet', asOf: '2026-06-01T00:00:00Z' });
});
afterAll(() => sim?.stop());

describe('output', () => {
  let db: TestDatabase | undefined;
  afterAll(() => db?.drop());

  it("adaptors' request lines go to the logger at debug level, not to normal output", async () => {
    db = await createTestDatabase(databaseTargets()[0]!);
    const env = { PRIMERO_URL: sim.url, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: 'primero', DATABASE_URL: db.url };
    const quiet = startCli(['sync', '--page-size', '40'], env);
    expect((await quiet.exited).code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toMatch(/Run [0-9a-f-]+ complete in .*, [2-9]\d* batches/);
    expect(quiet.stdout + quiet.stderr).not.toMatch(/\/inbox - \d{3} in \d+ms/);
    // Still there for whoever asks for it, through the logger (credentials masked).
    const verbose = startCli(['--verbose', 'sync', '--page-size', '40', '--since', '2000-01-01'], env);
    expect((await verbose.exited).code, verbose.stderr).toBe(0);
    expect(verbose.stdout).not.toMatch(/\/inbox - \d{3}/);
    expect(verbose.stderr).toMatch(/^DEBUG \[adaptor\] POST http:\/\/127\.0\.0\.1:\d+\/inbox - 202 in \d+ms$/m);
  });

  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const cli = startCli(['--version'], {});
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout.trim()).toBe(version);
  });
});
