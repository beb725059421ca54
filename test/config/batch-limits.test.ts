import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_LIMITS, loadBatchLimits } from '../../lib/config/batch-limits.ts';
import { isUserError } from '../../lib/errors.ts';

describe('loadBatchLimits', () => {
  it('defaults to the platform run limit and a heap sized for a 1000-case page', () => {
    expect(loadBatchLimits({})).toEqual({ timeoutSeconds: 300, memoryMb: 256 });
    expect(loadBatchLimits({ BATCH_TIMEOUT_SECONDS: '', BATCH_MEMORY_MB: ' ' })).toEqual(DEFAULT_BATCH_LIMITS);
  });

  it('reads BATCH_TIMEOUT_SECONDS and BATCH_MEMORY_MB', () => {
    expect(loadBatchLimits({ BATCH_TIMEOUT_SECONDS: '900', BATCH_MEMORY_MB: '512' })).toEqual({ timeoutSeconds: 900, memoryMb: 512 });
  });

  it.each([
    ['BATCH_TIMEOUT_SECONDS', 'abc', /^BATCH_TIMEOUT_SECONDS is not valid: expected a whole number of at least 1$/],
    ['BATCH_TIMEOUT_SECONDS', '0', /^BATCH_TIMEOUT_SECONDS is not valid/],
    ['BATCH_TIMEOUT_SECONDS', '2.5', /^BATCH_TIMEOUT_SECONDS is not valid/],
    ['BATCH_MEMORY_MB', '32', /^BATCH_MEMORY_MB is not valid: expected a whole number of at least 64$/],
    ['BATCH_MEMORY_MB', '1e3x', /^BATCH_MEMORY_MB is not valid/],
  ])('%s=%s is one line naming the setting', (name, value, line) => {
    let error: unknown;
    try {
      loadBatchLimits({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(line);
  });
});
