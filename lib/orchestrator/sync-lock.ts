import pg from 'pg';

/**
 * One sync at a time per database: a session-level advisory lock held on a
 * dedicated connection for the whole run. A second `sync` does not wait; it
 * refuses at once, so nothing is written twice.
 */
export const SYNC_LOCK_KEY = 7_243_118_005;

export interface SyncLock {
  release(): Promise<void>;
}

export async function tryAcquireSyncLock(connectionString: string, ssl?: pg.ClientConfig['ssl']): Promise<SyncLock | null> {
  const client = new pg.Client({ connectionString, ...(ssl !== undefined ? { ssl } : {}) });
  await client.connect();
  // A dropped lock connection would silently end the lock; log-free: the sync's own writes fail too if the server is gone.
  client.on('error', () => {});
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [SYNC_LOCK_KEY]);
  if (!rows[0]?.locked) {
    await client.end();
    return null;
  }
  return {
    async release() {
      try {
        await client.query('SELECT pg_advisory_unlock($1)', [SYNC_LOCK_KEY]);
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}
