import { readFile } from 'node:fs/promises';
import type { Logger } from '../../log/logger.ts';
import { instanceOf } from './job-instances.ts';
import { createJobLogger } from './runtime-logger.ts';
import { adaptorModules } from './adaptor-modules.ts';
import { applyCredentials, type CredentialMap } from './apply-credentials.ts';
import { executePlan, type BuiltJobs, type ExecuteResult, type RunnerEvent } from './execute-plan.ts';
import { loadPlan } from './load-plan.ts';
import { resolveStepRange, type StepSelection } from './step-range.ts';
import type { LoadedPlan, State } from './types.ts';

export interface RunnerOptions {
  /** Path of the workflow.json (OpenFn CLI format). */
  workflowPath: string;
  logger: Logger;
  /** Credential id -> configuration for every execution that does not bring its own. */
  credentials?: CredentialMap | undefined;
  /** Per-step timeout when the workflow sets none. */
  timeoutMs?: number | undefined;
  /** The runtime's check of each step's state size (MB; 0 = off); the runtime's default when unset. */
  stateLimitMb?: number | undefined;
}

export interface ExecuteOptions extends StepSelection {
  /** Credential id -> configuration, for steps whose `configuration` is an id. */
  credentials?: CredentialMap | undefined;
  /** Progress per step (ids, timings, error messages; never state). */
  onEvent?: ((event: RunnerEvent) => void | Promise<void>) | undefined;
  /** Each completed step's output state (`run --cache-steps`); not for logs: state may hold personal data. */
  onStepOutput?: ((stepId: string, state: State) => void | Promise<void>) | undefined;
}

export interface Runner {
  /** The loaded workflow. */
  readonly plan: LoadedPlan;
  /**
   * Imports the adaptors and instantiates the jobs ahead of the first run.
   * A job that cannot be loaded is left for its run to report.
   */
  warm(): Promise<void>;
  /**
   * Runs the workflow (or the selected part) on `input` through @openfn/runtime.
   * Resolves with the final state and the failed steps; it rejects only on
   * programming errors, never because a job failed. Bad --start/--only/--end
   * names are a UserError.
   */
  execute(input?: State, options?: ExecuteOptions): Promise<ExecuteResult>;
}

/**
 * Loads a workflow and its built jobs once, then executes it as many times as
 * asked (the sync, once per inbox message). It runs in a batch's worker thread
 * (batch-worker-main.ts): the host itself never loads the runtime.
 */
export async function createRunner(options: RunnerOptions): Promise<Runner> {
  const { logger } = options;
  const plan = await loadPlan(options.workflowPath, logger);
  const jobs: BuiltJobs = new Map();
  for (const step of plan.steps) if (step.kind === 'job') jobs.set(step.id, { code: await readFile(step.expressionPath, 'utf8') });
  const modules = adaptorModules(plan.adaptorPaths);
  return {
    plan,
    async warm() {
      // One after another, in the workflow's order: the first step's adaptor is ready first.
      for (const [stepId, job] of jobs) await instanceOf(job, modules, createJobLogger(logger, () => stepId)).catch(() => {});
    },
    async execute(input: State = { data: {}, configuration: {} }, selection: ExecuteOptions = {}): Promise<ExecuteResult> {
      const range = resolveStepRange(plan, selection);
      const withCredentials = applyCredentials(plan, selection.credentials ?? options.credentials, logger);
      return executePlan(withCredentials, jobs, input, { modules, logger, ...range, onEvent: selection.onEvent, onStepOutput: selection.onStepOutput, timeoutMs: options.timeoutMs, stateLimitMb: options.stateLimitMb });
    },
  };
}

export type { ExecuteResult, RunnerEvent, StepFailure } from './execute-plan.ts';
export type { CredentialMap } from './apply-credentials.ts';
export type { LoadedPlan, State, TriggerStep, JobStep, PlanStep } from './types.ts';
