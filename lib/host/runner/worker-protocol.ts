import type { LogLevel } from '../../log/logger.ts';
import type { IoKind, IoTotal } from '../../profile/io-timer.ts';
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
  credentials?: CredentialMap | undefined;
  adaptors?: Record<string, string> | undefined;
  timeoutMs?: number | undefined;
  stateLimitMb?: number | undefined;
  /** The PostgreSQL stand-in's pool size in the worker (its pools are per thread). */
  databasePoolMax?: number | undefined;
}

export type ToWorker = { type: 'execute'; id: number; input: State; start?: string | undefined; end?: string | undefined; only?: string | undefined };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'setup-error'; message: string; hint?: string | undefined; userError: boolean }
  | { type: 'log'; level: Exclude<LogLevel, 'silent'>; names: string[]; message: string }
  /** A step event, with the I/O the worker timed since its previous message (the profile's Primero and database time). */
  | { type: 'event'; id: number; event: RunnerEvent; io: Record<IoKind, IoTotal> }
  | { type: 'result'; id: number; result: ExecuteResult; io: Record<IoKind, IoTotal> }
  | { type: 'execute-error'; id: number; message: string; hint?: string | undefined; userError: boolean };
