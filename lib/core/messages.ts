import { INDICATOR_RULES } from './indicators/declared.ts';
import { array, boolean, check, int, isoDatetime, nullable, object, optional, refine, string, uuid, type Infer } from './schema.ts';

/**
 * The batch message posted to the batch workflow's webhook: everything one
 * batch needs (run id, window, a cursor per query). Nothing is remembered in
 * memory between batches, so a message alone is enough to resume a run.
 */

/**
 * The queries a run pages through: one per declared indicator
 * (lib/core/indicators/declared.ts), then the membership query (queries.ts).
 */
export const MEMBERSHIP_QUERY = 'membership';
export const QUERY_IDS: readonly string[] = [...INDICATOR_RULES.map((i) => i.id), MEMBERSHIP_QUERY];
export type QueryId = string;

/** Primero caps a page at 1000 records. */
export const MAX_PAGE_SIZE = 1000;

/**
 * Keyset cursor over `created_at asc`: each page asks for `created_at >= after`
 * and `page` only moves past a group of records sharing the same created_at.
 * Records leaving the result set mid-run cannot shift later pages, unlike plain
 * offset paging (a known defect of the deployment).
 */
export const QueryCursor = object({
  after: nullable(isoDatetime()),
  page: int(1),
  per: int(1, MAX_PAGE_SIZE),
  done: boolean(),
  /** Primero's metadata.total for the last page asked (records from `after` on). */
  total: nullable(int(0)),
  /** Ids at `after` that the previous page read: the next page leaves them out. */
  seen: optional(array(string()), []),
});
export type QueryCursor = Infer<typeof QueryCursor>;

export const SyncWindow = refine(object({ from: isoDatetime(), to: isoDatetime() }), (w) => Date.parse(w.from) <= Date.parse(w.to), 'window.from is after window.to');
export type SyncWindow = Infer<typeof SyncWindow>;

/** A cursor for every query, and no other key. */
export const Queries = object(Object.fromEntries(QUERY_IDS.map((id) => [id, QueryCursor]))) as unknown as (v: unknown, p: string) => Record<QueryId, QueryCursor>;
export type Queries = Record<QueryId, QueryCursor>;

/** The cursor of one query: a valid message has one for each (the schema makes sure). */
export function cursorOf(queries: Queries, id: QueryId): QueryCursor {
  const cursor = queries[id];
  if (!cursor) throw new Error(`the message has no cursor for query ${id}`);
  return cursor;
}

// strict: a message may carry no `configuration` or anything else unexpected.
export const BatchMessage = object({
  runId: uuid(),
  /** 1 for the first batch of a run; counts batches, for progress and the ledger's claim. */
  batch: int(1),
  window: SyncWindow,
  queries: Queries,
  /** Read, map and count; write nothing (the batch's transaction is rolled back). */
  dryRun: optional(boolean(), false),
});
export type BatchMessage = Infer<typeof BatchMessage>;

export function parseBatchMessage(body: unknown): { ok: true; message: BatchMessage } | { ok: false; error: string } {
  const r = check(BatchMessage, body);
  return r.ok ? { ok: true, message: r.value } : { ok: false, error: r.error };
}

export function firstCursor(per: number): QueryCursor {
  return { after: null, page: 1, per, done: false, total: null, seen: [] };
}
