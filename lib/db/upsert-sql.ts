/**
 * Pure SQL building for the postgres adaptor's write operations. No I/O.
 *
 * Values never enter SQL text. Two ways for a batch to travel, same result:
 * - JSON: one statement whose ONE parameter is the batch as a JSON array,
 *   expanded server-side by `json_to_recordset` into the real column types
 *   (one round trip, far below the 65535-parameter limit);
 * - staged: the rows are COPYed (copy-text.ts) into a session-private staging
 *   table with the same column types, then merged by the same statement reading
 *   from it. Cheaper for large batches: COPY skips the JSON parse per field.
 * Identifiers are quoted and must be real columns of the table.
 */
import { createHash } from 'node:crypto';

export type KeySpec = string | readonly string[];
export type DbRecord = Record<string, unknown>;

export interface ColumnInfo {
  name: string;
  /** As `format_type()` prints it, e.g. `text`, `timestamp with time zone`, `text[]`. */
  type: string;
}

export class SqlBuildError extends Error {
  override readonly name = 'SqlBuildError';
}

/** `'id'`, `'a,b'`, `'(a, b)'` or `['a', 'b']` -> `['a', 'b']`. */
export function parseKey(key: KeySpec): string[] {
  const parts = typeof key === 'string' ? key.trim().replace(/^\((.*)\)$/s, '$1').split(',') : [...key];
  const names = parts.map((p) => (typeof p === 'string' ? p.trim() : p));
  if (names.length === 0 || names.some((n) => typeof n !== 'string' || n === '')) {
    throw new SqlBuildError(`invalid conflict key ${JSON.stringify(key)}: give a column name, "a,b" or an array of names`);
  }
  if (new Set(names).size !== names.length) throw new SqlBuildError(`conflict key ${JSON.stringify(key)} names a column twice`);
  return names;
}

export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\u0000')) throw new SqlBuildError(`invalid identifier ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** `cases` or `schema.cases`; a name with a dot in it must be given pre-quoted. */
export function splitTableName(table: string): string[] {
  const m = /^(?:("(?:[^"]|"")+"|[^".]+)\.)?("(?:[^"]|"")+"|[^".]+)$/.exec(table.trim());
  if (!m) throw new SqlBuildError(`invalid table name ${JSON.stringify(table)}`);
  const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);
  return [m[1], m[2]].filter((s): s is string => s !== undefined).map(unquote);
}

export function quoteTable(table: string): string {
  return splitTableName(table).map(quoteIdent).join('.');
}

function keyPart(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export interface Deduplicated {
  records: DbRecord[];
  /** Records dropped because a later record had the same key. */
  duplicates: number;
}

/** Last record wins for each key (the order of first appearance is kept). */
export function dedupeByKey(table: string, records: readonly unknown[], key: readonly string[]): Deduplicated {
  const byKey = new Map<string, DbRecord>();
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new SqlBuildError(`${table}: record ${i} is not an object`);
    }
    const rec = r as DbRecord;
    let k = '';
    for (const col of key) {
      const v = rec[col];
      // Never echo the value: it may be personal data.
      if (v === undefined || v === null) throw new SqlBuildError(`${table}: record ${i} has no value for key column "${col}"`);
      k += `${keyPart(v)}\u0001`;
    }
    byKey.set(k, rec);
  });
  return { records: [...byKey.values()], duplicates: records.length - byKey.size };
}

export interface Shape {
  columns: string[];
  rows: DbRecord[];
}

/**
 * Groups records by their set of keys. A key absent from a record means "not
 * given": on insert the column gets its default, on update it keeps its value.
 * A key present with null/undefined writes NULL. Usually there is one shape.
 */
export function groupByShape(records: readonly DbRecord[]): Shape[] {
  const shapes = new Map<string, Shape>();
  // Records built by one mapping share their keys in the same order: reuse the last
  // record's shape without sorting when its keys repeat.
  let lastKeys: string[] = [];
  let last: Shape | undefined;
  for (const r of records) {
    const keys = Object.keys(r);
    if (last && sameKeys(keys, lastKeys)) {
      last.rows.push(r);
      continue;
    }
    const columns = [...keys].sort();
    const id = columns.join('\u0000');
    let s = shapes.get(id);
    if (!s) shapes.set(id, (s = { columns, rows: [] }));
    s.rows.push(r);
    lastKeys = keys;
    last = s;
  }
  return [...shapes.values()];
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Every used column must exist in the table; the error names table and column. */
export function resolveColumns(table: string, tableColumns: readonly ColumnInfo[], used: readonly string[]): ColumnInfo[] {
  const byName = new Map(tableColumns.map((c) => [c.name, c]));
  return used.map((name) => {
    const c = byName.get(name);
    if (!c) throw new SqlBuildError(`table ${table} has no column ${JSON.stringify(name)}`);
    return c;
  });
}

/** Where a statement reads the batch from, and how it names the columns there. */
export interface RowSource {
  select: string;
  from: string;
}

/** The batch as the statement's one JSON parameter. */
export function recordsetSource(columns: readonly ColumnInfo[]): RowSource {
  const select = columns.map((c) => `r.${quoteIdent(c.name)}`).join(', ');
  const defs = columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
  return { select, from: `json_to_recordset($1::json) AS r(${defs})` };
}

/**
 * The bulk path: the batch is first COPYed into a session-private staging
 * table with just these columns and types, then merged with one statement.
 */
export interface StagedStatements {
  /** Creates the staging table once per session (a no-op after that); emptied at every commit. */
  create: string;
  /** `COPY ... FROM STDIN` into it, columns in `columns` order. */
  copy: string;
  /** The same insert/upsert as the JSON path, reading the staging table. */
  merge: string;
  /** Empties it for the next batch of the same transaction. */
  clear: string;
}

/** One staging table per table and column set: a migration that changes the table gets a new one. */
export function stageName(table: string, columns: readonly ColumnInfo[]): string {
  const signature = [table, ...columns.map((c) => `${c.name} ${c.type}`)].join('\u0000');
  return `primero_ona_stage_${createHash('sha1').update(signature).digest('hex').slice(0, 16)}`;
}

function staged(table: string, columns: readonly ColumnInfo[], merge: (source: RowSource) => string): StagedStatements {
  const stage = quoteIdent(stageName(table, columns));
  const cols = columns.map((c) => quoteIdent(c.name)).join(', ');
  return {
    create: `CREATE TEMP TABLE IF NOT EXISTS ${stage} ON COMMIT DELETE ROWS AS SELECT ${cols} FROM ${quoteTable(table)} WITH NO DATA`,
    copy: `COPY ${stage} (${cols}) FROM STDIN`,
    merge: merge({ select: cols, from: stage }),
    clear: `TRUNCATE ${stage}`,
  };
}

/**
 * One statement: insert the batch, update rows whose key exists, and answer
 * with one row `{inserted, affected}` (xmax = 0 marks a freshly inserted row).
 */
export function buildUpsertSql(table: string, columns: readonly ColumnInfo[], key: readonly string[], source: RowSource = recordsetSource(columns)): string {
  const names = columns.map((c) => c.name);
  for (const k of key) {
    if (!names.includes(k)) throw new SqlBuildError(`${table}: key column ${JSON.stringify(k)} is missing from the records`);
  }
  const { select, from } = source;
  const cols = columns.map((c) => quoteIdent(c.name)).join(', ');
  const target = key.map(quoteIdent).join(', ');
  const updates = columns.filter((c) => !key.includes(c.name)).map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`);
  const action = updates.length ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING';
  return [
    'WITH up AS (',
    `  INSERT INTO ${quoteTable(table)} (${cols})`,
    `  SELECT ${select} FROM ${from}`,
    `  ON CONFLICT (${target}) ${action}`,
    '  RETURNING (xmax = 0) AS inserted',
    ')',
    'SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS affected FROM up',
  ].join('\n');
}

export interface InsertOptions {
  /** `ON CONFLICT DO NOTHING`: a row that would break a unique constraint is skipped, and not counted as inserted. */
  skipConflicts?: boolean;
}

export function buildInsertSql(table: string, columns: readonly ColumnInfo[], options: InsertOptions = {}, source: RowSource = recordsetSource(columns)): string {
  const { select, from } = source;
  const cols = columns.map((c) => quoteIdent(c.name)).join(', ');
  return `INSERT INTO ${quoteTable(table)} (${cols})\nSELECT ${select} FROM ${from}${options.skipConflicts ? '\nON CONFLICT DO NOTHING' : ''}`;
}

/**
 * The official adaptor's `setNull`: whole values equal to one of these strings
 * become NULL. Off unless asked for: the official default ("'undefined'")
 * rewrote that text anywhere in the SQL, inside other values too.
 */
export function nullMarkers(setNull: unknown): Set<string> {
  if (setNull === false || setNull === undefined || setNull === null) return new Set();
  const list = Array.isArray(setNull) ? setNull : [setNull];
  if (!list.every((s) => typeof s === 'string')) throw new SqlBuildError('setNull must be a string or an array of strings');
  // The official default is "'undefined'" (an SQL literal); accept it quoted or bare.
  return new Set(list.map((s: string) => s.replace(/^'(.*)'$/s, '$1')));
}

/** Serializes a batch for the single json parameter. */
export function batchToJson(rows: readonly DbRecord[], markers: ReadonlySet<string>): string {
  if (markers.size > 0) return JSON.stringify(rows, (k, v) => (typeof v === 'string' && markers.has(v) && k !== '' ? null : replacer(k, v)));
  // A replacer runs for every value; only a bigint needs one, and JSON.stringify throws on it.
  try {
    return JSON.stringify(rows);
  } catch (e) {
    if (e instanceof TypeError && /bigint/i.test(e.message)) return JSON.stringify(rows, replacer);
    throw e;
  }
}

function replacer(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

export interface PlannedStatement {
  kind: 'upsert' | 'insert';
  /** The JSON path: one statement, the rows as its parameter. */
  text: string;
  rows: DbRecord[];
  /** The rows' columns, in the order `staged.copy` and `direct` expect them. */
  columns: ColumnInfo[];
  staged: StagedStatements;
  /**
   * Inserts only: `COPY` straight into the table. Same meaning as the insert
   * (a conflict fails it), without the staging step. With skipConflicts it is
   * tried first and the staged merge is the fallback when a row conflicts.
   */
  direct?: string;
  /** Inserts only: rows that would break a unique constraint are skipped. */
  skipConflicts?: boolean;
}

export interface UpsertPlan {
  statements: PlannedStatement[];
  duplicates: number;
  records: number;
}

export const DEFAULT_BATCH_SIZE = 5000;

export interface PlanOptions {
  batchSize?: number;
}

/** Dedupe, group by shape, check columns, split into batches: every statement the call will run. */
export function planUpsert(
  table: string,
  records: readonly unknown[],
  keySpec: KeySpec,
  tableColumns: readonly ColumnInfo[],
  options: PlanOptions = {},
): UpsertPlan {
  const key = parseKey(keySpec);
  resolveColumns(table, tableColumns, key);
  const { records: unique, duplicates } = dedupeByKey(table, records, key);
  const statements: PlannedStatement[] = [];
  for (const shape of groupByShape(unique)) {
    const columns = resolveColumns(table, tableColumns, shape.columns);
    const text = buildUpsertSql(table, columns, key);
    const stage = staged(table, columns, (source) => buildUpsertSql(table, columns, key, source));
    for (const rows of chunk(shape.rows, options.batchSize ?? DEFAULT_BATCH_SIZE)) statements.push({ kind: 'upsert', text, rows, columns, staged: stage });
  }
  return { statements, duplicates, records: records.length };
}

export function planInsert(
  table: string,
  records: readonly unknown[],
  tableColumns: readonly ColumnInfo[],
  options: PlanOptions & InsertOptions = {},
): UpsertPlan {
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new SqlBuildError(`${table}: record ${i} is not an object`);
  });
  const statements: PlannedStatement[] = [];
  const insert = { skipConflicts: options.skipConflicts ?? false };
  for (const shape of groupByShape(records as DbRecord[])) {
    const columns = resolveColumns(table, tableColumns, shape.columns);
    const text = buildInsertSql(table, columns, insert);
    const stage = staged(table, columns, (source) => buildInsertSql(table, columns, insert, source));
    const direct = `COPY ${quoteTable(table)} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) FROM STDIN`;
    for (const rows of chunk(shape.rows, options.batchSize ?? DEFAULT_BATCH_SIZE)) {
      statements.push({ kind: 'insert', text, rows, columns, staged: stage, direct, skipConflicts: insert.skipConflicts });
    }
  }
  return { statements, duplicates: 0, records: records.length };
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new SqlBuildError(`batch size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Column metadata of a table, by parameter (the table name never enters SQL text). */
export const DESCRIBE_COLUMNS_SQL = `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_attribute a
WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`;
