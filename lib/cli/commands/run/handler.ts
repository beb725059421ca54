import path from 'node:path';
import type { Logger } from '../../../log/logger.ts';
import { loadPlan } from '../../../host/runner/load-plan.ts';
import { resolveStepRange } from '../../../host/runner/step-range.ts';
import { applyCredentials, loadCredentialMap } from '../../../host/runner/apply-credentials.ts';
import { compileSteps } from '../../../host/runner/compile-steps.ts';
import { adaptorModules, ensureTypeScriptAdaptors } from '../../../host/runner/adaptor-modules.ts';
import { executePlan, type RunnerEvent } from '../../../host/runner/execute-plan.ts';
import { loadInputState } from './load-state.ts';
import { defaultOutputPath, serializeOutput } from './serialize-output.ts';
import { oneLine, reportFailures } from './report-failures.ts';
import type { RunOptions } from './options.ts';
import { cachedInputFor, startStepCache } from './step-cache.ts';

/**
 * `primero-ona run`: the OpenFn CLI's execute, step by step. Throws a UserError
 * (one line, non-zero exit) on bad input and when any step failed.
 */
export async function runHandler(options: RunOptions, logger: Logger): Promise<void> {
  const loaded = await loadPlan(options.workflowPath, logger);
  const range = resolveStepRange(loaded, options);
  const credentials = options.credentialsPath ? await loadCredentialMap(path.resolve(options.credentialsPath)) : undefined;
  const plan = applyCredentials(loaded, credentials, logger);
  // --start/--only without -s: the upstream step's cached output, as the OpenFn CLI does.
  const explicitStart = options.only ?? options.start;
  const cached = options.statePath === undefined && explicitStart !== undefined && range.start ? await cachedInputFor(loaded, range.start, logger) : undefined;
  const input = cached ?? (await loadInputState(options.statePath));
  const cacheStep = options.cacheSteps ? await startStepCache(loaded, logger) : undefined;
  const compiled = await compileSteps(plan, logger);

  ensureTypeScriptAdaptors();
  const result = await executePlan(plan, compiled, input, {
    modules: adaptorModules(plan.adaptorPaths),
    logger,
    ...range,
    onEvent: (event) => logProgress(event, logger),
    timeoutMs: options.timeoutMs,
    onStepOutput: cacheStep,
  });

  const target = options.outputStdout ? 'stdout' : { file: path.resolve(options.outputPath ?? defaultOutputPath(options.workflowPath)) };
  const written = await serializeOutput(result.state, target, logger);
  reportFailures(result.failures, written);
}

function logProgress(event: RunnerEvent, logger: Logger): void {
  if (event.type === 'step-complete') logger.info(`step ${event.stepId} completed in ${event.durationMs}ms`);
  else if (event.type === 'step-error') logger.error(`step ${event.stepId} failed after ${event.durationMs}ms: ${oneLine(event.failure.message)}`);
}
