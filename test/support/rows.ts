import type pg from 'pg';
import { writeRowsSql } from '../../lib/sql/writes.ts';

/**
 * Test fixtures into a table, through the jobs' own parameterised statement.
 * Rows are written in groups of the same keys, so a column a row leaves out
 * takes the table's default.
 */
export async function insertRows(client: pg.Client, table: string, rows: readonly object[]): Promise<void> {
  const groups = new Map<string, object[]>();
  for (const row of rows) {
    const key = Object.keys(row).sort().join(',');
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const group of groups.values()) {
    const statement = writeRowsSql(table, group, { kind: 'none' });
    await client.query(statement.text, statement.values);
  }
}
