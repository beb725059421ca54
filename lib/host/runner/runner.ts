import type { Logger } from '../../log/logger.ts';
import { adaptorModules, ensureTypeScriptAdaptors, type AdaptorModules } from './adaptor-modules.ts';
import { applyCredentials, type CredentialMap } from './apply-credentials.ts';
import { compileSteps, type CompiledSteps } from './compile-steps.ts';
import { processCompileCache, type CompileCache } from './compile-job.ts';
import { executePlan, type ExecuteResult, type RunnerEvent } from './execute-plan.ts';
import { loadPlan } from './load-plan.ts';
import { resolveStepRange, type StepSelection } from './step-range.ts';
import type { LoadedPlan, State } from './types.ts';

export interface RunnerOptions {
  /** Path of the workflow.json (OpenFn CLI format). */
  workflowPath: string;
  logger: Logger;
  /** Credential id -> configuration, for steps whose `configuration` is an id. */
  credentials?: CredentialMap | undefined;
  /** Adaptor name -> package folder, over the defaults (tests use fixture adaptors). */
  adaptors?: Record<string, string> | undefined;
  /** Per-step timeout when the workflow sets none. */
  timeoutMs?: number | undefined;
  /** Compile cache; defaults to the one shared by the whole process. */
  compileCache?: CompileCache | undefined;
  /** The runtime's check of each step's state size (MB; 0 = off); the runtime's default when unset. */
  stateLimitMb?: number | undefined;
}

export interface ExecuteOptions extends StepSelection {
  /** Progress per step (ids, timings, error messages; never state). */
  onEvent?: ((event: RunnerEvent) => void | Promise<void>) | undefined;
}

export interface Runner {
  /** The loaded workflow, credentials applied; `plan.triggers` holds the cron/webhook steps. */
  readonly plan: LoadedPlan;
  /**
   * Runs the workflow (or the selected part) on `input` through @openfn/runtime.
   * Resolves with the final state and the failed steps; it rejects only on
   * programming errors, never because a job failed. Bad --start/--only/--end
   * names are a UserError.
   */
  execute(input?: State, options?: ExecuteOptions): Promise<ExecuteResult>;
}

/**
 * Loads and compiles a workflow once, then executes it as many times as asked
 * (the sync runs it once per inbox message, from step `fetch`).
 */
export async function createRunner(options: RunnerOptions): Promise<Runner> {
  const { logger } = options;
  const loaded = await loadPlan(options.workflowPath, logger);
  const plan = applyCredentials(loaded, options.credentials, logger);
  const compiled: CompiledSteps = await compileSteps(plan, logger, options.compileCache ?? processCompileCache);
  const modules: AdaptorModules = adaptorModules({ ...plan.adaptorPaths, ...options.adaptors });
  ensureTypeScriptAdaptors();

  return {
    plan,
    async execute(input: State = { data: {}, configuration: {} }, selection: ExecuteOptions = {}): Promise<ExecuteResult> {
      const range = resolveStepRange(plan, selection);
      // A runner executes its plan many times: each job is instantiated once (see job-instances.ts).
      return executePlan(plan, compiled, input, { modules, logger, ...range, onEvent: selection.onEvent, timeoutMs: options.timeoutMs, stateLimitMb: options.stateLimitMb, reuseJobInstances: true });
    },
  };
}

export type { ExecuteResult, RunnerEvent, StepFailure } from './execute-plan.ts';
export type { CredentialMap } from './apply-credentials.ts';
export type { LoadedPlan, State, TriggerStep, JobStep, PlanStep } from './types.ts';
