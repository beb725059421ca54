import { BatchMessage, MAX_PAGE_SIZE, Queries, SyncWindow } from './messages.ts';
import { array, boolean, int, isoDatetime, nullable, object, oneOf, optional, record, string, unknown, uuid, type Infer } from './schema.ts';

/**
 * What each job hands the next, checked where it is read. Case records cross
 * one boundary only (fetch -> upsert); after upsert the state holds counts and
 * cursors, never personal data. Each job imports only the schemas it reads, so
 * its built file carries only those.
 */

/** A running run with no batch committed for this long has a stopped chain (a lost webhook, a killed worker): the next start resumes it. */
export const DEFAULT_STALLED_AFTER_MINUTES = 60;

/**
 * What starts a run (`init`'s `state.data`). The daily cron gives nothing (on
 * Lightning: the last start's output, whose keys are ignored): a run opens only
 * when the quarter's is due. `primero-ona sync` asks for one now.
 */
export const StartRequest = object({
  since: optional(isoDatetime()),
  /** Cases per Primero page; else the ONA credential's `pageSize`, else DEFAULT_PAGE_SIZE. */
  pageSize: optional(int(1, MAX_PAGE_SIZE)),
  dryRun: optional(boolean(), false),
  overlapSeconds: optional(int(0), 60),
  /** `due`: open a run only when the quarter's is due; `now`: open (or resume) one whatever the date. */
  when: optional(oneOf('due', 'now'), 'due'),
  stalledAfterMinutes: optional(int(1), DEFAULT_STALLED_AFTER_MINUTES),
  // The previous start's output, handed back by Lightning's cron: not a request.
  run: unknown(),
  message: unknown(),
  skipped: unknown(),
  posted: unknown(),
});
export type StartRequest = Infer<typeof StartRequest>;

export const RunInfo = object({
  runId: uuid(),
  resumed: boolean(),
  window: SyncWindow,
  /** The batch the run (re)starts at. */
  batch: int(1),
  dryRun: boolean(),
});
export type RunInfo = Infer<typeof RunInfo>;

/** What init hands next-batch: the first message to post and the run it belongs to; or why nothing runs. */
export const StartOutcome = object(
  {
    message: nullable(BatchMessage),
    run: nullable(RunInfo),
    /** When no run starts: why (for logs and `status`). */
    skipped: nullable(string()),
  },
  false,
);
export type StartOutcome = Infer<typeof StartOutcome>;

/** Primero's lookups, forms and locations as fetch read them on a run's first batch; null where Primero refused. */
export const FetchedReference = object({
  lookups: nullable(array(unknown())),
  forms: nullable(array(unknown())),
  locations: nullable(array(unknown())),
});
export type FetchedReference = Infer<typeof FetchedReference>;

/** A failed step in one line (no personal data, no credential), and its kind: whether trying again soon may help, or the credentials were refused. */
export const StepFailure = object({ step: string(), error: string(), kind: oneOf('transient', 'refused', 'permanent') });
export type StepFailure = Infer<typeof StepFailure>;

/**
 * fetch -> upsert. A Primero record crosses as an object: its fields are the
 * mapping's to judge (it rejects or nulls each bad value with a reason), so the
 * boundary checks the shape only, without walking every key of every record.
 */
export const FetchedBatch = object({
  message: BatchMessage,
  /** The cursors once this batch's pages are read. */
  advanced: Queries,
  cases: array(record()),
  withoutId: array(record()),
  /** Cases to remove from `cases` (lib/core/removals.ts). */
  removals: array(object({ primero_id: uuid(), seen_at: isoDatetime(), reason: oneOf('left', 'disabled') })),
  duplicates: int(0),
  /** The run's first batch (and every batch of a dry run): Primero's reference data; else null. */
  reference: nullable(FetchedReference),
  /** What fetch noticed and the run's people should read (a page without metadata, a refused lookup). */
  warnings: array(string()),
  /** Set when fetch could not read its pages: upsert records it as the run's failure and writes nothing. */
  failure: optional(StepFailure),
});
export type FetchedBatch = Infer<typeof FetchedBatch>;

export const BatchCounts = object({
  /** Cases this batch wrote that no earlier batch of its run had written. */
  cases: int(0),
  services: int(0),
  /** Records not loaded (sync_rejects kind rejected). */
  rejects: int(0),
  /** Values loaded as NULL (sync_rejects kind nulled). */
  nulled: int(0),
  /** Cases removed because they left both indicators. */
  removed: int(0),
  /** Cases removed because Primero disabled them. */
  removedDisabled: int(0),
});
export type BatchCounts = Infer<typeof BatchCounts>;

/** The batch workflow's outcome, read by the CLI. */
export const BatchOutcome = object({
  runId: uuid(),
  batch: int(1),
  batchesLeft: int(0),
  counts: BatchCounts,
  /** The run is complete (this batch closed it, or it had been closed before this repeated delivery). */
  complete: boolean(),
  dryRun: boolean(),
  /** A repeated delivery of a batch already committed: nothing was written, and nothing follows from it. */
  duplicate: boolean(),
});
export type BatchOutcome = Infer<typeof BatchOutcome>;

/** What upsert hands next-batch: the message of the batch after this one (null: nothing to post) and the outcome. */
export const UpsertedBatch = object({ message: nullable(BatchMessage), outcome: BatchOutcome }, false);
export type UpsertedBatch = Infer<typeof UpsertedBatch>;
