import pg from 'pg';
import type { Db } from '../db/queryable.ts';

/**
 * One sync at a time per database: a session-level advisory lock held on a
 * dedicated connection for the whole run. A second `sync` does not wait; it
 * refuses at once, so nothing is written twice. Taking and releasing it leave
 * their times in sync_lock_trace (migration 030): a run whose last batch
 * committed under a lock that is free now has lost its sync (lib/status).
 */
export const SYNC_LOCK_KEY = 7_243_118_005;

const TRACE_TAKEN = `
  INSERT INTO sync_lock_trace (lock_key, taken_at) VALUES ($1, now())
  ON CONFLICT (lock_key) DO UPDATE SET taken_at = excluded.taken_at, released_at = NULL`;
const TRACE_RELEASED = `UPDATE sync_lock_trace SET released_at = now() WHERE lock_key = $1`;

/** The trace is a hint for `status`: a database not yet migrated to 030 has no table for it, and the sync goes on. */
async function trace(client: pg.Client, text: string): Promise<void> {
  try {
    await client.query(text, [SYNC_LOCK_KEY]);
  } catch (e) {
    if ((e as { code?: string }).code !== '42P01') throw e;
  }
}

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
    if (rows[0]?.locked) {
      await trace(client, TRACE_TAKEN);
      return client;
    }
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
        if (!lost && held) {
          await trace(held, TRACE_RELEASED);
          await held.query('SELECT pg_advisory_unlock($1)', [SYNC_LOCK_KEY]);
        }
      } finally {
        await held?.end().catch(() => {});
      }
    },
  };
}

/**
 * The lock as `status` sees it, read-only: held by any session now (pg_locks,
 * which shows a bigint key as classid, objid), and the trace's times.
 */
export async function readSyncLock(client: Db): Promise<{ held: boolean; takenAt: string | null; releasedAt: string | null }> {
  const { rows } = await client.query(
    `SELECT EXISTS (
              SELECT 1 FROM pg_locks
               WHERE locktype = 'advisory' AND granted AND objsubid = 1
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                 AND (classid::bigint << 32) | objid::bigint = $1
            ) AS held,
            to_regclass('public.sync_lock_trace')::text AS traced`,
    [SYNC_LOCK_KEY],
  );
  const held = Boolean(rows[0]?.held);
  if (!rows[0]?.traced) return { held, takenAt: null, releasedAt: null };
  const { rows: trace } = await client.query('SELECT taken_at, released_at FROM sync_lock_trace WHERE lock_key = $1', [SYNC_LOCK_KEY]);
  const at = (v: Date | null | undefined) => (v ? new Date(v).toISOString() : null);
  return { held, takenAt: at(trace[0]?.taken_at), releasedAt: at(trace[0]?.released_at) };
}
