import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type BuildFailure, type Metafile, type Plugin } from 'esbuild';
import { UserError } from '../errors.ts';
import { bundleAdaptors, NODE_ESM_BUNDLE } from './bundle-adaptors.ts';

/**
 * The host's own JavaScript, built as the jobs are so that nothing is
 * transformed at run time:
 * - `cli/`: the product CLI, the batch worker thread's entry, the dev tools'
 *   CLI and the benchmark's child process, sharing chunks. Commands import
 *   their handlers when they run, so each handler is a chunk of its own and
 *   `--version` or `status` loads none of the runtime, adaptors or dev tools.
 * - the adaptors the runtime links: lib/build/bundle-adaptors.ts.
 */
export const CLI_ENTRIES = {
  'primero-ona': 'lib/cli/main.ts',
  'batch-worker': 'lib/host/runner/batch-worker-main.ts',
  dev: 'dev/cli.ts',
  'platform-cost-child': 'dev/bench/platform-cost-child.ts',
} as const;

export const CLI_DIR = 'cli';
export const CLI_METAFILE = 'meta.json';

/**
 * Libraries the CLI bundles rather than imports: zod is some 250 module files,
 * which Node resolves and reads one by one at every start (about a third of
 * `status`'s own time); bundled, it is part of one chunk. Every other library
 * stays in node_modules, imported as it is.
 */
const BUNDLED = new Set(['zod']);

async function externals(root: string, bundled: ReadonlySet<string>): Promise<string[]> {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !bundled.has(n));
  return names.flatMap((n) => [n, `${n}/*`]);
}

/**
 * A module that finds files beside its source (`new URL('../x', import.meta.url)`:
 * migrations, the dashboard's page) must find them from the bundle too: its
 * `import.meta.url` becomes its source file's URL, relative to the folder the
 * bundle runs from. Every output of the CLI build lands in that one folder.
 */
function sourceImportMetaUrl(runsFrom: string): Plugin {
  return {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const relative = path.relative(runsFrom, args.path).split(path.sep).join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

const projectFiles = (metafile: Metafile, root: string): string[] =>
  Object.keys(metafile.inputs)
    .map((p) => path.resolve(root, p))
    .filter((p) => !p.includes(`${path.sep}node_modules${path.sep}`));

/**
 * Writes the CLI and the adaptors into `outDir` (a staging folder that
 * becomes `finalDir`). Returns the project files bundled, for the build's
 * freshness record.
 */
export async function bundleCli(root: string, outDir: string, finalDir: string): Promise<string[]> {
  const cli = build({
    ...NODE_ESM_BUNDLE,
    external: await externals(root, BUNDLED),
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(CLI_ENTRIES).map(([name, file]) => [name, path.join(root, file)])),
    outdir: path.join(outDir, CLI_DIR),
    splitting: true,
    chunkNames: '[name]-[hash]',
    // Linked maps: a stack trace under --verbose names the TypeScript source.
    sourcemap: 'linked',
    plugins: [sourceImportMetaUrl(path.join(finalDir, CLI_DIR))],
  });
  await mkdir(outDir, { recursive: true });
  try {
    const results = await Promise.all([cli, ...bundleAdaptors(root, outDir)]);
    // Which sources each output holds: a test reads it to check what a command loads.
    await writeFile(path.join(outDir, CLI_DIR, CLI_METAFILE), JSON.stringify(results[0]!.metafile));
    return results.flatMap((r) => projectFiles(r.metafile, root));
  } catch (e) {
    const first = (e as Partial<BuildFailure>).errors?.[0];
    if (!first) throw e;
    const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}` : 'the CLI';
    throw new UserError(`${where}: ${first.text}`, 'fix the source and build again');
  }
}
