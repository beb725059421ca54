import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build, transform, type BuildFailure, type Plugin } from 'esbuild';
import { UserError } from '../errors.ts';
import { toOpenFnShape } from './openfn-shape.ts';

/**
 * Builds one TypeScript job into the JavaScript OpenFn runs: every project
 * module and library it uses inlined (the platform lets a job import its
 * adaptor and nothing else), ES2018 (the compiler's scope analysis fails on
 * newer syntax such as an optional catch binding), ending in the adaptor's
 * star export and `export default <operations>`.
 */
export interface BuiltJob {
  code: string;
  /** Absolute paths of the project files bundled in (node_modules excluded). */
  inputs: string[];
}

/**
 * SQL text as the database reads it: the statements in lib/sql keep their
 * layout and comments for people; a job carries them with comments dropped
 * and whitespace collapsed (a third of their size).
 */
export function compactSql(source: string): string {
  return source.replace(/`([^`]*)`/g, (_, text: string) => `\`${text.replace(/--[^\n]*/g, '').replace(/\s+/g, ' ').trim()}\``);
}

/** lib/sql/*.ts with its SQL compacted; TypeScript comments are dropped first, so only string literals are touched. */
const sqlCompacting: Plugin = {
  name: 'compact-sql',
  setup(b) {
    b.onLoad({ filter: /[\\/]lib[\\/]sql[\\/][^\\/]+\.ts$/ }, async (args) => {
      const js = await transform(await readFile(args.path, 'utf8'), { loader: 'ts', legalComments: 'none' });
      return { contents: compactSql(js.code), loader: 'js' };
    });
  },
};

export async function bundleJob(file: string, adaptor: string, root = process.cwd()): Promise<BuiltJob> {
  const entry = path.resolve(root, file);
  try {
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2018',
      mainFields: ['module', 'main'],
      external: [adaptor],
      // Less text to compile on every platform run (the errors a job throws say where and why in
      // words); the source to read and change is jobs/*.ts.
      minify: true,
      // Short lines: OpenFn's compiler (recast) took 2-8 s a job on one 50 KB line, under 1 s on 120-column lines.
      lineLimit: 120,
      legalComments: 'none',
      // Class fields assigned in the constructor, not defined through a helper: the same errors, less code.
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
      charset: 'utf8',
      metafile: true,
      logLevel: 'silent',
      plugins: [sqlCompacting],
    });
    const bundle = result.outputFiles[0]?.text;
    if (bundle === undefined) throw new Error('esbuild produced no output');
    const code = toOpenFnShape(bundle, adaptor, path.relative(root, entry));
    const inputs = Object.keys(result.metafile.inputs)
      .map((p) => path.resolve(root, p))
      .filter((p) => !p.includes(`${path.sep}node_modules${path.sep}`));
    return { code, inputs };
  } catch (e) {
    if (isBuildFailure(e)) {
      const first = e.errors[0];
      const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}` : path.relative(root, entry);
      throw new UserError(`${where}: ${first?.text ?? 'build error'}`, 'fix the job source and build again');
    }
    throw e;
  }
}

const isBuildFailure = (e: unknown): e is BuildFailure => e instanceof Error && Array.isArray((e as Partial<BuildFailure>).errors);
