import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/build/default-workflow.ts';
import { adaptorModules, type AdaptorLayout } from '../../lib/host/runner/adaptor-modules.ts';

/**
 * The CLI's pre-linked adaptors (dist/linked-adaptors, lib/build/bundle-adaptors.ts)
 * against the same adaptors as installed: the same export names and
 * versions, the same sharing of module instances, and none of the official
 * packages' module files read from node_modules when they are imported.
 */
const NAMES = ['primero', 'postgresql', 'common', 'http'] as const;
type Name = (typeof NAMES)[number];
type Module = Record<string, unknown>;

async function load(layout: AdaptorLayout): Promise<Record<Name, Module>> {
  const modules = adaptorModules({}, layout);
  const out = {} as Record<Name, Module>;
  for (const name of NAMES) {
    const folder = modules[`@openfn/language-${name}`]!.path;
    const pkg = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as { main: string; exports?: Record<string, string | { import: string }> };
    const main = pkg.exports?.['.'] ?? pkg.main;
    out[name] = (await import(path.join(folder, typeof main === 'string' ? main : main.import))) as Module;
  }
  return out;
}

const names = (m: Module) => Object.keys(m).sort();
const version = async (layout: AdaptorLayout, name: Name) =>
  (JSON.parse(await readFile(path.join(adaptorModules({}, layout)[`@openfn/language-${name}`]!.path, 'package.json'), 'utf8')) as { version: string }).version;

describe('the pre-linked adaptors', () => {
  it('export the same names, under the same versions, as the adaptors as installed', async () => {
    const [linked, installed] = await Promise.all([load('linked'), load('installed')]);
    for (const name of NAMES) {
      expect(names(linked[name]), name).toEqual(names(installed[name]));
      expect(await version('linked', name), name).toBe(await version('installed', name));
    }
  });

  it('share module instances as the installed ones do: one language-common for the stand-ins, language-http its own', async () => {
    for (const layout of ['linked', 'installed'] as const) {
      const m = await load(layout);
      expect(m.postgresql.fn, layout).toBe(m.common.fn);
      expect(m.primero.fn, layout).toBe(m.common.fn);
      // language-http pins language-common 3.3.1: a module of its own, installed or linked.
      expect(m.http.fn, layout).not.toBe(m.common.fn);
      expect(typeof m.http.fn, layout).toBe('function');
    }
  });

  it('read none of the official packages or their libraries from node_modules; the stand-ins still import their own', async () => {
    const trace = path.join(await mkdtemp(path.join(os.tmpdir(), 'linked-')), 'trace.txt');
    const entries = NAMES.map((n) => path.join(PROJECT_ROOT, 'dist/linked-adaptors/@openfn', `language-${n}`, 'index.js'));
    const script = `for (const e of ${JSON.stringify(entries)}) await import(e);`;
    const child = spawn(process.execPath, ['--import', path.join(PROJECT_ROOT, 'test/fixtures/cli/trace-imports.mjs'), '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', IMPORT_TRACE: trace },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
    const packages = new Set(
      (await readFile(trace, 'utf8'))
        .split('\n')
        .map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1])
        .filter((p): p is string => p !== undefined),
    );
    expect([...packages].filter((p) => p.startsWith('@openfn/') || ['date-fns', 'lodash', 'undici', 'cheerio', 'jsonpath-plus', 'ajv'].includes(p))).toEqual([]);
    expect(packages).toContain('pg');
    expect(packages).toContain('pg-format');
  });
});
