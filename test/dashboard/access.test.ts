import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log/logger.ts';
import { authorized, startDashboard } from '../../lib/report/dashboard/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
// Nothing here reads a figure: the database is never asked.
const NO_DATABASE = 'postgres://postgres@127.0.0.1:1/none';
const noDatabase = () => Promise.reject(new Error('no database in this test'));

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--experimental-vm-modules', '--no-warnings', 'bin/primero-ona.mjs', ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('dashboard access', () => {
  it('refuses, in one line, to start on a non-loopback address without a password', async () => {
    const env = { ...process.env, DASHBOARD_PASSWORD: '', DATABASE_URL: NO_DATABASE };
    const r = await cli(['dashboard', '--host', '0.0.0.0', '--port', '0'], env);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('primero-ona: refusing to serve the dashboard on 0.0.0.0 without a password');
    expect(r.stdout).toBe('');
  });

  it('on a non-loopback address with a password, answers 401 without it and with a wrong one', async () => {
    const d = await startDashboard({ connect: noDatabase, host: '0.0.0.0', port: 0, password: 'correct horse battery', threshold: 5, logger: silentLogger });
    try {
      const url = d.url.replace('0.0.0.0', '127.0.0.1');
      expect(await get(url)).toBe(401);
      expect(await get(`${url}api/model`)).toBe(401);
      expect(await get(`${url}assets/app.js`)).toBe(401);
      expect(await get(url, { Authorization: basic('officer', 'wrong password') })).toBe(401);
      expect(await get(url, { Authorization: basic('officer', 'correct horse battery') })).toBe(200);
      expect(await get(`${url}assets/echarts.min.js`, { Authorization: basic('any', 'correct horse battery') })).toBe(200);
    } finally {
      await d.stop();
    }
  });

  it('on loopback without a password, answers only requests addressed to loopback (no DNS rebinding)', async () => {
    const d = await startDashboard({ connect: noDatabase, port: 0, threshold: 5, logger: silentLogger });
    try {
      expect(await get(d.url)).toBe(200);
      expect(await get(d.url, { Host: 'attacker.example:8090' })).toBe(421);
      expect(await get(`${d.url}assets/..%2Fserver.ts`)).toBe(404);
      expect(await get(`${d.url}assets/noto-sans-khmer-400.woff2`)).toBe(200);
    } finally {
      await d.stop();
    }
  });

  it('compares the password whatever the user name, and rejects malformed headers', () => {
    expect(authorized(basic('x', 'pw-123456'), 'pw-123456')).toBe(true);
    expect(authorized(basic('x', 'pw-1234567'), 'pw-123456')).toBe(false);
    expect(authorized('Bearer abc', 'pw-123456')).toBe(false);
    expect(authorized(undefined, 'pw-123456')).toBe(false);
    expect(authorized(`Basic ${Buffer.from('no-colon').toString('base64')}`, 'no-colon')).toBe(false);
  });
});
