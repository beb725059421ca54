import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getModuleEntryPoint } from '@openfn/runtime';
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

/** Each adaptor's entry and version as the runtime's linker finds them, and its module. */
async function load(layout: AdaptorLayout): Promise<Record<Name, { module: Module; version: string | undefined }>> {
  const modules = adaptorModules({}, layout);
  const out = {} as Record<Name, { module: Module; version: string | undefined }>;
  for (const name of NAMES) {
    const specifier = `@openfn/language-${name}`;
    const entry = await getModuleEntryPoint(specifier, modules[specifier]!.path);
    if (!entry) throw new Error(`${layout}: no entry point for ${specifier}`);
    out[name] = { module: (await import(entry.path)) as Module, version: entry.version };
  }
  return out;
}

const names = (m: Module) => Object.keys(m).sort();

describe('the pre-linked adaptors', () => {
  it('export the same names, under the same versions, as the adaptors as installed', async () => {
    const [linked, installed] = await Promise.all([load('linked'), load('installed')]);
    for (const name of NAMES) {
      expect(names(linked[name].module), name).toEqual(names(installed[name].module));
      expect(linked[name].version, name).toBe(installed[name].version);
      expect(linked[name].version, name).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it('share module instances as the installed ones do: one language-common for the stand-ins, language-http its own', async () => {
    for (const layout of ['linked', 'installed'] as const) {
      const { postgresql, primero, common, http } = await load(layout);
      expect(postgresql.module.fn, layout).toBe(common.module.fn);
      expect(primero.module.fn, layout).toBe(common.module.fn);
      // language-http pins language-common 3.3.1: a module of its own, installed or linked.
      expect(http.module.fn, layout).not.toBe(common.module.fn);
      expect(typeof http.module.fn, layout).toBe('function');
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
