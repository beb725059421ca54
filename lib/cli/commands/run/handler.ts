import path from 'node:path';
import type { Logger } from '../../../log/logger.ts';
import { UserError } from '../../../errors.ts';
import { loadBatchLimits } from '../../../config/batch-limits.ts';
import { loadPlan } from '../../../host/runner/load-plan.ts';
import { resolveStepRange } from '../../../host/runner/step-range.ts';
import { loadCredentialMap } from '../../../host/runner/apply-credentials.ts';
import { BatchLimitError, createIsolatedRunner } from '../../../host/runner/isolated-runner.ts';
import type { ExecuteResult, RunnerEvent } from '../../../host/runner/runner.ts';
import { loadInputState } from './load-state.ts';
import { defaultOutputPath, serializeOutput } from './serialize-output.ts';
import { oneLine, reportFailures } from './report-failures.ts';
import type { RunOptions } from './options.ts';
import { cachedInputFor, startStepCache } from './step-cache.ts';

/**
 * `primero-ona run`: the OpenFn CLI's execute, step by step, the workflow run
 * in a worker thread under the batch limits (BATCH_TIMEOUT_SECONDS,
 * BATCH_MEMORY_MB). Throws a UserError (one line, non-zero exit) on bad input
 * and when any step failed.
 */
export async function runHandler(options: RunOptions, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const plan = await loadPlan(options.workflowPath, logger);
  const range = resolveStepRange(plan, options);
  const credentials = options.credentialsPath ? await loadCredentialMap(path.resolve(options.credentialsPath)) : undefined;
  // --start/--only without -s: the upstream step's cached output, as the OpenFn CLI does.
  const explicitStart = options.only ?? options.start;
  const cached = options.statePath === undefined && explicitStart !== undefined && range.start ? await cachedInputFor(plan, range.start, logger) : undefined;
  const input = cached ?? (await loadInputState(options.statePath));
  const cacheStep = options.cacheSteps ? await startStepCache(plan, logger) : undefined;

  const limits = loadBatchLimits(env);
  const runner = await createIsolatedRunner({ workflowPath: plan.path, logger, timeoutMs: options.timeoutMs, limits });
  let result: ExecuteResult;
  try {
    result = await runner.execute(input, { credentials, start: options.start, end: options.end, only: options.only, onEvent: (event) => logProgress(event, logger), onStepOutput: cacheStep });
  } catch (e) {
    if (e instanceof BatchLimitError) throw new UserError(`the run ${e.message}`, 'nothing was written; raise the limit or run fewer steps (--only, --start, --end)');
    throw e;
  } finally {
    await runner.close();
  }

  const target = options.outputStdout ? 'stdout' : { file: path.resolve(options.outputPath ?? defaultOutputPath(options.workflowPath)) };
  const written = await serializeOutput(result.state, target, logger);
  reportFailures(result.failures, written);
}

function logProgress(event: RunnerEvent, logger: Logger): void {
  if (event.type === 'step-complete') logger.info(`step ${event.stepId} completed in ${event.durationMs}ms`);
  else if (event.type === 'step-error') logger.error(`step ${event.stepId} failed after ${event.durationMs}ms: ${oneLine(event.failure.message)}`);
}
