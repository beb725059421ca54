// Batch workflow, step 1 (primero): one page of each query the message has
// not finished (indicator 4.8, indicator 4.11a, and the narrow membership
// query), at most two requests at a time; on a run's first batch also
// Primero's lookups, forms and locations, so labels are current each run. A
// Primero that fails past the job's retries is handed on as the batch's
// failure, for upsert to record.
import { readMessage, readBatch, handOnBatch } from './operations/fetch.ts';

export default [readMessage, readBatch, handOnBatch];
