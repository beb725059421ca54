-- 030: when a local sync (primero-ona sync or serve) last took and released the
-- sync lock, so that `status` can tell a run whose local sync is gone (killed,
-- interrupted: the lock is free, and the run's last batch committed under it)
-- from a run driven by the OpenFn platform, which takes no lock and is judged by
-- whether its batches still commit.

CREATE TABLE sync_lock_trace (
  lock_key     bigint PRIMARY KEY,
  taken_at     timestamptz NOT NULL,
  released_at  timestamptz
);

COMMENT ON TABLE sync_lock_trace IS 'When a local sync last held the sync lock (the advisory lock one sync at a time takes); one row per lock key.';
COMMENT ON COLUMN sync_lock_trace.lock_key IS 'The advisory lock key (lib/host/sync-lock.ts).';
COMMENT ON COLUMN sync_lock_trace.taken_at IS 'When a local sync last took the lock.';
COMMENT ON COLUMN sync_lock_trace.released_at IS 'When it released it; NULL while it holds it, or when the process died holding it.';
