import * as z from 'zod/mini';
import { INDICATORS } from './indicators/declared.ts';

/**
 * The inbox message: everything one batch needs, carried from batch to batch
 * (run id, window, and a cursor per query). Nothing is remembered in memory
 * between batches, so a message alone is enough to resume a run.
 * zod/mini: these schemas are inlined into every built job, and the full zod
 * would make each job about 800 KB to compile on every platform run.
 */

/**
 * The queries a run pages through: one per declared indicator
 * (lib/indicators/declared.ts), then the membership query; see queries.ts for
 * their Primero filters.
 */
export const MEMBERSHIP_QUERY = 'membership';
export const QUERY_IDS: readonly string[] = [...INDICATORS.map((i) => i.id), MEMBERSHIP_QUERY];
export type QueryId = string;

const isoDatetime = z.iso.datetime({ offset: true });

/**
 * Keyset cursor over `created_at asc`: each page asks for `created_at >= after`
 * and `page` only moves past a group of records sharing the same created_at.
 * Records leaving the result set mid-run cannot shift later pages, unlike plain
 * offset paging (a known defect of the deployment).
 */
export const QueryCursor = z.strictObject({
  after: z.nullable(isoDatetime),
  page: z.int().check(z.minimum(1)),
  per: z.int().check(z.minimum(1), z.maximum(1000)),
  done: z.boolean(),
  /** Primero's metadata.total for the last page asked (records from `after` on). */
  total: z.nullable(z.int().check(z.minimum(0))),
});
export type QueryCursor = z.infer<typeof QueryCursor>;

export const SyncWindow = z
  .strictObject({ from: isoDatetime, to: isoDatetime })
  .check(z.refine((w) => Date.parse(w.from) <= Date.parse(w.to), { message: 'window.from is after window.to' }));
export type SyncWindow = z.infer<typeof SyncWindow>;

/** A cursor for every query, and no other key. */
export const Queries = z.strictObject(Object.fromEntries(QUERY_IDS.map((id) => [id, QueryCursor])) as Record<string, typeof QueryCursor>);
export type Queries = z.infer<typeof Queries>;

/** The cursor of one query: a valid message has one for each (the schema makes sure). */
export function cursorOf(queries: Queries, id: QueryId): QueryCursor {
  const cursor = queries[id];
  if (!cursor) throw new Error(`the message has no cursor for query ${id}`);
  return cursor;
}

// strict: a message may carry no `configuration` or anything else unexpected.
export const BatchMessage = z.strictObject({
  runId: z.uuid(),
  /** 1 for the first batch of a run; counts batches, for progress only. */
  batch: z.int().check(z.minimum(1)),
  window: SyncWindow,
  queries: Queries,
  dryRun: z._default(z.boolean(), false),
});
export type BatchMessage = z.infer<typeof BatchMessage>;
export type BatchMessageInput = z.input<typeof BatchMessage>;

/** A zod issue, as much of it as a reason needs. */
interface Issue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  expected?: unknown;
  format?: string;
  keys?: readonly string[];
  minimum?: unknown;
  maximum?: unknown;
  values?: readonly unknown[];
}
interface Issues {
  issues: readonly Issue[];
}

/**
 * zod/mini carries no message texts (they would be inlined into every job), so
 * the reason is worded here from the issue's code. Keys and limits only,
 * never the value that was sent.
 */
function reason(i: Issue): string {
  switch (i.code) {
    case 'unrecognized_keys':
      return `unknown key${(i.keys ?? []).length === 1 ? '' : 's'} ${(i.keys ?? []).join(', ')}`;
    case 'invalid_type':
      return `expected ${String(i.expected)}`;
    case 'too_small':
      return `must be at least ${String(i.minimum)}`;
    case 'too_big':
      return `must be at most ${String(i.maximum)}`;
    case 'invalid_format':
      return `not a valid ${i.format ?? 'value'}`;
    case 'invalid_value':
      return `expected one of ${(i.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return i.message;
  }
}

/** One line naming what is wrong (for 422 answers and job errors): paths and reasons, never values. */
export function describeIssues(error: Issues, max = 5): string {
  return error.issues
    .slice(0, max)
    .map((i) => `${i.path.map(String).join('.') || '(body)'}: ${reason(i)}`)
    .join('; ');
}

export function parseBatchMessage(body: unknown): { ok: true; message: BatchMessage } | { ok: false; error: string } {
  const r = BatchMessage.safeParse(body);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: describeIssues(r.error) };
}

export function firstCursor(per: number): QueryCursor {
  return { after: null, page: 1, per, done: false, total: null };
}
