// Batch workflow, step 2 (postgresql): map the batch's cases and services
// (ona-mapping.md) and write them, the records that could not be loaded, and
// the run's bookmark, in one transaction; the run's last batch closes it in
// the same transaction. A case's services are replaced as a whole; cases
// Primero disabled and cases that left both indicators are removed. A failed
// fetch, or a write that fails, is on record in the ledger at once. A dry run
// does everything and rolls it back; a repeated delivery writes nothing.
import { readBatch, begin, writeBatch, end, failWithFetch, handOnOutcome } from './operations/upsert.ts';

export default [readBatch, begin, writeBatch, end, failWithFetch, handOnOutcome];
