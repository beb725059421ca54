import pg from 'pg';
import { BatchMessage } from '../sync/messages.ts';

/**
 * Where a run stands according to the database: the message of its first
 * batch not yet committed. A batch is retried from here, not from memory, so
 * a batch whose commit did reach the server (though the client never heard
 * back) is not run twice.
 */
export type Bookmark =
  | { state: 'next'; message: BatchMessage }
  /** Every batch committed; only the run's closing is missing. */
  | { state: 'all-committed' }
  | { state: 'completed' }
  /** Another process changed the run (a later sync took it over, or it was marked failed): stop. */
  | { state: 'gone'; status: string };

export interface BookmarkRow {
  status: string;
  next_message: unknown;
  batches: number;
}

/** Pure: what the ledger row says about the run. */
export function bookmarkFrom(row: BookmarkRow | undefined): Bookmark {
  if (!row) return { state: 'gone', status: 'missing' };
  if (row.status === 'completed') return { state: 'completed' };
  if (row.status !== 'running') return { state: 'gone', status: row.status };
  if (row.next_message === null || row.next_message === undefined) {
    return row.batches > 0 ? { state: 'all-committed' } : { state: 'gone', status: 'no saved message' };
  }
  const parsed = BatchMessage.safeParse(row.next_message);
  return parsed.success ? { state: 'next', message: parsed.data } : { state: 'gone', status: 'saved message not valid' };
}

export const READ_BOOKMARK = `SELECT status, next_message, batches FROM sync_runs WHERE run_id = $1`;

export async function readBookmark(connection: pg.ClientConfig, runId: string): Promise<Bookmark> {
  const client = new pg.Client(connection);
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<BookmarkRow>(READ_BOOKMARK, [runId]);
    return bookmarkFrom(rows[0]);
  } finally {
    await client.end().catch(() => {});
  }
}
