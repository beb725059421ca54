/**
 * Rows in PostgreSQL's COPY text format (docs: COPY, "Text Format"), for the
 * postgres adaptor's bulk path. Pure: no I/O.
 *
 * Each value is written so that the table receives what the JSON path
 * (`json_to_recordset`, upsert-sql.ts) would give it: booleans as
 * true/false, Dates as ISO text, arrays as array literals for array columns
 * and as JSON elsewhere, objects as JSON, anything for a json/jsonb column as
 * JSON, non-finite numbers and functions as NULL (JSON has no such values).
 * The adaptor takes this path only without setNull markers, which the JSON
 * path applies at any depth.
 */
import type { ColumnInfo, DbRecord } from './upsert-sql.ts';

const NULL = '\\N';

/** Backslash, newline, carriage return and tab are the characters COPY text reads specially. */
function escapeCopy(s: string): string {
  return /[\\\n\r\t]/.test(s) ? s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : s;
}

function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString();
  return (JSON.stringify(v, bigintAsText) as string | undefined) ?? null;
}

const bigintAsText = (_k: string, x: unknown) => (typeof x === 'bigint' ? x.toString() : x);

/** An array literal: `{"a","b\"c",NULL,{"nested"}}`. */
export function arrayLiteral(values: readonly unknown[]): string {
  const parts = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    const text = scalarText(v);
    return text === null ? 'NULL' : `"${text.replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${parts.join(',')}}`;
}

const isJsonType = (type: string) => type === 'json' || type === 'jsonb';

/** One value as COPY text for a column of `type` (as format_type() prints it). */
export function copyValue(v: unknown, type: string): string {
  if (v === null || v === undefined) return NULL;
  let text: string | null;
  if (isJsonType(type)) text = (JSON.stringify(v, bigintAsText) as string | undefined) ?? null;
  else if (Array.isArray(v) && type.endsWith('[]')) text = arrayLiteral(v);
  else text = scalarText(v);
  return text === null ? NULL : escapeCopy(text);
}

/** The rows as one COPY text payload, columns in the order given (one line per row). */
export function copyRows(rows: readonly DbRecord[], columns: readonly ColumnInfo[]): string {
  let out = '';
  for (const r of rows) {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) line += '\t';
      line += copyValue(r[columns[i]!.name], columns[i]!.type);
    }
    out += `${line}\n`;
  }
  return out;
}
