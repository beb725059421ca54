-- 015: when a run last moved, so the daily start can tell a chain that stopped
-- (a batch failed on the platform and nothing posted the next one) from one
-- whose batches are still flowing, and resume only the first.

ALTER TABLE sync_runs ADD COLUMN last_progress_at timestamptz;
UPDATE sync_runs SET last_progress_at = coalesce(finished_at, started_at);

COMMENT ON COLUMN sync_runs.last_progress_at IS 'When the run opened or resumed, or a batch of it last committed; a running run idle for long has a stopped chain and is resumed by the next start.';
