import run, { type NotifyEvents } from '@openfn/runtime';
import type { Logger } from '../../log/logger.ts';
import type { AdaptorModules } from './adaptor-modules.ts';
import { createEngineLogger, createJobLogger } from './runtime-logger.ts';
import { jobExpression, type BuiltJob } from './job-instances.ts';
import type { JsonObject, LoadedPlan, State } from './types.ts';

/** A step that ended in error, in one line's worth of data. */
export interface StepFailure {
  stepId: string;
  /** Runtime error class: JobError, RuntimeError, AdaptorError, RuntimeCrash, TimeoutError... */
  name: string;
  message: string;
  /** `fail` (the workflow went on along its edges), `crash` or `kill` (the run stopped). */
  severity: string;
}

/**
 * Progress events for callers (CLI progress, sync ledger). They carry ids,
 * timings and error messages only, never state: state may hold personal data.
 */
export type RunnerEvent =
  | { type: 'step-start'; stepId: string }
  | { type: 'step-complete'; stepId: string; durationMs: number; next: string[] }
  | { type: 'step-error'; stepId: string; durationMs: number; next: string[]; failure: StepFailure };

export interface ExecutePlanOptions {
  modules: AdaptorModules;
  logger: Logger;
  start?: string | undefined;
  end?: string | undefined;
  onEvent?: ((event: RunnerEvent) => void | Promise<void>) | undefined;
  /** Per-step timeout when the workflow sets none (OpenFn CLI default: 5 minutes). */
  timeoutMs?: number | undefined;
  /** Passed to the runtime: the most a step's final state may weigh (MB), 0 for no check; unset = its default (500). */
  stateLimitMb?: number | undefined;
  /** Each completed step's output state (`run --cache-steps`); not for logs: state may hold personal data. */
  onStepOutput?: ((stepId: string, state: State) => void | Promise<void>) | undefined;
}

export interface ExecuteResult {
  /**
   * The runtime's result: the final state of the one leaf step reached (or, when
   * several branches end, `{[stepId]: state}`), without `configuration`. Failed
   * steps are recorded in `state.errors[stepId]`.
   */
  state: State;
  /** Every step that failed, in order; empty when the run succeeded. */
  failures: StepFailure[];
  /** Ids of the job steps that ran, in order. */
  steps: string[];
}

export const DEFAULT_STEP_TIMEOUT_MS = 300_000;

/** Hands the plan to @openfn/runtime and reports what happened per step. */
/** Step id -> the built job it runs. */
export type BuiltJobs = Map<string, BuiltJob>;

export async function executePlan(plan: LoadedPlan, jobs: BuiltJobs, input: State, options: ExecutePlanOptions): Promise<ExecuteResult> {
  const failures: StepFailure[] = [];
  const ran: string[] = [];
  let current = 'runtime';
  let lastState: State = input;
  const timeout = stepTimeout(plan.options.timeout ?? options.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS);

  const notify = async (event: NotifyEvents, payload: unknown): Promise<void> => {
    const p = payload as { jobId: string; duration?: number; next?: string[]; state?: State; error?: unknown };
    if (event === 'job-start') {
      current = p.jobId;
      timeout.arm();
      ran.push(p.jobId);
      await options.onEvent?.({ type: 'step-start', stepId: p.jobId });
    } else if (event === 'job-complete') {
      timeout.disarm();
      if (p.state) lastState = p.state;
      if (p.state) await options.onStepOutput?.(p.jobId, p.state);
      await options.onEvent?.({ type: 'step-complete', stepId: p.jobId, durationMs: p.duration ?? 0, next: p.next ?? [] });
    } else if (event === 'job-error') {
      timeout.disarm();
      const failure = toFailure(p.jobId, p.error);
      failures.push(failure);
      if (p.state) lastState = p.state;
      await options.onEvent?.({ type: 'step-error', stepId: p.jobId, durationMs: p.duration ?? 0, next: p.next ?? [], failure });
    }
  };

  try {
    const running = run(toRuntimePlan(plan, jobs, options), jsonClone(input), {
      logger: createEngineLogger(options.logger),
      jobLogger: createJobLogger(options.logger, () => current),
      linker: { modules: options.modules },
      callbacks: { notify: notify as never },
      statePropsToRemove: ['configuration'],
      // 0 turns the runtime's own step timer off: it is never cleared when a step
      // fails, which kept the process alive for minutes. `timeout` below replaces it.
      defaultRunTimeoutMs: 0,
      ...(options.stateLimitMb !== undefined ? { stateLimitMb: options.stateLimitMb } : {}),
    });
    // A timed-out step keeps running in the background (as in the runtime); its late end must not surface.
    running.catch(() => {});
    const result = await Promise.race([running, timeout.expired]);
    return { state: (result ?? {}) as State, failures, steps: ran };
  } catch (e) {
    // crash/kill severities (adaptor import failure, timeout, failing edge condition) make run() reject
    // with no final state. Nothing ran at all: a programming error, let it surface.
    if (ran.length === 0) throw e;
    const stepId = current;
    let failure = failures.find((f) => f.stepId === stepId && f.severity !== 'fail');
    if (!failure) {
      failure = toFailure(stepId, e);
      failures.push(failure);
    }
    // Keep OpenFn's contract that a failed step is visible in state.errors[stepId].
    const { configuration: _c, ...state } = lastState;
    const { stepId: _id, ...reported } = failure;
    const errors = { ...((state.errors as JsonObject | undefined) ?? {}), [stepId]: { source: 'runtime', ...reported } };
    return { state: { ...state, errors }, failures, steps: ran };
  } finally {
    timeout.disarm();
  }
}

/** The runtime's TimeoutError, raised by our own per-step timer. */
class StepTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly severity = 'kill';
  constructor(ms: number) {
    super(`Job took longer than ${ms}ms to complete`);
  }
}

/** One timer per running step: armed at job-start, disarmed when the step ends. */
function stepTimeout(ms: number) {
  let timer: NodeJS.Timeout | undefined;
  let expire: (e: Error) => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  expired.catch(() => {}); // only observed through Promise.race
  return {
    expired,
    arm(): void {
      clearTimeout(timer);
      timer = setTimeout(() => expire(new StepTimeoutError(ms)), ms);
    },
    disarm(): void {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * The plan as the runtime takes it. Each job is instantiated once per runner
 * and handed to the runtime as its operations (job-instances.ts): the sync
 * executes the same jobs once per batch.
 */
function toRuntimePlan(plan: LoadedPlan, jobs: BuiltJobs, options: ExecutePlanOptions) {
  const steps = plan.steps.map((step) => {
    const common = { id: step.id, ...(step.name ? { name: step.name } : {}), ...(step.next !== undefined ? { next: structuredClone(step.next) } : {}) };
    if (step.kind === 'trigger') return common;
    const job = jobs.get(step.id);
    if (!job) throw new Error(`step "${step.id}" has no job`);
    return {
      ...common,
      expression: jobExpression(job, options.modules, createJobLogger(options.logger, () => step.id)),
      adaptors: step.adaptors,
      ...(step.configuration !== undefined && typeof step.configuration !== 'string' ? { configuration: structuredClone(step.configuration) } : {}),
      ...(step.state ? { state: structuredClone(step.state) } : {}),
    };
  });
  const start = options.start ?? plan.options.start;
  const end = options.end ?? plan.options.end;
  return {
    ...(plan.id ? { id: plan.id } : {}),
    workflow: {
      ...(plan.name ? { name: plan.name } : {}),
      steps,
      ...(plan.credentials ? { credentials: structuredClone(plan.credentials) } : {}),
    },
    options: {
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
    },
  } as Parameters<typeof run>[0];
}

function toFailure(stepId: string, error: unknown): StepFailure {
  const e = (error ?? {}) as { name?: unknown; message?: unknown; severity?: unknown };
  const message = typeof e.message === 'string' && e.message ? e.message : typeof error === 'string' ? error : 'unknown error';
  return {
    stepId,
    name: typeof e.name === 'string' ? e.name : 'Error',
    message,
    severity: typeof e.severity === 'string' ? e.severity : 'crash',
  };
}

/** The runtime clones state through JSON too; this keeps the caller's object untouched. */
const jsonClone = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? {})) as T;
