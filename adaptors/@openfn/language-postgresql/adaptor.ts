/**
 * The operations of @openfn/language-postgresql 8.1.2 (its src/Adaptor.js),
 * rebuilt from its documented behaviour (openfn-facts.md §2): same names,
 * arguments, options, resulting state, SQL text and log lines, except that a
 * log line never carries values (`logValues` is accepted and has no effect on
 * logs). Connections: see ./connection.ts.
 */
import { commonExecute, common, composeNextState, expandReferences, type Operation, type State } from '../../common.ts';
import { currentClient, log as say, runWithConnection, setOutsideClient, StepConnection } from './connection.ts';
import {
  alterTableQuery,
  createTableQuery,
  describeTableQuery,
  findValueQuery,
  insertManyStatement,
  insertStatement,
  upsertManyStatement,
  upsertStatement,
  type ColumnDefinition,
  type GeneralOptions,
} from './sql-text.ts';

export type { Operation, State };

/** A class 22 (data exception) message quotes the offending input; the log line leaves it out. */
function errorLine(e: unknown): string {
  if (!(e instanceof Error)) return 'operation failed';
  const code = (e as { code?: unknown }).code;
  const message = typeof code === 'string' && code.startsWith('22') ? e.message.replace(/:\s*".*"$/s, '') : e.message;
  return `${e.name}: ${message}`;
}

/**
 * Runs the operations on one connection (opened at the first query) with
 * `{references: [], data: null, queries: []}` under the given state. On error
 * the connection is dropped and the error rethrown as it is.
 */
export function execute(...operations: Operation[]): (state: State) => Promise<State> {
  const initialState = { references: [], data: null, queries: [] };
  return async (state) => {
    const connection = new StepConnection(state?.configuration);
    let next: State;
    try {
      next = await runWithConnection(connection, () => commonExecute(...operations)({ ...initialState, ...state }));
    } catch (e) {
      await connection.end(true);
      say.error(errorLine(e));
      throw e;
    }
    await connection.end(false);
    return next;
  };
}

/** The official's test hook: the client used by operations that run outside `execute`. */
export function setMockClient(mockClient: unknown): void {
  setOutsideClient(mockClient);
}

/** The official `handleQueryOptions`: writeSql pushes the full statement; `execute: false` only logs (8.x runs it anyway). */
function handleQueryOptions(state: State, query: unknown, options: GeneralOptions | undefined): void {
  const { writeSql = false, execute = true } = options || {};
  if (writeSql === true) {
    say.info('Adding prepared SQL to state.queries array.');
    state.queries.push(query);
  }
  if (execute === false) {
    say.info('Not executing query; options.execute === false');
    say.info('Query not executed.');
  }
}

async function queryHandler(query: unknown, values?: unknown[]) {
  const result = values ? await currentClient().query(query, values) : await currentClient().query(query);
  say.info(`${result.command} succeeded, rowCount: ${result.rowCount}`);
  return result;
}

async function run(state: State, query: string, options: GeneralOptions | undefined): Promise<State> {
  handleQueryOptions(state, query, options);
  const result = await queryHandler(query);
  return { ...composeNextState(state, result.rows), result };
}

/** Runs a string or `{text, values, name, rowMode}`; `options.values` go as pg parameters. */
export function sql(sqlQuery: unknown, options?: unknown): Operation {
  return async (state) => {
    const [query, opts] = expandReferences(state, sqlQuery, options) as [unknown, GeneralOptions | undefined];
    handleQueryOptions(state, query, opts);
    const result = await queryHandler(query, opts?.values);
    return { ...composeNextState(state, result.rows), result };
  };
}

/** `select <uuid> from <relation> where …`; `state.data` and `state.result` = the first row's value or null. */
export function findValue(filter: unknown): Operation {
  return async (state) => {
    const [f] = expandReferences(state, filter) as [{ uuid: string; relation: string; where?: Record<string, unknown>; operator?: Record<string, unknown> }];
    const query = findValueQuery(f.uuid, f.relation, f.where, f.operator);
    say.info('Preparing to execute sql statement');
    const result = await queryHandler(query);
    const value = result.rows.length > 0 ? (result.rows[0] as Record<string, unknown>)[f.uuid] : null;
    return { ...composeNextState(state, value), result: value };
  };
}

export function insert(table: unknown, record: unknown, options?: unknown): Operation {
  return async (state) => {
    const [t, r, opts] = expandReferences(state, table, record, options) as [unknown, Record<string, unknown>, GeneralOptions | undefined];
    const { query, safeQuery } = insertStatement(t, r, opts);
    say.info(`Preparing to insert via: ${safeQuery}`);
    return run(state, query, opts);
  };
}

/** Columns from the FIRST record's keys; every record's values by position. An empty list is skipped. */
export function insertMany(table: unknown, records: unknown, options?: unknown): Operation {
  return async (state) => {
    const [t, rows, opts] = expandReferences(state, table, records, options) as [unknown, Record<string, unknown>[] | undefined, GeneralOptions | undefined];
    if (!rows || rows.length === 0) {
      say.info('No records provided; skipping insert.');
      return state;
    }
    const { query, safeQuery } = insertManyStatement(t, rows, opts);
    say.info(`Preparing to insertMany via: ${safeQuery}`);
    return run(state, query, opts);
  };
}

/** `uuid`: a column (`'id'`), `'a,b'`, or anything with a space taken verbatim (`'ON CONSTRAINT x'`). */
export function upsert(table: unknown, uuid: unknown, record: unknown, options?: unknown): Operation {
  return async (state) => {
    const [t, key, r, opts] = expandReferences(state, table, uuid, record, options) as [unknown, string, Record<string, unknown>, GeneralOptions | undefined];
    const { query, safeQuery } = upsertStatement(t, key, r, opts);
    say.info(`Preparing to upsert via: ${safeQuery}`);
    return run(state, query, opts);
  };
}

export function upsertIf(logical: unknown, table: unknown, uuid: unknown, record: unknown, options?: unknown): Operation {
  return async (state) => {
    const [ok, t, key, r, opts] = expandReferences(state, logical, table, uuid, record, options) as [
      unknown,
      unknown,
      string,
      Record<string, unknown>,
      GeneralOptions | undefined,
    ];
    if (!ok) {
      say.info(`Skipping upsert for ${key}.`);
      return state;
    }
    const { query, safeQuery } = upsertStatement(t, key, r, opts);
    say.info(`Preparing to upsert via: ${safeQuery}`);
    return run(state, query, opts);
  };
}

/** As insertMany, with ON CONFLICT … DO UPDATE; two records with one key make PostgreSQL fail (SQLSTATE 21000). */
export function upsertMany(table: unknown, uuid: unknown, data: unknown, options?: unknown): Operation {
  return async (state) => {
    const [t, key, rows, opts] = expandReferences(state, table, uuid, data, options) as [
      unknown,
      string,
      Record<string, unknown>[] | undefined,
      GeneralOptions | undefined,
    ];
    if (!rows || rows.length === 0) {
      say.info('No records provided; skipping upsert.');
      return state;
    }
    const { query, safeQuery } = upsertManyStatement(t, key, rows, opts);
    say.info(`Preparing to upsert via: ${safeQuery}`);
    return run(state, query, opts);
  };
}

/** `column_name, udt_name, is_nullable` from information_schema for every table of that name. */
export function describeTable(tableName: unknown, options?: unknown): Operation {
  return async (state) => {
    const [name, opts] = expandReferences(state, tableName, options) as [unknown, GeneralOptions | undefined];
    const query = describeTableQuery(name);
    say.info(`Preparing to describe table via: ${query}`);
    return run(state, query, opts);
  };
}

export function insertTable(tableName: unknown, columns: unknown, options?: unknown): Operation {
  return async (state) => {
    const [name, cols, opts] = expandReferences(state, tableName, columns, options) as [unknown, ColumnDefinition[] | undefined, GeneralOptions | undefined];
    if (!cols || cols.length === 0) {
      say.info('No columns provided; skipping table creation.');
      return state;
    }
    const query = createTableQuery(name, cols);
    say.info(`Preparing to create table via: ${query}`);
    return run(state, query, opts);
  };
}

export function modifyTable(tableName: unknown, columns: unknown, options?: unknown): Operation {
  return async (state) => {
    const [name, cols, opts] = expandReferences(state, tableName, columns, options) as [unknown, ColumnDefinition[] | undefined, GeneralOptions | undefined];
    if (!cols || cols.length === 0) {
      say.info('No columns provided; skipping table modification.');
      return state;
    }
    const query = alterTableQuery(name, cols);
    say.info(`Preparing to modify table via: ${query}`);
    return run(state, query, opts);
  };
}

// Re-exported from language-common, exactly the official's list.
export const alterState = common.alterState!;
export const arrayToString = common.arrayToString!;
export const as = common.as!;
export const assert = common.assert!;
export const combine = common.combine!;
export const cursor = common.cursor!;
export const dataPath = common.dataPath!;
export const dataValue = common.dataValue!;
export const dateFns = common.dateFns;
export const each = common.each!;
export const field = common.field!;
export const fields = common.fields!;
export const fn = common.fn!;
export const fnIf = common.fnIf!;
export const group = common.group!;
export const lastReferenceValue = common.lastReferenceValue!;
export const log = common.log!;
export const merge = common.merge!;
export const sourceValue = common.sourceValue!;
