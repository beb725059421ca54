/**
 * The project's PostgreSQL adaptor. Keeps the public API of the official
 * @openfn/language-postgresql 8.x for what jobs use (`execute`, `sql`,
 * `upsert`, `upsertMany`, `insert`, `insertMany`, `describeTable`,
 * `findValue`; results in `state.data` and `state.result`) and fixes its
 * flaws: values always travel as parameters, identifiers are quoted and
 * checked against the table, columns come from every record, composite keys
 * work, duplicate keys in one call are resolved (last wins) and counted, and a
 * call is one transaction. Large batches travel by COPY when the server takes
 * it (`options.copy`), and insertMany can skip conflicting rows
 * (`skipConflicts`). See lib/db/upsert-sql.ts for the SQL itself and
 * lib/db/copy-text.ts for the COPY encoding.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import * as commonModule from '@openfn/language-common';
import { copyRows } from '../lib/db/copy-text.ts';
import { resolveDatabaseConfig } from '../lib/db/config.ts';
import {
  DESCRIBE_COLUMNS_SQL,
  batchToJson,
  nullMarkers,
  planInsert,
  planUpsert,
  quoteIdent,
  quoteTable,
  type ColumnInfo,
  type KeySpec,
  type PlannedStatement,
  type UpsertPlan,
} from '../lib/db/upsert-sql.ts';
import { createLogger, type Logger } from '../lib/log/logger.ts';
import { timeIo } from '../lib/profile/io-timer.ts';

type AnyFn = (...args: any[]) => any;
/**
 * language-common's type declarations use extensionless relative re-exports,
 * which NodeNext resolution cannot follow, so its API is typed loosely here.
 */
const common = commonModule as unknown as Record<string, AnyFn> & { dateFns: Record<string, AnyFn> };
const composeNextState = common.composeNextState as (state: State, data: unknown) => State;
const commonExecute = common.execute as (...ops: Operation[]) => (state: State) => Promise<State>;

// Re-exported so jobs find them here, as with the official adaptor.
export const alterState = common.alterState as AnyFn;
export const as = common.as as AnyFn;
export const assert = common.assert as AnyFn;
export const chunk = common.chunk as AnyFn;
export const combine = common.combine as AnyFn;
export const cursor = common.cursor as AnyFn;
export const dataPath = common.dataPath as AnyFn;
export const dataValue = common.dataValue as AnyFn;
export const dateFns = common.dateFns as Record<string, AnyFn>;
export const debug = common.debug as AnyFn;
export const each = common.each as AnyFn;
export const field = common.field as AnyFn;
export const fields = common.fields as AnyFn;
export const fn = common.fn as AnyFn;
export const fnIf = common.fnIf as AnyFn;
export const group = common.group as AnyFn;
export const lastReferenceValue = common.lastReferenceValue as AnyFn;
export const log = common.log as AnyFn;
export const map = common.map as AnyFn;
export const merge = common.merge as AnyFn;
export const sourceValue = common.sourceValue as AnyFn;

export type State = { configuration?: unknown; data?: unknown; references?: unknown[]; [key: string]: any };
export type Operation = (state: State) => State | Promise<State>;
/** An argument given as a value or as a function of state (resolved when the operation runs). */
export type Arg<T> = T | ((state: State) => T);

/** What a caller may pass to run inside its own transaction. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

export interface WriteOptions {
  /** Run on this client, inside the caller's transaction: no BEGIN/COMMIT here. */
  client?: Queryable;
  /** Rows per statement (default 5000). */
  batchSize?: number;
  /** Whole string values equal to one of these become NULL (official option; off by default). */
  setNull?: string | string[] | false;
  /** Push the SQL (placeholders only, never values) to `state.queries`. */
  writeSql?: boolean;
  /** `false`: build the SQL but do not run it (the official option, honoured again). */
  execute?: boolean;
  /**
   * How rows travel. `auto` (default): a batch of COPY_MIN_ROWS or more goes by
   * COPY (inserts straight into the table; upserts into a staging table, then
   * one merge statement), when the server takes COPY (the embedded PGlite's
   * socket does not) and no setNull is given; smaller batches as one JSON
   * parameter. `never`: always JSON. `always`: COPY whenever the server takes
   * it, whatever the size.
   */
  copy?: 'auto' | 'never' | 'always';
  /** Accepted for compatibility; values are never logged. */
  logValues?: boolean;
}

export interface WriteResult {
  command: 'UPSERT' | 'INSERT';
  table: string;
  /** Rows written (inserted + updated). */
  rowCount: number;
  inserted: number;
  updated: number;
  /** Records dropped because a later record in the same call had the same key. */
  duplicates: number;
  statements: number;
  /** How the rows travelled: one JSON parameter per statement, or COPY. */
  via: 'json' | 'copy';
}

let logger: Logger = createLogger({ name: 'postgres' });
/** Lets the CLI route the adaptor's lines through its own logger. */
export function setLogger(l: Logger): void {
  logger = l;
}

/** insertMany only: skip rows that would break a unique constraint (`ON CONFLICT DO NOTHING`); `result.inserted` counts the rest. */
export interface InsertManyOptions extends WriteOptions {
  skipConflicts?: boolean;
}

/** Below this many rows one JSON statement beats COPY's extra round trips. */
export const COPY_MIN_ROWS = 200;

// ---- connections -----------------------------------------------------------

/** A statement runner, and the pooled connection under it when there is one (COPY needs it). */
interface Connection extends Queryable {
  raw?: pg.PoolClient;
}

interface Context {
  client: Connection;
  inTransaction: boolean;
}

const context = new AsyncLocalStorage<Context>();
const pools = new Map<string, pg.Pool>();

function poolFor(configuration: unknown): pg.Pool {
  const config = resolveDatabaseConfig(configuration);
  let pool = pools.get(config.key);
  if (!pool) {
    // Reused across executions so a long sync does not reconnect per batch;
    // allowExitOnIdle lets a process that forgot shutdown() still exit.
    pool = new pg.Pool({ ...config.pool, max: config.maxConnections, allowExitOnIdle: true, idleTimeoutMillis: 10_000 });
    pool.on('error', (e) => logger.warn(`idle database connection failed: ${e.message}`));
    pools.set(config.key, pool);
  }
  return pool;
}

/** Ends every pooled connection (the CLI calls this before exiting). */
export async function shutdown(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end().catch(() => {})));
}
export const close = shutdown;

/**
 * A pooled client whose statements count towards the process's database time
 * (the sync profile). One wrapper per connection, so what is cached per
 * connection (column lists) outlives a single execute().
 */
const timedClients = new WeakMap<pg.PoolClient, Connection>();
function timed(client: pg.PoolClient): Connection {
  let t = timedClients.get(client);
  if (!t) {
    t = { query: (text, values) => timeIo('database', () => client.query(text, values)), raw: client };
    timedClients.set(client, t);
  }
  return t;
}

/** Whether the server behind a connection takes COPY FROM STDIN: PGlite's socket server loses the connection on it. */
const copyCapable = new WeakMap<pg.PoolClient, Promise<boolean>>();
function takesCopy(c: Connection): Promise<boolean> {
  const raw = c.raw;
  if (!raw) return Promise.resolve(false);
  let known = copyCapable.get(raw);
  if (!known) {
    known = c.query(`SELECT position('PGlite' in version()) = 0 AS copy`).then((r) => (r.rows[0] as { copy: boolean }).copy);
    copyCapable.set(raw, known);
  }
  return known;
}

/** Runs `f` with the current client: the caller's, the execute()'s, or one checked out for this call. */
async function withClient<T>(state: State, explicit: Queryable | undefined, f: (c: Context) => Promise<T>): Promise<T> {
  if (explicit) return f({ client: explicit, inTransaction: true });
  const current = context.getStore();
  if (current) return f(current);
  const client = await poolFor(state.configuration).connect();
  let broken = false;
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    const ctx = { client: timed(client), inTransaction: false };
    return await context.run(ctx, () => f(ctx));
  } catch (e) {
    broken = true;
    throw e;
  } finally {
    client.off('error', onError);
    client.release(broken ? true : undefined);
  }
}

/**
 * Runs operations with one connection from the pool for `state.configuration`
 * and gives it back at the end (the pool stays open for the next run; see
 * `shutdown`). Errors are rethrown without values in them.
 */
export function execute(...operations: Operation[]): (state: State) => Promise<State> {
  return async (state) => {
    const initial: State = { references: [], data: null, queries: [], ...state };
    const client = await poolFor(state.configuration).connect();
    let broken = false;
    // A connection dropped between statements emits 'error' on the checked-out client; unheard,
    // that crashes the process. The job's next statement fails anyway; the client is discarded.
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    try {
      return await context.run({ client: timed(client), inTransaction: false }, () => commonExecute(...operations)(initial));
    } catch (e) {
      broken = true;
      throw scrubError(e);
    } finally {
      // A failed connection must not go back to the pool half-way through a transaction.
      client.off('error', onError);
      client.release(broken ? true : undefined);
    }
  };
}

/**
 * Runs operations in one transaction (BEGIN ... COMMIT, ROLLBACK on error).
 * Inside it, sql/upsert/insert operations do not open their own.
 */
export function transaction(...operations: Operation[]): Operation {
  return (state) =>
    withClient(state, undefined, async (ctx) => {
      if (ctx.inTransaction) return commonExecute(...operations)(state);
      await ctx.client.query('BEGIN');
      try {
        const next = await context.run({ client: ctx.client, inTransaction: true }, () => commonExecute(...operations)(state));
        await ctx.client.query('COMMIT');
        return next;
      } catch (e) {
        await ctx.client.query('ROLLBACK').catch(() => {});
        throw e;
      }
    });
}

// ---- errors ----------------------------------------------------------------

/** A database error without the parts that may quote row values (detail, where, input text). */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  constructor(
    message: string,
    readonly code?: string,
    readonly table?: string,
    readonly column?: string,
    readonly constraint?: string,
  ) {
    super(message);
  }
}

function scrubError(e: unknown, table?: string): unknown {
  if (!(e instanceof pg.DatabaseError)) return e;
  // Class 22 (data exception) messages quote the offending input, e.g. invalid input syntax for type integer: "x".
  const message = e.code?.startsWith('22') ? e.message.replace(/:\s*".*"$/s, '') : e.message;
  const where = table ?? e.table;
  return new DatabaseError(
    `${where ? `${where}: ` : ''}${message}${e.column ? ` (column ${e.column})` : ''}${e.constraint ? ` (constraint ${e.constraint})` : ''}`,
    e.code,
    e.table ?? table,
    e.column,
    e.constraint,
  );
}

// ---- helpers ---------------------------------------------------------------

function resolve<T>(arg: Arg<T>, state: State): T {
  return typeof arg === 'function' ? (arg as (s: State) => T)(state) : arg;
}

function recordQuery(state: State, text: string, options: { writeSql?: boolean } | undefined): State {
  if (!options?.writeSql) return state;
  return { ...state, queries: [...(Array.isArray(state.queries) ? state.queries : []), text] };
}

/**
 * Column lists per connection: a sync writes the same tables every batch on
 * the same pooled connection, and information_schema is not cheap. A list is
 * read again when a record names a column it lacks (the table may have changed).
 */
const columnCache = new WeakMap<Queryable, Map<string, ColumnInfo[]>>();

async function tableColumns(client: Queryable, table: string, fresh = false): Promise<ColumnInfo[]> {
  let byTable = columnCache.get(client);
  if (!byTable) columnCache.set(client, (byTable = new Map()));
  const known = fresh ? undefined : byTable.get(table);
  if (known) return known;
  const { rows } = await client.query(DESCRIBE_COLUMNS_SQL, [quoteTable(table)]);
  if (rows.length === 0) throw new DatabaseError(`table ${table} does not exist`, '42P01', table);
  byTable.set(table, rows as ColumnInfo[]);
  return rows as ColumnInfo[];
}

/** Builds a plan from the cached column list, or from a fresh one if the cached list refuses it. */
async function withColumns<P>(client: Queryable, table: string, build: (columns: ColumnInfo[]) => P): Promise<P> {
  try {
    return build(await tableColumns(client, table));
  } catch {
    return build(await tableColumns(client, table, true));
  }
}

async function useCopy(ctx: Context, plan: UpsertPlan, markers: ReadonlySet<string>, options: WriteOptions): Promise<boolean> {
  const mode = options.copy ?? 'auto';
  if (mode === 'never' || markers.size > 0) return false;
  if (mode === 'auto' && plan.statements.reduce((n, s) => n + s.rows.length, 0) < COPY_MIN_ROWS) return false;
  return takesCopy(ctx.client);
}

/** Streams the rows as COPY text; resolves with the number of rows the server took. */
async function copyIn(c: Connection, text: string, payload: string): Promise<number> {
  const stream = c.raw!.query(copyFrom(text));
  await timeIo('database', () => pipeline(Readable.from([payload]), stream));
  return stream.rowCount ?? 0;
}

/** COPY the rows into the statement's staging table, merge them, empty it; answers as the JSON statement would. */
async function runStaged(c: Connection, s: PlannedStatement, payload: string): Promise<pg.QueryResult> {
  await c.query(s.staged.create);
  await copyIn(c, s.staged.copy, payload);
  const res = await c.query(s.staged.merge);
  await c.query(s.staged.clear);
  return res;
}

const UNIQUE_VIOLATION = '23505';
const SAVEPOINT = 'primero_ona_direct_copy';

/**
 * Inserts by COPY straight into the table, the cheapest way in. Skipping
 * conflicts, it is tried under a savepoint: rows that conflict are rare (the
 * caller has usually cleared the way), and only then does the batch go again
 * through the staging table with ON CONFLICT DO NOTHING.
 */
async function runDirect(c: Connection, s: PlannedStatement, payload: string): Promise<StatementResult> {
  if (!s.skipConflicts) return { rowCount: await copyIn(c, s.direct!, payload), rows: [] };
  await c.query(`SAVEPOINT ${SAVEPOINT}`);
  try {
    const rowCount = await copyIn(c, s.direct!, payload);
    await c.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return { rowCount, rows: [] };
  } catch (e) {
    if (!(e instanceof pg.DatabaseError && e.code === UNIQUE_VIOLATION)) throw e;
    await c.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    return runStaged(c, s, payload);
  }
}

/** What runPlan reads of a statement's answer: upserts answer one row of counts, inserts a row count. */
type StatementResult = Pick<pg.QueryResult, 'rowCount' | 'rows'>;

function runCopy(c: Connection, s: PlannedStatement): Promise<StatementResult> {
  const payload = copyRows(s.rows, s.columns);
  return s.direct ? runDirect(c, s, payload) : runStaged(c, s, payload);
}

async function runPlan(ctx: Context, table: string, plan: UpsertPlan, options: WriteOptions): Promise<WriteResult> {
  const markers = nullMarkers(options.setNull);
  const copy = await useCopy(ctx, plan, markers, options);
  // One statement is atomic on its own; several (or a staged COPY) need a transaction unless the caller has one.
  const own = !ctx.inTransaction && (plan.statements.length > 1 || copy);
  let inserted = 0;
  let affected = 0;
  if (own) await ctx.client.query('BEGIN');
  try {
    for (const s of plan.statements) {
      const res = copy ? await runCopy(ctx.client, s) : await ctx.client.query(s.text, [batchToJson(s.rows, markers)]);
      if (s.kind === 'upsert') {
        const row = res.rows[0] as { inserted: number; affected: number };
        inserted += row.inserted;
        affected += row.affected;
      } else {
        inserted += res.rowCount ?? 0;
        affected += res.rowCount ?? 0;
      }
    }
    if (own) await ctx.client.query('COMMIT');
  } catch (e) {
    if (own) await ctx.client.query('ROLLBACK').catch(() => {});
    throw scrubError(e, table);
  }
  return {
    command: plan.statements[0]?.kind === 'insert' ? 'INSERT' : 'UPSERT',
    table,
    rowCount: affected,
    inserted,
    updated: affected - inserted,
    duplicates: plan.duplicates,
    statements: plan.statements.length,
    via: copy ? 'copy' : 'json',
  };
}

function emptyResult(command: WriteResult['command'], table: string): WriteResult {
  return { command, table, rowCount: 0, inserted: 0, updated: 0, duplicates: 0, statements: 0, via: 'json' };
}

// ---- operations ------------------------------------------------------------

export interface SqlOptions {
  values?: unknown[];
  client?: Queryable;
  writeSql?: boolean;
  execute?: boolean;
  logValues?: boolean;
}

export type QueryInput = string | { text: string; values?: unknown[]; name?: string; rowMode?: 'array' };

/** Runs a query; values go as parameters (`$1`...) through `options.values`. */
export function sql(query: Arg<QueryInput>, options: Arg<SqlOptions> = {}): Operation {
  return async (state) => {
    const q = resolve(query, state);
    const opts = resolve(options, state) ?? {};
    const text = typeof q === 'string' ? q : q.text;
    const next = recordQuery(state, text, opts);
    if (opts.execute === false) return next;
    const config = typeof q === 'string' ? { text, values: opts.values ?? [] } : { ...q, values: q.values ?? opts.values ?? [] };
    const result = await withClient(state, opts.client, async (ctx) => {
      try {
        return await ctx.client.query(config as unknown as string);
      } catch (e) {
        throw scrubError(e);
      }
    });
    logger.info(`${result.command} succeeded, rowCount: ${result.rowCount ?? 0}`);
    return { ...composeNextState(next, result.rows), result: plainResult(result) };
  };
}

function plainResult(r: pg.QueryResult) {
  return { command: r.command, rowCount: r.rowCount, rows: r.rows, fields: r.fields?.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) };
}

/**
 * Inserts or updates records by `key` (a column, `'a,b'` or `['a','b']`).
 * `state.result` reports rows inserted/updated and duplicates resolved.
 */
export function upsertMany(table: Arg<string>, key: Arg<KeySpec>, records: Arg<unknown[]>, options: Arg<WriteOptions> = {}): Operation {
  return async (state) => {
    const t = resolve(table, state);
    const k = resolve(key, state);
    const rows = resolve(records, state);
    const opts = resolve(options, state) ?? {};
    if (!Array.isArray(rows)) throw new TypeError(`upsertMany ${t}: records must be an array`);
    if (rows.length === 0) {
      logger.info(`No records provided; skipping upsert into ${t}.`);
      return { ...composeNextState(state, []), result: emptyResult('UPSERT', t) };
    }
    return withClient(state, opts.client, async (ctx) => {
      const plan = await withColumns(ctx.client, t, (columns) => planUpsert(t, rows, k, columns, opts));
      const next = recordQuery(state, plan.statements[0]!.text, opts);
      if (opts.execute === false) return next;
      const result = await runPlan(ctx, t, plan, opts);
      logger.info(
        `UPSERT ${t}: ${result.rowCount} rows (${result.inserted} inserted, ${result.updated} updated)` +
          (result.duplicates ? `, ${result.duplicates} duplicate keys resolved (last wins)` : ''),
      );
      return { ...composeNextState(next, []), result };
    });
  };
}

export function upsert(table: Arg<string>, key: Arg<KeySpec>, record: Arg<Record<string, unknown>>, options: Arg<WriteOptions> = {}): Operation {
  return (state) => upsertMany(table, key, [resolve(record, state)], options)(state);
}

export function upsertIf(
  logical: Arg<unknown>,
  table: Arg<string>,
  key: Arg<KeySpec>,
  record: Arg<Record<string, unknown>>,
  options: Arg<WriteOptions> = {},
): Operation {
  return (state) => {
    if (!resolve(logical, state)) {
      logger.info('Skipping upsert.');
      return state;
    }
    return upsert(table, key, record, options)(state);
  };
}

export function insertMany(table: Arg<string>, records: Arg<unknown[]>, options: Arg<InsertManyOptions> = {}): Operation {
  return async (state) => {
    const t = resolve(table, state);
    const rows = resolve(records, state);
    const opts = resolve(options, state) ?? {};
    if (!Array.isArray(rows)) throw new TypeError(`insertMany ${t}: records must be an array`);
    if (rows.length === 0) {
      logger.info(`No records provided; skipping insert into ${t}.`);
      return { ...composeNextState(state, []), result: emptyResult('INSERT', t) };
    }
    return withClient(state, opts.client, async (ctx) => {
      const plan = await withColumns(ctx.client, t, (columns) => planInsert(t, rows, columns, opts));
      const next = recordQuery(state, plan.statements[0]!.text, opts);
      if (opts.execute === false) return next;
      const result = await runPlan(ctx, t, plan, opts);
      const skipped = rows.length - result.inserted;
      logger.info(`INSERT ${t}: ${result.rowCount} rows${opts.skipConflicts && skipped > 0 ? `, ${skipped} skipped (conflicts)` : ''}`);
      return { ...composeNextState(next, []), result };
    });
  };
}

export function insert(table: Arg<string>, record: Arg<Record<string, unknown>>, options: Arg<WriteOptions> = {}): Operation {
  return (state) => insertMany(table, [resolve(record, state)], options)(state);
}

/** Columns of a table (`column_name, udt_name, is_nullable`, as the official adaptor gives them). */
export function describeTable(tableName: Arg<string>, options: Arg<{ client?: Queryable }> = {}): Operation {
  return async (state) => {
    const name = resolve(tableName, state);
    const opts = resolve(options, state) ?? {};
    const result = await withClient(state, opts.client, (ctx) =>
      ctx.client.query(
        `SELECT a.attname AS column_name, t.typname AS udt_name,
                CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable
         FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
         WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum`,
        [quoteTable(name)],
      ),
    );
    return { ...composeNextState(state, result.rows), result: plainResult(result) };
  };
}

export interface FindValueFilter {
  uuid: string;
  relation: string;
  where?: Record<string, unknown>;
  operator?: Record<string, string>;
}

const OPERATORS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=', 'like', 'ilike', 'LIKE', 'ILIKE']);

/** The value of column `uuid` in the first row of `relation` matching `where` (or null). */
export function findValue(filter: Arg<FindValueFilter>, options: Arg<{ client?: Queryable }> = {}): Operation {
  return async (state) => {
    const f = resolve(filter, state);
    const opts = resolve(options, state) ?? {};
    const values: unknown[] = [];
    const conditions = Object.entries(f.where ?? {}).map(([column, value]) => {
      const op = f.operator?.[column] ?? '=';
      if (!OPERATORS.has(op)) throw new TypeError(`findValue: unsupported operator ${JSON.stringify(op)}`);
      values.push(value);
      return `${quoteIdent(column)} ${op} $${values.length}`;
    });
    const text = `SELECT ${quoteIdent(f.uuid)} AS value FROM ${quoteTable(f.relation)}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} LIMIT 1`;
    const result = await withClient(state, opts.client, async (ctx) => {
      try {
        return await ctx.client.query(text, values);
      } catch (e) {
        throw scrubError(e, f.relation);
      }
    });
    const value = (result.rows[0] as { value?: unknown } | undefined)?.value ?? null;
    return { ...composeNextState(state, value), result: value };
  };
}
