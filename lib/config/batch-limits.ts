import { UserError } from '../errors.ts';
import type { BatchLimits } from '../host/runner/isolated-runner.ts';

/**
 * The limits each workflow run (the start, then each batch) runs under in its
 * worker thread: BATCH_TIMEOUT_SECONDS (default 300, the OpenFn platform's run
 * limit) and BATCH_MEMORY_MB (default 256: a batch of a 1000-case page holds
 * a few MB of state; the whole sync ran within a 160 MB heap in-process).
 */
export const DEFAULT_BATCH_LIMITS: BatchLimits = { timeoutSeconds: 300, memoryMb: 256 };

/** Below this a worker cannot even load the runtime and the jobs. */
const MIN_MEMORY_MB = 64;

export function loadBatchLimits(env: NodeJS.ProcessEnv): BatchLimits {
  const read = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new UserError(`${name} is not valid: expected a whole number of at least ${min}`, `unset ${name} for the default (${fallback})`);
    return value;
  };
  return {
    timeoutSeconds: read('BATCH_TIMEOUT_SECONDS', DEFAULT_BATCH_LIMITS.timeoutSeconds, 1),
    memoryMb: read('BATCH_MEMORY_MB', DEFAULT_BATCH_LIMITS.memoryMb, MIN_MEMORY_MB),
  };
}
