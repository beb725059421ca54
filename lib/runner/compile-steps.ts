import path from 'node:path';
import type { Logger } from '../log/logger.ts';
import { UserError, isUserError } from '../cli/user-error.ts';
import { compileJob, processCompileCache, type CompileCache } from './compile-job.ts';
import { parseAdaptorSpecifier } from './adaptor-specifier.ts';
import type { JsonObject, LoadedPlan } from './types.ts';

/** A job step's runtime-ready code. */
export interface CompiledStep {
  code: string;
  sourceMap: JsonObject;
}

/** Step id -> compiled code, for every step that has an expression. */
export type CompiledSteps = Map<string, CompiledStep>;

/**
 * Compiles every job step of the plan. Like OpenFn's compiler, the job module
 * re-exports its (first) adaptor, so the runtime finds the adaptor's `execute`
 * (primero's login, postgres's connect/end) around the operations; exports the
 * job declares itself take precedence over the star export.
 */
export async function compileSteps(plan: LoadedPlan, logger: Logger, cache: CompileCache = processCompileCache): Promise<CompiledSteps> {
  const jobs = plan.steps.filter((step) => step.kind === 'job');
  // esbuild builds run in its own process: compiling the jobs side by side takes about as long as the slowest.
  const results = await Promise.allSettled(
    jobs.map(async (step) => {
      const started = Date.now();
      const compiled = await compileJob(
        step.expressionPath ? { file: step.expressionPath } : { source: step.expressionSource ?? '', resolveDir: plan.dir, name: `${path.basename(plan.path)} (inline step ${step.id})` },
        cache,
      );
      logger.debug(`compiled step ${step.id} in ${Date.now() - started}ms`);
      return compiled;
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
    const reexport = adaptor ? `\nexport * from ${JSON.stringify(parseAdaptorSpecifier(adaptor).name)};\n` : '';
    out.set(step.id, { code: r.value.code + reexport, sourceMap: r.value.sourceMap });
  });
  return out;
}
