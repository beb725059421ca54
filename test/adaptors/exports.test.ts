/**
 * The stand-in adaptors export exactly the official names (lists read from the
 * official sources, test/support/official-exports/*.json), so no job can use a
 * name that the platform's adaptor lacks; the installed language-http and
 * language-common export at least theirs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface OfficialExports {
  package: string;
  version: string;
  source: { repository: string; tag: string; commit: string; paths: string[] };
  default: string | null;
  exports: string[];
  namespaces?: Record<string, string[]>;
}

const listDir = path.resolve('test/support/official-exports');
const official = (name: string): OfficialExports => JSON.parse(readFileSync(path.join(listDir, `${name}.json`), 'utf8')) as OfficialExports;
const named = (m: Record<string, unknown>) => Object.keys(m).filter((k) => k !== 'default').sort();

describe('export surface', () => {
  it.each([
    ['postgresql', '../../adaptors/postgres.ts'],
    ['primero', '../../adaptors/primero.ts'],
    // What the runtime links: the stand-ins as `npm run build` writes them.
    ['postgresql', path.resolve('dist/adaptors/@openfn/language-postgresql/index.js')],
    ['primero', path.resolve('dist/adaptors/@openfn/language-primero/index.js')],
  ])('the %s stand-in (%s) exports exactly the official names, a default namespace, and the official sub-namespaces', async (name, file) => {
    const list = official(name);
    const m = (await import(file)) as Record<string, unknown>;
    expect(named(m)).toEqual(list.exports);
    expect('default' in m).toBe(list.default !== null);
    for (const [ns, names] of Object.entries(list.namespaces ?? {})) expect(named(m[ns] as Record<string, unknown>)).toEqual(names);
  });

  it('the adaptor packages the runtime links are the built stand-ins, with the official names and versions', () => {
    for (const name of ['postgresql', 'primero'] as const) {
      const folder = path.resolve(`dist/adaptors/@openfn/language-${name}`);
      const pkg = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { name: string; version: string; main: string };
      expect(pkg.name).toBe(official(name).package);
      expect(pkg.version.startsWith(`${official(name).version}-`)).toBe(true);
      expect(pkg.main).toBe('index.js');
    }
  });

  it.each(['http', 'common'])('the installed @openfn/language-%s exports at least the official names', async (name) => {
    const list = official(name);
    const m = (await import(list.package)) as Record<string, unknown>;
    const installed = JSON.parse(readFileSync(path.resolve('node_modules', list.package, 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(list.version);
    expect(list.exports.filter((n) => !(n in m))).toEqual([]);
  });

  it('every list names its source and holds sorted, unique names', () => {
    for (const name of ['postgresql', 'primero', 'http', 'common']) {
      const list = official(name);
      expect(list.source.repository).toBe('OpenFn/adaptors');
      expect(list.source.tag).toBe(`${list.package}@${list.version}`);
      expect(list.source.paths.length).toBeGreaterThan(0);
      expect([...new Set(list.exports)].sort()).toEqual(list.exports);
    }
  });
});
