import * as z from 'zod/mini';
import { BatchMessage, describeIssues, Queries, SyncWindow } from './messages.ts';

/**
 * The state each job hands the next, validated at every job boundary. Case
 * records cross only one boundary (fetch -> upsert); after upsert the state
 * holds counts and cursors, never personal data.
 */

/**
 * What starts a run (`open-run`'s `state.data`). The daily cron gives nothing
 * (on Lightning, the last start's output, whose `run` and `message` are
 * ignored): a run opens only when the quarter's is due. `primero-ona sync`
 * asks for one now.
 */
export const StartRequest = z.strictObject({
  since: z.optional(z.iso.datetime({ offset: true })),
  pageSize: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 1000),
  dryRun: z._default(z.boolean(), false),
  overlapSeconds: z._default(z.int().check(z.minimum(0)), 60),
  /** `due`: open a run only when the quarter's is due; `now`: open (or resume) one whatever the date. */
  when: z._default(z.enum(['due', 'now']), 'due'),
  /** A running run with no batch committed for this long has a broken chain: the next start resumes it. */
  stalledAfterMinutes: z._default(z.int().check(z.minimum(1)), 60),
  /** The previous start's output, handed back by Lightning's cron: not a request. */
  run: z.optional(z.unknown()),
  message: z.optional(z.unknown()),
  skipped: z.optional(z.unknown()),
  posted: z.optional(z.unknown()),
});
export type StartRequest = z.infer<typeof StartRequest>;
export type StartRequestInput = z.input<typeof StartRequest>;

export const RunInfo = z.object({
  runId: z.uuid(),
  resumed: z.boolean(),
  window: SyncWindow,
  batch: z.int().check(z.minimum(1)),
  dryRun: z.boolean(),
  /** A resumed run whose last batch had committed but which was never closed: open-run closed it. */
  complete: z.boolean(),
});
export type RunInfo = z.infer<typeof RunInfo>;

/** What the start workflow hands on: the first message to post, and the run it belongs to; or why nothing runs. */
export const StartOutcome = z.object({
  message: z.nullable(BatchMessage),
  run: z.nullable(RunInfo),
  /** When no run starts: why (for logs and `status`). */
  skipped: z.nullable(z.string()),
});
export type StartOutcome = z.infer<typeof StartOutcome>;

/** Reference data fetched from Primero on a run's first batch, or why it could not be. */
export const FetchedReference = z.object({
  lookups: z.nullable(z.array(z.unknown())),
  forms: z.nullable(z.array(z.unknown())),
  locations: z.nullable(z.array(z.unknown())),
  warnings: z.array(z.string()),
});
export type FetchedReference = z.infer<typeof FetchedReference>;

/**
 * A Primero record as it crosses fetch -> upsert: an object. Its fields are the
 * mapping's to judge (it rejects or nulls each bad value with a reason), so the
 * boundary checks the shape only, without walking every key of every record.
 */
const RawRecord = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'expected an object' });

export const FetchedBatch = z.object({
  message: BatchMessage,
  advanced: Queries,
  cases: z.array(RawRecord),
  withoutId: z.array(RawRecord),
  membership: z.array(RawRecord),
  duplicates: z.int().check(z.minimum(0)),
  reference: z.nullable(FetchedReference),
});
export type FetchedBatch = z.infer<typeof FetchedBatch>;

const count = () => z.int().check(z.minimum(0));
export const BatchCounts = z.object({
  cases: count(),
  services: count(),
  rejects: count(),
  notes: count(),
  /** Cases removed because they left both indicators. */
  removed: count(),
  /** Cases removed because Primero disabled them. */
  removedDisabled: z._default(count(), 0),
});
export type BatchCounts = z.infer<typeof BatchCounts>;

export const UpsertedBatch = z.object({
  message: BatchMessage,
  /** The message of the batch after this one, as committed with this batch's rows (null: the run is complete). */
  next: z.nullable(BatchMessage),
  advanced: Queries,
  counts: BatchCounts,
  /** A repeated delivery of a batch already committed: nothing was written, and nothing follows from it. */
  duplicate: z._default(z.boolean(), false),
});
export type UpsertedBatch = z.infer<typeof UpsertedBatch>;

/** The final state of a batch's workflow run, read by the CLI. */
export const BatchOutcome = z.object({
  runId: z.uuid(),
  batch: z.int().check(z.minimum(1)),
  batchesLeft: count(),
  counts: BatchCounts,
  complete: z.boolean(),
  dryRun: z.boolean(),
});
export type BatchOutcome = z.infer<typeof BatchOutcome>;

/** What next-batch hands the post step: the next message (null once the run is complete) and the batch's outcome. */
export const NextBatch = z.object({ message: z.nullable(BatchMessage), outcome: BatchOutcome });
export type NextBatch = z.infer<typeof NextBatch>;

/** What a post step reads: a message to post, or null (nothing to post); everything else passes through. */
export const ToPost = z.looseObject({ message: z.nullable(BatchMessage) });

interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Throws one readable line naming the boundary and the first problems (paths, never values). */
export function parseAt<T>(schema: Schema<T>, value: unknown, boundary: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new Error(`invalid state at ${boundary}: ${describeIssues(r.error, 3)}`);
}
