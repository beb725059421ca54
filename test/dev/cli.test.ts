import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli, type CliRun } from '../support/cli.ts';

/**
 * The development tools as a person runs them (`npm run sim`, `npm start`),
 * through the launcher, which routes them to their own entry (dev/cli.ts).
 */
let cli: CliRun | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  cli?.child.kill('SIGKILL');
  cli = undefined;
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

const stdoutLines = async (run: CliRun, count: number): Promise<string[]> => {
  for (let waited = 0; run.stdout.split('\n').filter(Boolean).length < count && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return run.stdout.split('\n').filter(Boolean);
};

describe('primero-ona sim', () => {
  it('prints its URL, then the settings that reach it, with the user and password it accepts', async () => {
    cli = startCli(['sim', '--cases', '3', '--port', '0', '--user', 'tester', '--password', "pa ss'1"], {});
    const [url, settings] = await stdoutLines(cli, 2);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(settings).toBe(`export PRIMERO_URL=${url} PRIMERO_USER=tester PRIMERO_PASSWORD='pa ss'\\''1'`);
    // They are the ones it accepts.
    const auth = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    expect((await fetch(`${url}/api/v2/cases?per=1`, { headers: auth('tester', "pa ss'1") })).status).toBe(200);
    expect((await fetch(`${url}/api/v2/cases?per=1`, { headers: auth('tester', 'wrong') })).status).toBe(401);
  });
});

describe('npm start -- --dashboard', () => {
  it('on a port in use, names the option that picks another (the demo has no --port)', { timeout: 120_000 }, async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)));
    cli = startCli(['demo', '--cases', '30', '--dashboard', String(port)], {});
    const { code } = await cli.exited;
    expect(code).toBe(1);
    const lines = cli.stderr.trim().split('\n');
    expect(lines.at(-2)).toBe(`primero-ona: dashboard port ${port} on 127.0.0.1 is in use`);
    expect(lines.at(-1)).toBe('  choose another with --dashboard <port> (npm start -- --dashboard 8091)');
    expect(cli.stderr).not.toContain('--port');
  });
});
