import pg from 'pg';
import { READ_BOOKMARK, readStoredBookmark, type StoredRun } from '../core/bookmark.ts';
import type { BatchMessage } from '../core/messages.ts';

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

/** Pure: what the ledger row says about a run this process is running (lib/sync/bookmark.ts reads it). */
export function bookmarkFrom(row: StoredRun | undefined): Bookmark {
  const stored = readStoredBookmark(row);
  if (stored.state === 'completed') return { state: 'completed' };
  // A run this process runs is `running`: marked failed or taken over by another process, it is no longer ours.
  if (row && row.status !== 'running') return { state: 'gone', status: row.status };
  if (stored.state === 'unreadable') return { state: 'gone', status: stored.why };
  if (stored.state === 'not-started') return { state: 'gone', status: 'no saved message' };
  return stored;
}

export async function readBookmark(connection: pg.ClientConfig, runId: string): Promise<Bookmark> {
  const client = new pg.Client(connection);
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<StoredRun>(READ_BOOKMARK, [runId]);
    return bookmarkFrom(rows[0]);
  } finally {
    await client.end().catch(() => {});
  }
}
