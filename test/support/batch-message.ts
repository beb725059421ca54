import { firstCursor, type BatchMessage } from '../../lib/core/messages.ts';

/** The run id of the sample messages. */
export const SAMPLE_RUN_ID = '0b7d2f4e-8a51-4c1e-9d7a-2f3b4c5d6e7f';

/**
 * A valid batch message (what the inbox takes and a batch starts from): run,
 * Q1 2024 window, every query at its first page of `per`. Without
 * `dryRun`, as a poster may send it (the schema defaults it to false).
 */
export function sampleMessage(over: Partial<BatchMessage> = {}, per = 1000): Omit<BatchMessage, 'dryRun'> & { dryRun?: boolean } {
  return {
    runId: SAMPLE_RUN_ID,
    batch: 1,
    window: { from: '2024-01-01T00:00:00Z', to: '2024-04-01T00:00:00Z' },
    queries: { indicator_4_8: firstCursor(per), indicator_4_11a: firstCursor(per), membership: firstCursor(per) },
    ...over,
  };
}
