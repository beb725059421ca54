/**
 * The SQL text that @openfn/language-postgresql 8.1.2 generates, rebuilt from
 * its documented behaviour (openfn-facts.md §2.4–§2.6), weaknesses included:
 * table and column names go in raw, values are inlined by pg-format's `%L`,
 * insertMany/upsertMany take their columns from the FIRST record and every
 * record's values by position, and `setNull` is a textual replace over the
 * whole statement. Pure: no I/O.
 */
import format from 'pg-format';

export { format };

type Row = Record<string, unknown>;

/** The literal the official replaces by NULL when no `setNull` is given. */
const DEFAULT_NULL_STRING = "'undefined'";

export interface GeneralOptions {
  writeSql?: boolean;
  execute?: boolean;
  logValues?: boolean;
  setNull?: unknown;
  values?: unknown[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `options.setNull` as the official reads it: false turns it off; otherwise the given value or `'undefined'`. */
export function setNullOf(options: GeneralOptions | undefined): unknown {
  if (options?.setNull === false) return false;
  return options?.setNull || DEFAULT_NULL_STRING;
}

/** Replaces every occurrence of the null string(s) in the whole statement by NULL. */
export function applySetNull(sql: string, nullString: unknown): string {
  // `== false` as the official: false, '' and 0 leave the text alone.
  // eslint-disable-next-line eqeqeq
  if (nullString == false) return sql;
  if (Array.isArray(nullString)) {
    return nullString.reduce<string>((text, ns) => text.replace(new RegExp(escapeRegExp(ns as string), 'g'), 'NULL'), sql);
  }
  if (typeof nullString === 'object') {
    // The official throws this string itself, not an Error.
    throw 'setNull must be a string or an array of strings.';
  }
  return sql.replace(new RegExp(escapeRegExp(nullString as string), 'g'), 'NULL');
}

/** The statement to run and the one to log (`VALUES [--REDACTED--]`). */
export interface Statement {
  query: string;
  safeQuery: string;
}

function conflictOf(uuid: string): string {
  // A key with a space is taken verbatim (`ON CONSTRAINT x`, `(a, b)`); otherwise parenthesised.
  return uuid.split(' ').length > 1 ? uuid : `(${uuid})`;
}

export function insertStatement(table: unknown, record: Row, options?: GeneralOptions): Statement {
  const columns = Object.keys(record).sort();
  const columnsList = columns.join(', ');
  const values = columns.map((k) => record[k]);
  return {
    query: applySetNull(format(`INSERT INTO ${table} (${columnsList}) VALUES (%L);`, values), setNullOf(options)),
    safeQuery: `INSERT INTO ${table} (${columnsList}) VALUES [--REDACTED--]];`,
  };
}

export function insertManyStatement(table: unknown, records: Row[], options?: GeneralOptions): Statement {
  const columns = Object.keys(records[0]!);
  const columnsList = columns.join(', ');
  const valueSets = records.map((r) => Object.values(r));
  return {
    query: applySetNull(format(`INSERT INTO ${table} (${columnsList}) VALUES %L;`, valueSets), setNullOf(options)),
    safeQuery: `INSERT INTO ${table} (${columnsList}) VALUES [--REDACTED--]];`,
  };
}

function upsertTail(columns: string[], uuid: string): string {
  const updateValues = columns.map((k) => `${k}=excluded.${k}`).join(', ');
  return `\n        ON CONFLICT ${conflictOf(uuid)}\n        DO UPDATE SET ${updateValues};`;
}

export function upsertStatement(table: unknown, uuid: string, record: Row, options?: GeneralOptions): Statement {
  const columns = Object.keys(record).sort();
  const columnsList = columns.join(', ');
  const values = columns.map((k) => record[k]);
  // `uuid.split` throws a TypeError for a non-string key, as the official.
  const tail = upsertTail(columns, uuid);
  return {
    query: applySetNull(`${format(`INSERT INTO ${table} (${columnsList}) VALUES (%L)`, values)}${tail}`, setNullOf(options)),
    safeQuery: `INSERT INTO ${table} (${columnsList}) VALUES [--REDACTED--]${tail}`,
  };
}

export function upsertManyStatement(table: unknown, uuid: string, records: Row[], options?: GeneralOptions): Statement {
  const columns = Object.keys(records[0]!);
  const columnsList = columns.join(', ');
  const values = records.map((r) => Object.values(r));
  const tail = upsertTail(columns, uuid);
  return {
    query: applySetNull(`${format(`INSERT INTO ${table} (${columnsList}) VALUES %L`, values)}${tail}`, setNullOf(options)),
    safeQuery: `INSERT INTO ${table} (${columnsList}) VALUES [--REDACTED--]${tail}`,
  };
}

export function findValueQuery(uuid: unknown, relation: unknown, where?: Record<string, unknown>, operator?: Record<string, unknown>): string {
  const conditions: string[] = [];
  for (const key in where) conditions.push(format('%I %s %L', key, (operator?.[key] as string) || '=', where[key]));
  const condition = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
  return format('select %I from %I %s', uuid, relation, condition);
}

export function describeTableQuery(name: unknown): string {
  return `SELECT column_name, udt_name, is_nullable
        FROM information_schema.columns
        WHERE table_name='${name}';`;
}

export interface ColumnDefinition {
  name: string;
  type: string;
  default?: unknown;
  unique?: boolean;
  identity?: boolean;
  required?: boolean;
}

function defaultClause(c: ColumnDefinition): string {
  if (!Object.prototype.hasOwnProperty.call(c, 'default')) return '';
  const quoted = c.type.includes('varchar') || c.type.includes('text') || c.type.includes('BIT');
  return quoted ? `DEFAULT '${c.default}'` : `DEFAULT ${c.default}`;
}

export function createTableQuery(table: unknown, columns: ColumnDefinition[]): string {
  const structure = columns
    .map(
      (c) =>
        `${c.name} ${c.type} ${defaultClause(c)} ${c.unique ? 'UNIQUE' : ''} ${c.identity ? 'GENERATED BY DEFAULT AS IDENTITY' : ''} ${
          c.required ? 'NOT NULL' : ''
        }`,
    )
    .join(', ');
  return `CREATE TABLE ${table} (\n        ${structure}\n      );`;
}

export function alterTableQuery(table: unknown, columns: ColumnDefinition[]): string {
  const structure = columns
    .map((c) => `ADD COLUMN ${c.name} ${c.type} ${defaultClause(c)} ${c.identity ? 'GENERATED BY DEFAULT AS IDENTITY' : ''} ${c.required ? 'NOT NULL' : ''}`)
    .join(', ');
  return `ALTER TABLE ${table} ${structure};`;
}
