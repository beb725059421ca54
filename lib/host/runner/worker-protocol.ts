import type { LogLevel } from '../../log/logger.ts';
import type { CredentialMap } from './apply-credentials.ts';
import type { ExecuteResult, RunnerEvent } from './execute-plan.ts';
import type { State } from './types.ts';

/**
 * What crosses the boundary between the main thread and a batch's worker
 * thread (isolated-runner.ts <-> batch-worker-main.ts). Plain data only: state
 * is JSON, events carry ids and timings, log lines are the lines the main
 * thread's logger would have been given in-process.
 */
export interface WorkerSetup {
  workflowPath: string;
  timeoutMs?: number | undefined;
  stateLimitMb?: number | undefined;
}

export type ToWorker = {
  type: 'execute';
  id: number;
  input: State;
  start?: string | undefined;
  end?: string | undefined;
  only?: string | undefined;
  credentials?: CredentialMap | undefined;
  databasePoolMax?: number | undefined;
  /** Send each completed step's output state back (`run --cache-steps`). */
  stepOutputs: boolean;
};

export type FromWorker =
  | { type: 'ready' }
  | { type: 'setup-error'; message: string; hint?: string | undefined; userError: boolean }
  | { type: 'log'; level: Exclude<LogLevel, 'silent'>; names: string[]; message: string }
  | { type: 'event'; id: number; event: RunnerEvent }
  | { type: 'step-output'; id: number; stepId: string; state: State }
  | { type: 'result'; id: number; result: ExecuteResult }
  | { type: 'execute-error'; id: number; message: string; hint?: string | undefined; userError: boolean };
