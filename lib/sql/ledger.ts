/**
 * The statements the jobs and the CLI run against the ledger (sync_runs,
 * sync_rejects). Values always go as parameters.
 */

/**
 * What init needs to decide, in one round trip: the newest unfinished run (a
 * run left behind by a later completed run, a backfill started over it, is
 * history, not work), where the last completed run's window ended, whether any
 * case is loaded, and a fresh run id (the job sandbox has no crypto).
 */
export const READ_LEDGER_FOR_START = `
  SELECT (SELECT row_to_json(u) FROM (
            SELECT run_id, window_from, window_to, status, next_message, batches, last_progress_at
            FROM sync_runs
            WHERE status IN ('running', 'failed')
              AND started_at > coalesce((SELECT max(started_at) FROM sync_runs WHERE status = 'completed'), '-infinity')
            ORDER BY started_at DESC LIMIT 1) u) AS unfinished,
         (SELECT window_to FROM sync_runs WHERE status = 'completed' ORDER BY window_to DESC LIMIT 1) AS last_completed_to,
         EXISTS (SELECT 1 FROM cases) AS cases_loaded,
         gen_random_uuid()::text AS new_run_id`;

export const OPEN_RUN = `
  INSERT INTO sync_runs (run_id, window_from, window_to, status, next_message, started_at, last_progress_at)
  VALUES ($1, $2, $3, 'running', $4::jsonb, now(), now())`;

/** A resumed run runs again from its bookmark, which may now ask for smaller pages ($2). */
export const MARK_RESUMED = `
  UPDATE sync_runs SET status = 'running', error = NULL, error_step = NULL, error_kind = NULL,
         next_message = $2::jsonb, last_progress_at = now()
  WHERE run_id = $1`;

/**
 * Claims a batch for writing, in its transaction: first a transaction-level
 * advisory lock on the run, so two deliveries of one message (a webhook may
 * deliver twice) write one after the other; then, in a statement of its own
 * (a fresh snapshot), the run's row as the first delivery left it. Not a row
 * lock: a batch that hangs must not keep the CLI from marking its run failed.
 */
export const LOCK_RUN_FOR_BATCH = `SELECT pg_advisory_xact_lock(1347374657, hashtext($1))`;
export const CLAIM_BATCH = `SELECT status, batches, started_at FROM sync_runs WHERE run_id = $1`;

/**
 * Moves the bookmark with a batch's counts, in the batch's transaction, and
 * closes the run when there is no next batch ($4 NULL). No row back when the
 * run is no longer running (taken over or marked failed): the job then rolls
 * the batch back.
 */
export const RECORD_BATCH = `
  UPDATE sync_runs SET
    batches = $2,
    pages = $3::jsonb,
    next_message = $4::jsonb,
    cases_count = cases_count + $5,
    services_count = services_count + $6,
    rejects_count = rejects_count + $7,
    removed_count = removed_count + $8,
    removed_disabled_count = removed_disabled_count + $9,
    notes_count = notes_count + $10,
    last_progress_at = now(),
    status = CASE WHEN $4::jsonb IS NULL THEN 'completed' ELSE status END,
    finished_at = CASE WHEN $4::jsonb IS NULL THEN now() ELSE finished_at END
  WHERE run_id = $1 AND status = 'running'
  RETURNING status`;

/**
 * A batch that failed, on record at once: the step, its first line, and its
 * kind (transient, refused, permanent). The next start resumes the run from
 * its bookmark without waiting for the stall rule.
 */
export const RECORD_FAILURE = `
  UPDATE sync_runs SET status = 'failed', error = left($2, 1000), error_step = $3, error_kind = $4
  WHERE run_id = $1 AND status = 'running'`;

/** The run's row as the CLI reads it after a batch: where it stands, and how it failed. */
export const READ_RUN = `
  SELECT status, next_message, batches, error, error_step, error_kind FROM sync_runs WHERE run_id = $1`;

/** Rejects and nulled values of a batch, each recorded once per run (a record read twice says it once); the kinds recorded back. */
export const RECORD_NOTES = `
  INSERT INTO sync_rejects (run_id, primero_id, case_id, reason, field, kind)
  SELECT $1, n.primero_id, n.case_id, n.reason, n.field, n.kind
  FROM jsonb_to_recordset($2::jsonb) AS n(primero_id text, case_id text, reason text, field text, kind text)
  WHERE NOT EXISTS (
    SELECT 1 FROM sync_rejects x WHERE x.run_id = $1 AND x.kind = n.kind AND x.reason = n.reason
      AND x.primero_id IS NOT DISTINCT FROM n.primero_id AND x.case_id IS NOT DISTINCT FROM n.case_id AND x.field IS NOT DISTINCT FROM n.field)
  RETURNING kind`;

/**
 * One batch's unknown codes: one row per run, field and code (kind
 * unknown_code), its case_count adding up over the run's batches. No case id
 * goes with a code.
 */
export const RECORD_UNKNOWN_CODES = `
  INSERT INTO sync_rejects (run_id, field, code, case_count, reason, kind)
  SELECT $1, u.field, u.code, u.cases, u.reason, 'unknown_code'
  FROM jsonb_to_recordset($2::jsonb) AS u(field text, code text, cases integer, reason text)
  ON CONFLICT (run_id, field, code) WHERE kind = 'unknown_code'
  DO UPDATE SET case_count = sync_rejects.case_count + EXCLUDED.case_count`;
