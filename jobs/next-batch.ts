// Job 3: from each query's cursor (Primero's metadata.total, page and size),
// post the message that starts the next batch, or close the run.
import { fn, fnIf, sql } from '@openfn/language-postgresql';
import { parseAt, UpsertedBatch, type BatchOutcome } from '../lib/sync/job-states.ts';
import { COMPLETE_RUN } from '../lib/sync/ledger-sql.ts';
import { batchesLeft, nextMessage } from '../lib/sync/paging.ts';
import { postToInbox } from './operations/post-to-inbox.ts';

type S = Record<string, any>;

export default [
  fn((state: S) => {
    const batch = parseAt(UpsertedBatch, state.data, 'next-batch input');
    return { ...state, batch, next: nextMessage(batch.message, batch.advanced) };
  }),
  fnIf(
    (state: S) => state.next !== null,
    fn((state: S) => postToInbox(state, state.next)),
  ),
  fnIf((state: S) => state.next === null && !state.batch.message.dryRun, sql((state: S) => ({ text: COMPLETE_RUN, values: [state.batch.message.runId] }))),
  fn((state: S): S => {
    const outcome: BatchOutcome = {
      runId: state.batch.message.runId,
      batch: state.batch.message.batch,
      batchesLeft: state.next === null ? 0 : batchesLeft(state.batch.advanced),
      counts: state.batch.counts,
      complete: state.next === null,
      dryRun: state.batch.message.dryRun,
    };
    return { outcome };
  }),
];
