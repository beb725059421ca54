// Batch workflow, step 1 (primero): one page of each query the message has
// not finished (indicator 4.8, indicator 4.11a, and the narrow membership
// query), at most two requests at a time; on a run's first batch also
// Primero's lookups, forms and locations, so labels are current each run.
import { readMessage, readPages, readReference, handOnBatch } from './operations/fetch.ts';

export default [readMessage, readPages, readReference, handOnBatch];
