import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/build/default-workflow.ts';

/**
 * The product (jobs/, lib/, bin/, db/) never imports the development tools
 * (dev/: simulator, benchmark) or the stand-in adaptors (adaptors/): the
 * runtime's linker finds the stand-ins by their built package folders. Every
 * import of every product file is checked, type-only imports and dynamic
 * ones included: a relative path must not lead into dev/ or adaptors/, and
 * outside jobs/ (whose one import is their adaptor, resolved by the runtime)
 * the stand-ins' package names must not appear either.
 */
const PRODUCT = ['jobs', 'lib', 'bin', 'db'];
const TOOLS = ['dev', 'adaptors'];
const STAND_IN_NAMES = new Set(['@openfn/language-primero', '@openfn/language-postgresql']);
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && /\.(ts|mts|mjs|js)$/.test(e.name)).map((e) => path.join(e.parentPath, e.name));
}

/** `file: specifier` for each import of `files` that reaches a development tool or a stand-in. */
async function importViolations(root: string, files: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const where = path.relative(root, file);
    for (const [, specifier] of text.matchAll(SPECIFIER)) {
      if (specifier!.startsWith('.')) {
        const target = path.relative(root, path.resolve(path.dirname(file), specifier!));
        if (TOOLS.some((t) => target === t || target.startsWith(`${t}${path.sep}`))) out.push(`${where}: ${specifier}`);
      } else if (STAND_IN_NAMES.has(specifier!) && !where.startsWith(`jobs${path.sep}`)) {
        out.push(`${where}: ${specifier}`);
      }
    }
  }
  return out;
}

describe('import direction', () => {
  it('no product file imports the simulator, the benchmark or a stand-in adaptor', async () => {
    const files = (await Promise.all(PRODUCT.map((d) => sourceFiles(path.join(PROJECT_ROOT, d))))).flat();
    expect(files.length).toBeGreaterThan(100);
    expect(await importViolations(PROJECT_ROOT, files)).toEqual([]);
  });

  it('catches each way of reaching them: static, type-only, dynamic, re-export, by package name', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'import-direction-'));
    const file = path.join(root, 'lib', 'cli', 'x.ts');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(file), { recursive: true }));
    await writeFile(
      file,
      [
        "import { startSimulator } from '../../dev/sim/server.ts';",
        "import type { State } from '../../adaptors/common.ts';",
        "const bench = await import('../../dev/bench/run-bench.ts');",
        "export * from '../../adaptors/primero.ts';",
        "import { sql } from '@openfn/language-postgresql';",
        "import { UserError } from '../errors.ts';",
      ].join('\n'),
    );
    expect(await importViolations(root, [file])).toEqual([
      'lib/cli/x.ts: ../../dev/sim/server.ts',
      'lib/cli/x.ts: ../../adaptors/common.ts',
      'lib/cli/x.ts: ../../dev/bench/run-bench.ts',
      'lib/cli/x.ts: ../../adaptors/primero.ts',
      'lib/cli/x.ts: @openfn/language-postgresql',
    ]);
  });
});
