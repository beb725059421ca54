import { z } from 'zod';
import { BatchMessage, QueryCursor, SyncWindow } from './messages.ts';

/**
 * The state each job hands the next, validated at every job boundary. Case
 * records cross only one boundary (fetch -> upsert); after upsert the state
 * holds counts and cursors, never personal data.
 */

/** What the CLI gives init (`{data: InitRequest}`). */
export const InitRequest = z
  .object({
    since: z.iso.datetime({ offset: true }).optional(),
    pageSize: z.int().min(1).max(1000).default(1000),
    dryRun: z.boolean().default(false),
    overlapSeconds: z.int().min(0).default(60),
  })
  .strict();
export type InitRequest = z.infer<typeof InitRequest>;

export const RunInfo = z.object({
  runId: z.uuid(),
  resumed: z.boolean(),
  window: SyncWindow,
  batch: z.int().min(1),
  dryRun: z.boolean(),
  /** A resumed run whose last batch had committed but which was never closed: init closed it. */
  complete: z.boolean(),
});
export type RunInfo = z.infer<typeof RunInfo>;

const Queries = z.object({ indicator_4_8: QueryCursor, indicator_4_11a: QueryCursor, membership: QueryCursor });

/** Reference data fetched from Primero on a run's first batch, or why it could not be. */
export const FetchedReference = z.object({
  lookups: z.array(z.unknown()).nullable(),
  forms: z.array(z.unknown()).nullable(),
  locations: z.array(z.unknown()).nullable(),
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
  duplicates: z.int().min(0),
  reference: FetchedReference.nullable(),
});
export type FetchedBatch = z.infer<typeof FetchedBatch>;

export const BatchCounts = z.object({
  cases: z.int().min(0),
  services: z.int().min(0),
  rejects: z.int().min(0),
  notes: z.int().min(0),
  /** Cases removed because they left both indicators. */
  removed: z.int().min(0),
  /** Cases removed because Primero disabled them. */
  removedDisabled: z.int().min(0).default(0),
});
export type BatchCounts = z.infer<typeof BatchCounts>;

export const UpsertedBatch = z.object({
  message: BatchMessage,
  advanced: Queries,
  counts: BatchCounts,
});
export type UpsertedBatch = z.infer<typeof UpsertedBatch>;

/** The final state of a batch's workflow run, read by the CLI. */
export const BatchOutcome = z.object({
  runId: z.uuid(),
  batch: z.int().min(1),
  batchesLeft: z.int().min(0),
  counts: BatchCounts,
  complete: z.boolean(),
  dryRun: z.boolean(),
});
export type BatchOutcome = z.infer<typeof BatchOutcome>;

/** Throws one readable line naming the boundary and the first problems. */
export function parseAt<T>(schema: z.ZodType<T>, value: unknown, boundary: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const detail = r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(state)'}: ${i.message}`)
    .join('; ');
  throw new Error(`invalid state at ${boundary}: ${detail}`);
}
