import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './queryable.ts';

/**
 * Fills the fallback tables the reference refresh reads (migration 016) from
 * the bundled copies in db/reference: column labels in English and Khmer, and
 * the deployment's option tables. Run by `migrate` after the migrations, every
 * time, so the tables always equal the files this version ships.
 */
const REFERENCE_DIR = new URL('../../db/reference/', import.meta.url);

export async function seedReference(client: Db): Promise<void> {
  // A database migrated from another folder (tests) may not have the tables.
  const { rows } = await client.query("SELECT to_regclass('column_fallback') IS NOT NULL AS present");
  if (!rows[0]?.present) return;
  const [columns, options] = await Promise.all(
    ['columns.json', 'option-labels.json'].map((f) => readFile(fileURLToPath(new URL(f, REFERENCE_DIR)), 'utf8')),
  );
  await client.query('BEGIN');
  try {
    await client.query('DELETE FROM column_fallback');
    await client.query(
      `INSERT INTO column_fallback (position, table_name, column_name, primero_field, label_from_primero, has_options, label_en, label_km)
       SELECT ord, c ->> 'table', c ->> 'column', c ->> 'primeroField', (c ->> 'labelFromPrimero')::boolean, (c ->> 'options')::boolean, c ->> 'en', c ->> 'km'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(c, ord)`,
      [columns],
    );
    await client.query('DELETE FROM option_fallback');
    await client.query(
      `INSERT INTO option_fallback (primero_field, option_id, label_en)
       SELECT f.key, o.key, o.value FROM jsonb_each($1::jsonb) f, jsonb_each_text(f.value) o`,
      [options],
    );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
