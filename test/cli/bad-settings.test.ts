import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { loadSettings } from '../../lib/config/settings.ts';
import { normalisePrimeroBaseUrl } from '../../lib/host/primero/base-url.ts';
import { AUTH_HINT, hintAfter, probePrimero } from '../../lib/host/primero/probe.ts';
import { classifyPrimeroFailure } from '../../lib/core/primero-calls.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { startCli } from '../support/cli.ts';
import { createTestDatabase, databaseTargets, withClient } from '../support/databases.ts';

/**
 * Each bad setting stops the command with one `primero-ona:` line (plus one
 * line of help) and a non-zero exit, before anything is written, and never
 * shows a password.
 */
const PASSWORD = 'Wrong-Pa55word-xyz';
let sim: Simulator;
let html: http.Server;
let htmlUrl: string;
let htmlRequests: string[] = [];
beforeAll(async () => {
  sim = await startSimulator({ cases: 30, seed: 'bad-settings', asOf: '2026-06-01T00:00:00Z' });
  // A web page where the API should be: a login portal, a proxy's landing page, the wrong host.
  html = http.createServer((req, res) => {
    htmlRequests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><body>Welcome</body></html>');
  });
  await new Promise<void>((r) => html.listen(0, '127.0.0.1', () => r()));
  htmlUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sim?.stop();
  await new Promise((r) => html?.close(r));
});

function failureLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('primero-ona:') || l.startsWith('error:'));
}

describe('PRIMERO_URL', () => {
  it.each(['https://p.example.org/api/v2', 'https://p.example.org/api/v2/', 'https://p.example.org/', 'https://p.example.org///'])('accepts %s as the base URL', async (url) => {
    const s = await loadSettings({ PRIMERO_URL: url, PRIMERO_USER: 'u', PRIMERO_PASSWORD: 'p' });
    expect(s.primero.url).toBe('https://p.example.org');
    expect(normalisePrimeroBaseUrl(url)).toBe('https://p.example.org');
  });

  it('keeps a sub-path base (a Primero behind /primero)', async () => {
    expect(normalisePrimeroBaseUrl('https://x.org/primero/api/v2/')).toBe('https://x.org/primero');
  });

  it('a sync given the API root (…/api/v2/) runs to completion', async () => {
    const db = await createTestDatabase(databaseTargets()[0]!);
    try {
      const cli = startCli(['sync'], { PRIMERO_URL: `${sim.url}/api/v2/`, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: 'primero', DATABASE_URL: db.url });
      expect((await cli.exited).code, cli.stderr).toBe(0);
      expect(cli.stdout).toMatch(/Run [0-9a-f-]+ complete/);
    } finally {
      await db.drop();
    }
  });

  it('a URL that answers HTML is "not a Primero API": one line, exit 1, one request, nothing written', async () => {
    const db = await createTestDatabase(databaseTargets()[0]!);
    htmlRequests = [];
    try {
      const cli = startCli(['sync'], { PRIMERO_URL: htmlUrl, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: PASSWORD, DATABASE_URL: db.url });
      expect((await cli.exited).code).toBe(1);
      expect(failureLines(cli.stderr)).toEqual([`primero-ona: PRIMERO_URL (${htmlUrl}) is not a Primero API: GET /api/v2/lookups answered 200 text/html, not JSON`]);
      expect(cli.stderr).toMatch(/set PRIMERO_URL to the Primero base URL/);
      expect(htmlRequests).toEqual(['/api/v2/lookups?per=1&page=1']);
      const tables = await withClient(db.url, (c) => c.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'`));
      expect(tables.rows).toEqual([]);
      expect(cli.stderr + cli.stdout).not.toContain(PASSWORD);
    } finally {
      await db.drop();
    }
  });
});

describe('a PRIMERO_URL where nothing answers', () => {
  it('sync refuses it within seconds, in one line naming the URL and PRIMERO_URL, without retry lines or "run again"', async () => {
    // A port nothing listens on: taken, then let go.
    const free = http.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as AddressInfo).port;
    await new Promise((r) => free.close(r));
    const started = Date.now();
    const cli = startCli(['sync'], { PRIMERO_URL: `http://127.0.0.1:${port}`, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: PASSWORD, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect((await cli.exited).code).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(failureLines(cli.stderr)).toEqual([`primero-ona: PRIMERO_URL (http://127.0.0.1:${port}) cannot be reached: connection refused (nothing listens there)`]);
    expect(cli.stderr).toMatch(/check PRIMERO_URL \(or "primero\.url" in the credentials file\)/);
    expect(cli.stderr).not.toMatch(/WARN|run (primero-ona )?sync again|running again/i);
    expect(cli.stderr + cli.stdout).not.toContain(PASSWORD);
  });

  it('the probe alone: refused, no such host and a blocked port are refused after brief retries; a Primero back within them passes', async () => {
    const config = { url: 'https://p.example.org', user: 'u', password: 'p' };
    const failing = (cause: object, calls: { n: number }, answerAfter = Infinity) =>
      (async () => {
        calls.n++;
        if (calls.n > answerAfter) return new Response('{"data":[]}', { status: 200, headers: { 'content-type': 'application/json' } });
        throw new TypeError('fetch failed', { cause });
      }) as unknown as typeof fetch;
    const fast = { retryDelaysMs: [0, 0] };
    for (const [cause, why] of [
      [{ code: 'ECONNREFUSED' }, 'connection refused (nothing listens there)'],
      [{ code: 'ENOTFOUND' }, 'no such host'],
      [Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]), {}), 'connection refused (nothing listens there)'],
      [new Error('bad port'), 'a port fetch never connects to'],
    ] as const) {
      const calls = { n: 0 };
      await expect(probePrimero(config, silentLogger, failing(cause, calls), fast)).rejects.toThrow(`PRIMERO_URL (https://p.example.org) cannot be reached: ${why}`);
      expect(calls.n).toBe(3);
    }
    const restarting = { n: 0 };
    await expect(probePrimero(config, silentLogger, failing({ code: 'ECONNREFUSED' }, restarting, 2), fast)).resolves.toBeUndefined();
    expect(restarting.n).toBe(3);
    // A reset or a timeout may pass: the sync's retries decide.
    const reset = { n: 0 };
    await expect(probePrimero(config, silentLogger, failing({ code: 'ECONNRESET' }, reset), fast)).resolves.toBeUndefined();
    expect(reset.n).toBe(1);
  });
});

describe('a refused Primero login', () => {
  it('stops at once, before any job, with a hint to check the user and password, not to run again', async () => {
    const cli = startCli(['sync'], { PRIMERO_URL: sim.url, PRIMERO_USER: 'primero', PRIMERO_PASSWORD: PASSWORD, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect((await cli.exited).code).toBe(1);
    const lines = failureLines(cli.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^primero-ona: Primero at http:\/\/127\.0\.0\.1:\d+ refused the user and password: 401/);
    expect(cli.stderr).toMatch(/check PRIMERO_USER and PRIMERO_PASSWORD .* before running again: six failed logins lock the account for 30 minutes/);
    expect(cli.stderr).not.toMatch(/run (primero-ona )?sync again|run again with/i);
    expect(cli.stderr + cli.stdout).not.toContain(PASSWORD);
  });

  it('the probe alone: HTML, 404 and a JSON body without data are not a Primero API; 5xx and no answer are left to the retries', async () => {
    const answer = (status: number, type: string, body: string) => (async () => new Response(body, { status, headers: { 'content-type': type } })) as unknown as typeof fetch;
    const config = { url: 'https://p.example.org', user: 'u', password: 'p' };
    await expect(probePrimero(config, silentLogger, answer(200, 'text/html', '<html>'))).rejects.toThrow(/is not a Primero API: .*200 text\/html/);
    await expect(probePrimero(config, silentLogger, answer(404, 'application/json', '{"errors":[]}'))).rejects.toThrow(/is not a Primero API: .*404/);
    await expect(probePrimero(config, silentLogger, answer(200, 'application/json', '{"ok":true}'))).rejects.toThrow(/without a data list/);
    await expect(probePrimero(config, silentLogger, answer(502, 'text/html', '<html>Bad gateway'))).resolves.toBeUndefined();
    await expect(probePrimero(config, silentLogger, answer(200, 'application/json', '{"data":[]}'))).resolves.toBeUndefined();
    await expect(probePrimero({ ...config, authMode: 'token' }, silentLogger, answer(401, 'application/json', '{"error":"You need to sign in"}'))).resolves.toBeUndefined();
    const refused = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    await expect(probePrimero(config, silentLogger, refused)).resolves.toBeUndefined();
  });
});

describe('the hint after a failed run', () => {
  // What the official adaptor rejects with on an HTTP error (openfn-facts.md §1.5).
  const responded = (statusCode: number) => new Error(`Server responded with:\n${JSON.stringify({ statusCode, headers: {} })}`);
  it('after refused credentials says to check the user and password, otherwise keeps the usual hint: by the failure\'s kind, not its text', () => {
    const usual = 'run primero-ona sync again to resume the run';
    expect(hintAfter(classifyPrimeroFailure(responded(401)), usual)).toBe(AUTH_HINT);
    expect(hintAfter(classifyPrimeroFailure(responded(503)), usual)).toBe(usual);
    // A line that merely mentions 401 (a batch number) is not a refusal.
    expect(hintAfter({ transient: true, line: 'batch 401: step "fetch" failed: gave up after 5 attempts' }, usual)).toBe(usual);
  });
});

describe('the credentials file', () => {
  it.each([['status'], ['report'], ['migrate'], ['sync']])('%s refuses a misspelt key in one line instead of falling back to the embedded database', async (command) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pos-creds-'));
    try {
      const file = path.join(dir, 'credentials.json');
      await writeFile(file, JSON.stringify({ primero: { url: sim.url, user: 'primero', password: PASSWORD }, database: { connectionstring: 'postgres://postgres@127.0.0.1:5432/test' } }));
      // A data folder the embedded database would create if it were opened.
      const cli = startCli([command, '-c', file], { PGLITE_DATA_DIR: path.join(dir, 'pglite') });
      expect((await cli.exited).code).toBe(1);
      expect(failureLines(cli.stderr)).toEqual([`primero-ona: credentials file ${file}: unknown key "database.connectionstring"; did you mean "database.connectionString"?`]);
      expect(cli.stderr + cli.stdout).not.toContain(PASSWORD);
      expect(existsSync(path.join(dir, 'pglite'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('--since', () => {
  it('takes dates that exist, a leap day included', async () => {
    const { parseSince } = await import('../../lib/cli/commands/sync/options.ts');
    expect(parseSince('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
    expect(parseSince('2024-01-31T23:59:59+07:00')).toBe('2024-01-31T16:59:59.000Z');
  });

  it.each([
    ['2999-01-01', /in the future/],
    ['yesterday', /expected an ISO date/],
    ['2024-13-45', /expected an ISO date|is not a date that exists/],
    ['2024-02-30', /2024-02-30 is not a date that exists/],
    ['2023-02-29', /2023-02-29 is not a date that exists/],
    ['2024-04-31T00:00:00Z', /is not a date that exists/],
    ['2024-01-01T24:00:00Z', /is not a date that exists/],
  ])('refuses %s in one line', async (since, why) => {
    const cli = startCli(['sync', '--since', since], {});
    const { code } = await cli.exited;
    expect(code).not.toBe(0);
    const lines = failureLines(cli.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(why);
  });
});
