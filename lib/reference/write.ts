import { DESCRIBE_COLUMNS_SQL, batchToJson, planInsert, planUpsert, quoteTable, type ColumnInfo, type KeySpec } from '../db/upsert-sql.ts';

/** The client surface the reference code needs (pg.Client / PoolClient fit). */
export interface Db {
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount?: number | null }>;
}

export async function columnsOf(db: Db, table: string): Promise<ColumnInfo[]> {
  return (await db.query(DESCRIBE_COLUMNS_SQL, [quoteTable(table)])).rows as ColumnInfo[];
}

/** Runs `f` in a transaction on `db` (one client). */
export async function inTransaction<T>(db: Db, f: () => Promise<T>): Promise<T> {
  await db.query('BEGIN');
  try {
    const out = await f();
    await db.query('COMMIT');
    return out;
  } catch (e) {
    await db.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

export async function insertRows(db: Db, table: string, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  for (const s of planInsert(table, rows, await columnsOf(db, table)).statements) await db.query(s.text, [batchToJson(s.rows, new Set())]);
}

export async function upsertRows(db: Db, table: string, key: KeySpec, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  for (const s of planUpsert(table, rows, key, await columnsOf(db, table)).statements) await db.query(s.text, [batchToJson(s.rows, new Set())]);
}
