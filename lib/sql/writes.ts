/**
 * The statements the upsert job writes a batch with, through the official
 * adaptor's `sql`; values always go as parameters.
 *
 * Rows: the parameterised statements the upsert job writes rows with, through
 * the official adaptor's `sql`. The rows travel as ONE JSON parameter and
 * PostgreSQL turns them into the table's own row type
 * (`jsonb_populate_recordset(NULL::<table>, $1)`), so values are never
 * inlined into SQL text, types come from the table, and a batch is one
 * statement whatever its size. Columns are the keys of the rows (every row
 * of one batch has the same keys: they come from the mapping).
 */
export interface RowsStatement {
  text: string;
  values: [string];
}

export type OnConflict =
  /** Insert only; a key already there fails the statement. */
  | { kind: 'none' }
  /** Replace the row that holds the key with this one. */
  | { kind: 'update'; key: string }
  /** Keep the row that holds the key; `RETURNING key` tells which rows went in. */
  | { kind: 'skip'; key: string };

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain column or table name: ${JSON.stringify(name.slice(0, 40))}`);
  return `"${name}"`;
}

export function columnsOf(rows: readonly object[]): string[] {
  const first = rows[0];
  if (!first) throw new Error('no rows to write');
  return Object.keys(first);
}

export function writeRowsSql(table: string, rows: readonly object[], onConflict: OnConflict): RowsStatement {
  const columns = columnsOf(rows).map(ident);
  const list = columns.join(', ');
  let text = `INSERT INTO ${ident(table)} (${list})\nSELECT ${list} FROM jsonb_populate_recordset(NULL::${ident(table)}, $1::jsonb)`;
  if (onConflict.kind === 'update') {
    const key = ident(onConflict.key);
    const set = columns.filter((c) => c !== key).map((c) => `${c} = excluded.${c}`);
    // synced_at says when the sync last wrote the row; its default covers inserts only.
    text += `\nON CONFLICT (${key}) DO UPDATE SET ${[...set, 'synced_at = now()'].join(', ')}`;
  } else if (onConflict.kind === 'skip') {
    text += `\nON CONFLICT (${ident(onConflict.key)}) DO NOTHING RETURNING ${ident(onConflict.key)}`;
  }
  return { text, values: [JSON.stringify(rows)] };
}

/**
 * Which Primero record holds each of the batch's case_ids (a batch never
 * overwrites another record's row), and whether this run wrote it already (a
 * case on a page boundary is read twice): $1 case_ids, $2 the run's start.
 */
export const EXISTING_CASES = `
  SELECT case_id AS key, primero_id::text AS holder, coalesce(synced_at >= $2::timestamptz, false) AS this_run
  FROM cases WHERE case_id = ANY($1::text[])`;

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

/**
 * What the mapping reads, in one round trip: option labels (data_dictionary;
 * a field it has no option of comes from the bundled table) and districts.
 */
export const LOAD_REFERENCE = `
  SELECT (SELECT coalesce(json_agg(json_build_array(primero_field, option_id, label_en)), '[]') FROM (
            SELECT primero_field, option_id, label_en FROM data_dictionary
            WHERE option_id IS NOT NULL AND label_en IS NOT NULL AND table_name IN ('cases', 'services')
            UNION ALL
            SELECT f.primero_field, f.option_id, f.label_en FROM option_fallback f
            WHERE NOT EXISTS (SELECT 1 FROM data_dictionary d WHERE d.primero_field = f.primero_field AND d.option_id IS NOT NULL)) o) AS options,
         (SELECT coalesce(json_agg(json_build_array(code, district, province, province_code)), '[]')
            FROM locations_lookup WHERE district IS NOT NULL AND province IS NOT NULL) AS districts`;

/** Rebuilds data_dictionary and upserts locations_lookup from what fetch read (migration 016); warnings back. */
export const REFRESH_REFERENCE = `SELECT refresh_reference($1::jsonb, $2::jsonb, $3::jsonb) AS warning`;

/**
 * Deletes the cases (their services go by ON DELETE CASCADE), unless the row
 * is newer than what was seen (a later fetch already wrote it back), and
 * answers how many went, by reason: one row `{left_count, disabled_count}`.
 * $1: rows {primero_id, seen_at, reason}.
 */
export const REMOVE_CASES = `
  WITH gone AS (
    DELETE FROM cases c
    USING jsonb_to_recordset($1::jsonb) AS r(primero_id uuid, seen_at timestamptz, reason text)
    WHERE c.primero_id = r.primero_id AND (c.last_updated_date IS NULL OR c.last_updated_date <= r.seen_at)
    RETURNING r.reason
  )
  SELECT count(*) FILTER (WHERE reason = 'left')::integer AS left_count,
         count(*) FILTER (WHERE reason = 'disabled')::integer AS disabled_count
  FROM gone`;
