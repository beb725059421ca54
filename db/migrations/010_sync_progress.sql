-- 010: what the sync needs to resume a run and to explain what it loaded.
--
-- next_message is the inbox message of the batch after the last committed one:
-- it is written in the same transaction as that batch's rows, so a run that
-- stops anywhere resumes exactly where its data stops (a Singer-style bookmark
-- that only moves after the data is committed).

ALTER TABLE sync_runs
  ADD COLUMN batches        integer NOT NULL DEFAULT 0,
  ADD COLUMN removed_count  integer NOT NULL DEFAULT 0,
  ADD COLUMN notes_count    integer NOT NULL DEFAULT 0,
  ADD COLUMN next_message   jsonb;

COMMENT ON COLUMN sync_runs.batches IS 'Batches committed so far in this run.';
COMMENT ON COLUMN sync_runs.removed_count IS 'Cases removed because they left both indicators (a child who turned 18, a re-typed case).';
COMMENT ON COLUMN sync_runs.notes_count IS 'Values loaded as NULL or kept as unknown option codes (rows of sync_rejects whose kind is not rejected).';
COMMENT ON COLUMN sync_runs.next_message IS 'The inbox message that starts the next batch; NULL once the run is complete.';

-- sync_rejects also records what loaded with a caveat, so nothing is lost silently.
ALTER TABLE sync_rejects
  ADD COLUMN kind text NOT NULL DEFAULT 'rejected' CHECK (kind IN ('rejected', 'unknown_code', 'nulled'));

COMMENT ON COLUMN sync_rejects.kind IS 'rejected: the record (or service row) was not loaded; unknown_code: loaded with the option code as its label; nulled: loaded with this field NULL.';

-- The caregiver's own location code, next to the derived province/district columns.
ALTER TABLE cases ADD COLUMN location_caregiver_code text;
COMMENT ON COLUMN cases.location_caregiver_code IS 'Primero location_caregiver code (the current location is location_code).';
