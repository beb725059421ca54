// Batch workflow, step 2 (postgresql): map the batch's cases and services
// (ona-mapping.md) and write them, the records that could not be loaded, and
// the run's bookmark, in one transaction. A case's services are replaced as a
// whole; cases Primero disabled and cases that left both indicators are
// removed. A dry run reads and maps, and writes nothing; so does a repeated
// delivery of a batch already committed.
import {
  readBatch,
  begin,
  refreshReference,
  loadReference,
  planTheBatch,
  settleCaseIds,
  removeCases,
  writeCases,
  writeServices,
  recordNotes,
  moveBookmark,
  commit,
  handOnCounts,
} from './operations/upsert.ts';

export default [
  readBatch,
  ...begin,
  ...refreshReference,
  ...loadReference,
  planTheBatch,
  ...settleCaseIds,
  ...removeCases,
  ...writeCases,
  ...writeServices,
  ...recordNotes,
  ...moveBookmark,
  ...commit,
  handOnCounts,
];
