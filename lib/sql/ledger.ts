/**
 * The SQL the jobs run against the ledger (sync_runs, sync_rejects) and the
 * batch writes that are not plain upserts. Values always go as parameters.
 */

/** A run to resume: the newest one that did not complete. */
export const UNFINISHED_RUN = `
  SELECT run_id, window_from, window_to, status, next_message, batches, last_progress_at
  FROM sync_runs
  WHERE status IN ('running', 'failed')
    -- a run left behind by a later completed run (a backfill started over it) is history, not work
    AND started_at > coalesce((SELECT max(started_at) FROM sync_runs WHERE status = 'completed'), '-infinity')
  ORDER BY started_at DESC
  LIMIT 1`;

export const LAST_COMPLETED_WINDOW_END = `
  SELECT window_to FROM sync_runs WHERE status = 'completed' ORDER BY window_to DESC LIMIT 1`;

export const ANY_CASES_LOADED = `SELECT EXISTS (SELECT 1 FROM cases) AS loaded`;

/** Run ids come from the database: the job sandbox has no crypto. */
export const NEW_RUN_ID = `SELECT gen_random_uuid()::text AS run_id`;

export const OPEN_RUN = `
  INSERT INTO sync_runs (run_id, window_from, window_to, status, next_message, started_at, last_progress_at)
  VALUES ($1, $2, $3, 'running', $4::jsonb, now(), now())`;

export const MARK_RESUMED = `
  UPDATE sync_runs SET status = 'running', error = NULL, last_progress_at = now() WHERE run_id = $1`;

/** Which Primero record holds each of the batch's case_ids, so a batch never overwrites another record's row. */
export const EXISTING_CASES = `
  SELECT case_id AS key, primero_id::text AS holder FROM cases WHERE case_id = ANY($1::text[])`;

/**
 * Which case holds each of these service unique_ids. The job inserts the
 * batch's services skipping conflicts (a unique_id another case holds) and asks
 * only when some were skipped: checking inside the insert costs a third of
 * asking for every key first.
 */
export const SERVICE_HOLDERS = `
  SELECT unique_id AS key, case_id AS holder FROM services WHERE unique_id = ANY($1::text[])`;

/** A case's services are replaced as a whole: a service removed in Primero disappears. */
export const DELETE_SERVICES_OF = `DELETE FROM services WHERE case_id = ANY($1::text[])`;

export const RECORD_NOTES = `
  INSERT INTO sync_rejects (run_id, primero_id, case_id, reason, field, kind)
  SELECT $1, n.primero_id, n.case_id, n.reason, n.field, n.kind
  FROM jsonb_to_recordset($2::jsonb) AS n(primero_id text, case_id text, reason text, field text, kind text)`;

// RECORD_BATCH and COMPLETE_RUN, which move and spend the bookmark, are in bookmark.ts.

export const FAIL_RUN = `
  UPDATE sync_runs SET status = 'failed', error = $2 WHERE run_id = $1 AND status = 'running'`;

export const LOAD_OPTION_LABELS = `
  SELECT primero_field, option_id, label_en FROM data_dictionary
  WHERE option_id IS NOT NULL AND table_name IN ('cases', 'services')`;

export const LOAD_DISTRICTS = `SELECT code, district, province, province_code FROM locations_lookup`;
