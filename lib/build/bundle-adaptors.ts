import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type BuildResult, type Plugin } from 'esbuild';
import { INSTALLED, LINKED_CHUNKS, LINKED_DIR, STAND_INS, standInDir } from './adaptor-layout.ts';

/**
 * The adaptors the runtime's linker imports, built into dist/ in two shapes:
 *
 * - `adaptors/@openfn/language-{primero,postgresql}`: the stand-ins as
 *   installed packages. Each imports its libraries (@openfn/language-common,
 *   pg) from node_modules, as the official adaptors do on the platform; the
 *   benchmark's platform figures link these.
 * - `linked-adaptors/@openfn/language-*`: what the CLI's runner links. The
 *   same two stand-ins and the installed language-http and language-common,
 *   with the official packages' module trees pre-linked into shared chunks.
 *   Imported from node_modules, language-common alone is some 450 module
 *   files (date-fns 2 is 313 of them, undici 110), each resolved, read and
 *   compiled: about 0.3 s of a worker thread's start, before every sync's
 *   first run. Pre-linked, it is a few files and about 0.13 s. The modules
 *   are the same, and so are their instances: the stand-ins and
 *   language-common/util share one language-common, and language-http keeps
 *   the 3.3.1 it pins (test/build/linked-adaptors.test.ts).
 */

/** A build's result with its metafile: the inputs the freshness record lists. */
type Bundled = BuildResult<{ metafile: true }>;

/** How the CLI and the adaptors are bundled: ES modules for Node 20, with a metafile of their inputs. */
export const NODE_ESM_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  metafile: true,
  logLevel: 'silent',
  legalComments: 'none',
} as const;

const packageJson = ({ name, version, ...rest }: { name: string; version: string; main: string; exports?: Record<string, string> }) =>
  `${JSON.stringify({ name, version, private: true, type: 'module', ...rest }, null, 2)}\n`;

/** The stand-ins as installed packages: each imports its libraries, as the official ones do. */
function buildStandIns(root: string, outDir: string): Promise<Bundled>[] {
  return STAND_INS.map(async (a) => {
    const dir = path.join(outDir, standInDir(a.name));
    const result = await build({ ...NODE_ESM_BUNDLE, packages: 'external', absWorkingDir: root, entryPoints: [path.join(root, a.source)], outfile: path.join(dir, 'index.js') });
    // The linker reads `main` from the package folder, as it does for an installed adaptor.
    await writeFile(path.join(dir, 'package.json'), packageJson({ name: a.name, version: a.version, main: 'index.js' }));
    return result;
  });
}

const OFFICIAL = new Set<string>(INSTALLED.map((p) => p.name));
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/**
 * In the linked build, a project source (a stand-in) imports its own
 * libraries (pg, pg-format, qs) from node_modules as before; only the
 * official packages and everything they import are linked in.
 */
function linkOnlyOfficialTrees(): Plugin {
  return {
    name: 'link-only-official-trees',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point' || args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        return OFFICIAL.has(packageOf(args.path)) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

async function installedVersion(root: string, name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Spelled apart: the CLI's build rewrites that expression wherever a project source has it (bundle-cli.ts). */
const IMPORT_META_URL = ['import', 'meta', 'url'].join('.');

/** All four adaptors in one build, so that a module two of them import is one chunk and one instance. */
async function buildLinked(root: string, outDir: string): Promise<Bundled> {
  const dir = path.join(outDir, LINKED_DIR);
  const entryPoints: Record<string, string> = {};
  for (const a of STAND_INS) entryPoints[`${a.name}/index`] = path.join(root, a.source);
  for (const p of INSTALLED) for (const [file, sub] of Object.entries(p.entries)) entryPoints[`${p.name}/${file}`] = path.posix.join(p.name, sub);
  const result = await build({
    ...NODE_ESM_BUNDLE,
    absWorkingDir: root,
    entryPoints,
    outdir: dir,
    splitting: true,
    chunkNames: `${LINKED_CHUNKS}/[name]-[hash]`,
    // The linked libraries are CommonJS in part: their `require` of Node's own modules needs one in ES module scope.
    banner: { js: `import { createRequire as __linkedCreateRequire } from 'node:module'; const require = __linkedCreateRequire(${IMPORT_META_URL});` },
    plugins: [linkOnlyOfficialTrees()],
  });
  for (const a of STAND_INS) await writeFile(path.join(dir, a.name, 'package.json'), packageJson({ name: a.name, version: a.version, main: 'index.js' }));
  for (const p of INSTALLED) {
    const exports = Object.fromEntries(Object.entries(p.entries).map(([file, sub]) => [sub, `./${file}.js`]));
    await writeFile(path.join(dir, p.name, 'package.json'), packageJson({ name: p.name, version: await installedVersion(root, p.name), main: 'index.js', exports }));
  }
  return result;
}

/** Writes both shapes into `outDir`; the results carry each build's inputs for the freshness record. */
export function bundleAdaptors(root: string, outDir: string): Promise<Bundled>[] {
  return [...buildStandIns(root, outDir), buildLinked(root, outDir)];
}
