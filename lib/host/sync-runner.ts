import type { Logger } from '../log/logger.ts';
import { DEFAULT_BATCH_LIMITS } from '../config/batch-limits.ts';
import { createIsolatedRunner, type BatchLimits, type IsolatedRunner } from './runner/isolated-runner.ts';

/**
 * The runner a sync's workflow runs in (runner/isolated-runner.ts). Light to
 * import, so that `sync` starts it before the rest of the command loads: its
 * worker then imports the runtime, the jobs and their adaptors while the
 * command reads its settings, probes Primero and opens the database.
 */
export function createSyncRunner(options: { workflowPath: string; logger: Logger; jobLogger?: Logger | undefined; batchLimits?: BatchLimits | undefined }): Promise<IsolatedRunner> {
  return createIsolatedRunner({
    workflowPath: options.workflowPath,
    logger: options.jobLogger ?? options.logger,
    // A batch's state is bounded by the page size and fetch's maxBatchKb, and the worker's heap is
    // capped (BATCH_MEMORY_MB) far below the runtime's 500 MB state limit, so that check could never
    // fire here. It streams every step's state through json-stream-stringify: about 7% of a full
    // sync's time.
    stateLimitMb: 0,
    limits: options.batchLimits ?? DEFAULT_BATCH_LIMITS,
  });
}
