import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../log/logger.ts';
import { UserError, isUserError } from '../../errors.ts';
import { compileJob, processCompileCache, type CompileCache } from './compile-job.ts';
import { parseAdaptorSpecifier } from './adaptor-specifier.ts';
import type { JsonObject, LoadedPlan } from './types.ts';

/** A job step's runtime-ready code. */
export interface CompiledStep {
  code: string;
  /** Back to the TypeScript, for a job compiled here; none for a built job. */
  sourceMap?: JsonObject | undefined;
}

/** Step id -> compiled code, for every step that has an expression. */
export type CompiledSteps = Map<string, CompiledStep>;

/** A built job (`npm run build`: dist/jobs/*.js) is already in the shape OpenFn's compiler leaves a job in. */
const isBuiltJob = (file: string | undefined): file is string => file !== undefined && /\.(m?js)$/.test(file);

/**
 * Compiles every job step of the plan. A built JavaScript job is handed to the
 * runtime as it is: its only import is its adaptor and it star-exports it, so
 * the runtime finds the adaptor's `execute` (primero's login, postgres's
 * connect/end) as on the platform. A TypeScript job (`run` on a job of your
 * own) is bundled first and, like OpenFn's compiler, made to re-export its
 * (first) adaptor; exports the job declares itself take precedence.
 */
export async function compileSteps(plan: LoadedPlan, logger: Logger, cache: CompileCache = processCompileCache): Promise<CompiledSteps> {
  const jobs = plan.steps.filter((step) => step.kind === 'job');
  // esbuild builds run in its own process: compiling the jobs side by side takes about as long as the slowest.
  const results = await Promise.allSettled(
    jobs.map(async (step) => {
      if (isBuiltJob(step.expressionPath)) return { code: await readFile(step.expressionPath, 'utf8'), sourceMap: undefined, built: true };
      const started = Date.now();
      const compiled = await compileJob(
        step.expressionPath ? { file: step.expressionPath } : { source: step.expressionSource ?? '', resolveDir: plan.dir, name: `${path.basename(plan.path)} (inline step ${step.id})` },
        cache,
      );
      logger.debug(`compiled step ${step.id} in ${Date.now() - started}ms`);
      return { ...compiled, built: false };
    }),
  );
  const out: CompiledSteps = new Map();
  // Errors in plan order: the first step that does not compile is the one reported.
  jobs.forEach((step, i) => {
    const r = results[i]!;
    if (r.status === 'rejected') {
      const e: unknown = r.reason;
      if (isUserError(e)) throw new UserError(`step "${step.id}" does not compile: ${e.message}`, e.hint);
      throw e;
    }
    const [adaptor] = step.adaptors;
    const reexport = adaptor && !r.value.built ? `\nexport * from ${JSON.stringify(parseAdaptorSpecifier(adaptor).name)};\n` : '';
    out.set(step.id, { code: r.value.code + reexport, sourceMap: r.value.sourceMap });
  });
  return out;
}
