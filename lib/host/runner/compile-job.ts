import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildFailure, type Message } from 'esbuild';
import { UserError } from '../../errors.ts';
import { DEFAULT_COMPILE_CACHE_DIR, readCompiled, writeCompiled } from './compile-disk-cache.ts';
import { displayPath } from './read-json-file.ts';
import type { JsonObject } from './types.ts';

/**
 * Compiles one TypeScript (or JS) job into a single ESM source string for the
 * runtime: pure code it imports (lib/, zod) is bundled in; every `@openfn/*`
 * import stays external so the runtime's linker supplies the adaptors, as it does
 * for jobs compiled by OpenFn's own compiler.
 */
export type JobSource =
  | { file: string }
  /** Inline code from a workflow step; relative imports resolve from `resolveDir`; `name` labels it in errors. */
  | { source: string; resolveDir: string; name: string };

export interface CompiledJob {
  /** ESM module source whose default export is the array of operations. */
  code: string;
  /** Source map (v3 JSON) from `code` back to the TypeScript sources. */
  sourceMap: JsonObject;
  /** Absolute paths of the project files bundled in (node_modules excluded). */
  inputs: string[];
}

interface CacheEntry {
  result: CompiledJob;
  /** mtime of every bundled project file when compiled: any change invalidates. */
  mtimes: Map<string, number>;
}

export interface CompileCache {
  readonly entries: Map<string, CacheEntry>;
  /** Also keep compiled jobs in this folder, across processes (compile-disk-cache.ts). */
  readonly dir?: string | undefined;
  /** esbuild builds run, compiles served from memory, and from the folder. */
  readonly stats: { builds: number; hits: number; diskHits: number };
}

export const createCompileCache = (options: { dir?: string } = {}): CompileCache => ({
  entries: new Map(),
  ...(options.dir ? { dir: options.dir } : {}),
  stats: { builds: 0, hits: 0, diskHits: 0 },
});

/** One cache per process: a long-running sync compiles each job once, not once per batch; and on disk, once per change. */
export const processCompileCache: CompileCache = createCompileCache({ dir: DEFAULT_COMPILE_CACHE_DIR });

/** Bundled dependencies (zod) change only with the lockfile: it is an input of every job on disk. */
const LOCKFILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../package-lock.json');

export async function compileJob(job: JobSource, cache: CompileCache = processCompileCache): Promise<CompiledJob> {
  const key = 'file' in job ? path.resolve(job.file) : `inline:${job.resolveDir}:${createHash('sha1').update(job.source).digest('hex')}`;
  const cached = cache.entries.get(key);
  if (cached && (await isFresh(cached))) {
    cache.stats.hits++;
    return cached.result;
  }
  const stored = cache.dir ? await readCompiled(cache.dir, key) : undefined;
  if (stored) {
    cache.stats.diskHits++;
    const result = { ...stored, inputs: stored.inputs.filter((f) => f !== LOCKFILE) };
    cache.entries.set(key, { result, mtimes: await readMtimes(result.inputs) });
    return result;
  }
  cache.stats.builds++;
  const result = await runEsbuild(job);
  cache.entries.set(key, { result, mtimes: await readMtimes(result.inputs) });
  if (cache.dir) await writeCompiled(cache.dir, key, { ...result, inputs: [...result.inputs, ...(existsSync(LOCKFILE) ? [LOCKFILE] : [])] });
  return result;
}

async function runEsbuild(job: JobSource): Promise<CompiledJob> {
  const cwd = process.cwd();
  const entryName = path.resolve('file' in job ? job.file : path.join(job.resolveDir, job.name));
  // Never written: esbuild needs an output name to emit an external source map.
  const outfile = `${entryName.replace(/\.[^.]+$/, '')}.compiled.mjs`;
  try {
    const result = await build({
      ...('file' in job
        ? { entryPoints: [entryName] }
        : { stdin: { contents: job.source, resolveDir: job.resolveDir, sourcefile: job.name, loader: 'ts' as const } }),
      absWorkingDir: cwd,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      external: ['@openfn/*'],
      loader: { '.ojs': 'js' },
      write: false,
      outfile,
      sourcemap: 'external',
      sourcesContent: true,
      metafile: true,
      logLevel: 'silent',
    });
    const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'))?.text;
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'))?.text;
    if (code === undefined || map === undefined) throw new Error('esbuild produced no output');
    const inputs = Object.keys(result.metafile.inputs)
      .map((p) => path.resolve(cwd, p))
      // Inline code has no file to watch; node_modules do not change during a run.
      .filter((p) => ('file' in job || p !== entryName) && !p.includes(`${path.sep}node_modules${path.sep}`) && !p.startsWith('<'));
    return { code, sourceMap: JSON.parse(map) as JsonObject, inputs };
  } catch (e) {
    if (isBuildFailure(e)) throw compileError(e.errors, entryName);
    throw e;
  }
}

/** `jobs/fetch.ts:12:5: Expected ";" but found "x"` — file and line of the TypeScript source. */
function compileError(errors: Message[], entry: string): UserError {
  const [first] = errors;
  const loc = first?.location;
  const where = loc ? `${displayPath(path.resolve(loc.file))}:${loc.line}:${loc.column + 1}` : displayPath(entry);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return new UserError(`${where}: ${first?.text ?? 'compile error'}${more}`, `fix the job source; paths are relative to ${process.cwd()}`);
}

const isBuildFailure = (e: unknown): e is BuildFailure =>
  e instanceof Error && Array.isArray((e as Partial<BuildFailure>).errors);

async function readMtimes(files: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const f of files) out.set(f, (await stat(f)).mtimeMs);
  return out;
}

async function isFresh(entry: CacheEntry): Promise<boolean> {
  for (const [file, mtime] of entry.mtimes) {
    try {
      if ((await stat(file)).mtimeMs !== mtime) return false;
    } catch {
      return false;
    }
  }
  return true;
}
