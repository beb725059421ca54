/**
 * Pure: the parameterised statements the upsert job writes rows with, through
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
    text += `\nON CONFLICT (${key}) DO UPDATE SET ${set.join(', ')}`;
  } else if (onConflict.kind === 'skip') {
    text += `\nON CONFLICT (${ident(onConflict.key)}) DO NOTHING RETURNING ${ident(onConflict.key)}`;
  }
  return { text, values: [JSON.stringify(rows)] };
}
