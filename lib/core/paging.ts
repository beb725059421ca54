import type { BatchMessage, QueryCursor, QueryId } from './messages.ts';
import { cursorOf, QUERY_IDS } from './messages.ts';

/** What one fetched page tells the cursor. */
export interface PageOutcome {
  /** Primero's metadata.total: records matching from the cursor's `after` on. */
  total: number;
  /** Records on the page. */
  count: number;
  /** created_at of the page's last record (the page is sorted by created_at asc). */
  lastCreatedAt: string | null;
  /** Ids of the page's records with that created_at. */
  lastIds: string[];
}

/** The most boundary ids a cursor carries; past it the few extra records are read again, merged and written idempotently. */
const MAX_SEEN = 20;

/**
 * Moves a keyset cursor past one page. More pages remain while
 * `total > page * per`. The next page starts at the last record's created_at
 * (inclusive, so a record added with the same created_at is not missed; the
 * records of the boundary already read are named in `seen` and left out); only
 * when a whole page shares the cursor's created_at does `page` advance instead.
 */
export function advanceCursor(cursor: QueryCursor, outcome: PageOutcome): QueryCursor {
  if (cursor.done) return cursor;
  const more = outcome.count > 0 && outcome.total > cursor.page * cursor.per;
  if (!more) return { ...cursor, total: outcome.total, done: true };
  if (outcome.lastCreatedAt && outcome.lastCreatedAt !== cursor.after) {
    // The next page starts at this created_at again: the records of it read here are left out there.
    return { ...cursor, after: outcome.lastCreatedAt, page: 1, total: outcome.total, seen: outcome.lastIds.slice(0, MAX_SEEN) };
  }
  return { ...cursor, page: cursor.page + 1, total: outcome.total, seen: [] };
}

export function allDone(queries: BatchMessage['queries']): boolean {
  return QUERY_IDS.every((id) => cursorOf(queries, id).done);
}

export function pendingQueries(queries: BatchMessage['queries']): QueryId[] {
  return QUERY_IDS.filter((id) => !cursorOf(queries, id).done);
}

/** Pages still to read for one query, from what Primero last said. */
export function pagesLeft(cursor: QueryCursor): number {
  if (cursor.done) return 0;
  if (cursor.total === null) return 1;
  return Math.max(1, Math.ceil((cursor.total - (cursor.page - 1) * cursor.per) / cursor.per));
}

/** Batches still to run: each batch reads one page of every unfinished query. */
export function batchesLeft(queries: BatchMessage['queries']): number {
  return Math.max(0, ...QUERY_IDS.map((id) => pagesLeft(cursorOf(queries, id))));
}
