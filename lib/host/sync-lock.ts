import pg from 'pg';

/**
 * One sync at a time per database: a session-level advisory lock held on a
 * dedicated connection for the whole run. A second `sync` does not wait; it
 * refuses at once, so nothing is written twice.
 */
export const SYNC_LOCK_KEY = 7_243_118_005;

export interface SyncLock {
  /**
   * Before each batch: a session lock ends with its connection, so if that
   * connection dropped, take the lock again on a new one. Throws LockLostError
   * when another sync took it meanwhile, and the connection error while the
   * server cannot be reached (the caller's retry policy decides).
   */
  ensureHeld(): Promise<void>;
  release(): Promise<void>;
}

export class LockLostError extends Error {
  override readonly name = 'LockLostError';
}

/** A connection holding the lock, or null when another session holds it. */
async function lockOn(connection: pg.ClientConfig, onLost: () => void): Promise<pg.Client | null> {
  const client = new pg.Client(connection);
  // A dropped connection ends the lock: remember it, so the next batch takes it again first.
  client.on('error', onLost);
  client.on('end', onLost);
  try {
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [SYNC_LOCK_KEY]);
    if (rows[0]?.locked) return client;
  } catch (e) {
    await client.end().catch(() => {});
    throw e;
  }
  client.removeAllListeners('end');
  await client.end().catch(() => {});
  return null;
}

export async function tryAcquireSyncLock(connectionString: string, ssl?: pg.ClientConfig['ssl']): Promise<SyncLock | null> {
  const connection: pg.ClientConfig = { connectionString, ...(ssl !== undefined ? { ssl } : {}) };
  let lost = false;
  let releasing = false;
  const onLost = () => {
    if (!releasing) lost = true;
  };
  let client = await lockOn(connection, onLost);
  if (!client) return null;
  return {
    async ensureHeld() {
      if (!lost) return;
      const again = await lockOn(connection, onLost);
      if (!again) throw new LockLostError('the sync lock was lost with its database connection and another sync holds it now');
      client = again;
      lost = false;
    },
    async release() {
      releasing = true;
      const held = client;
      try {
        if (!lost && held) await held.query('SELECT pg_advisory_unlock($1)', [SYNC_LOCK_KEY]);
      } finally {
        await held?.end().catch(() => {});
      }
    },
  };
}
