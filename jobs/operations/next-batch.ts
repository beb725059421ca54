import { fn, fnIf, sql } from '@openfn/language-postgresql';
import { parseAt, UpsertedBatch, type NextBatch } from '../../lib/core/job-states.ts';
import { COMPLETE_RUN } from '../../lib/core/bookmark.ts';
import { batchesLeft } from '../../lib/core/paging.ts';

type S = Record<string, any>;
const upserted = (s: S): UpsertedBatch => s.upserted;

export const readUpserted = fn((s: S) => ({ ...s, upserted: parseAt(UpsertedBatch, s.data, 'next-batch input'), data: null }));

export const closeRunWhenDone = fnIf(
  (s: S) => upserted(s).next === null && !upserted(s).message.dryRun && !upserted(s).duplicate,
  sql((s: S) => ({ text: COMPLETE_RUN, values: [upserted(s).message.runId] })),
);

export const handOnNext = fn((s: S) => {
  const { message, next, advanced, counts, duplicate } = upserted(s);
  const out: NextBatch = {
    message: next,
    outcome: {
      runId: message.runId,
      batch: message.batch,
      batchesLeft: next === null ? 0 : batchesLeft(advanced),
      counts,
      // A repeated delivery leaves the run where its first delivery did.
      complete: next === null && !duplicate,
      dryRun: message.dryRun,
    },
  };
  return { data: out };
});
