/**
 * The project's `@openfn/language-primero`: the official adaptor's public API
 * for what the jobs use (openfn-facts.md §1), on top of lib/primero/client.ts
 * (timeouts, retries, zod validation, Basic or token auth). Every operation is
 * `(args) => (state) => state`; arguments may be functions of state.
 * Credentials never go into state: the client lives beside it, keyed by the
 * configuration object, for the duration of `execute`.
 */
import * as commonModule from '@openfn/language-common';
import { createLogger, type Logger } from '../lib/log/logger.ts';
import { createPrimeroClient, type PrimeroClient } from '../lib/primero/client.ts';
import { parsePrimeroConfig } from '../lib/primero/config.ts';
import type { Query } from '../lib/primero/query.ts';
import type { PageMetadata } from '../lib/primero/schemas.ts';
import { nextKeysetQuery, ReadAheadCache, type KeysetReadAhead } from '../lib/primero/read-ahead.ts';

type AnyFn = (...args: any[]) => any;
/**
 * language-common's type declarations use extensionless relative re-exports that
 * NodeNext cannot follow, so its API is typed loosely here (as in postgres.ts).
 */
const common = commonModule as unknown as Record<string, AnyFn> & {
  dateFns: Record<string, AnyFn>;
  util: { expandReferences: (state: unknown, ...args: unknown[]) => unknown[] };
};
const commonExecute = common.execute as (...ops: Operation[]) => (state: State) => Promise<State>;
const expandReferences = common.util.expandReferences;

// Re-exported as the official adaptor does, so jobs find them here.
export const fn = common.fn as AnyFn;
export const fnIf = common.fnIf as AnyFn;
export const each = common.each as AnyFn;
export const dataValue = common.dataValue as AnyFn;
export const alterState = common.alterState as AnyFn;
export const log = common.log as AnyFn;
export const as = common.as as AnyFn;
export const combine = common.combine as AnyFn;
export const merge = common.merge as AnyFn;
export const field = common.field as AnyFn;
export const fields = common.fields as AnyFn;
export const sourceValue = common.sourceValue as AnyFn;
export const lastReferenceValue = common.lastReferenceValue as AnyFn;
export const dataPath = common.dataPath as AnyFn;
export const dateFns = common.dateFns;

export interface State {
  configuration?: unknown;
  data?: unknown;
  references?: unknown[];
  metadata?: PageMetadata;
  [key: string]: unknown;
}
export type Operation = (state: State) => State | Promise<State>;
type Arg<T> = T | ((state: State) => T);
type Callback = (state: State) => State | Promise<State>;
/** A query as jobs write it: any value may itself be a function of state (expandReferences). */
export type QueryArg = Record<string, unknown>;

const clients = new WeakMap<object, PrimeroClient>();
let logger: Logger | undefined;
const adaptorLogger = () => (logger ??= createLogger({ name: 'primero' }));

/** Lets the CLI or tests route the adaptor's log lines (counts and paths only). */
export function setLogger(next: Logger): void {
  logger = next;
}

function clientFor(state: State): PrimeroClient {
  const configuration = state.configuration;
  if (!configuration || typeof configuration !== 'object') {
    throw new Error('Primero adaptor: state.configuration is missing (url, user, password)');
  }
  let client = clients.get(configuration);
  if (!client) {
    client = createPrimeroClient(parsePrimeroConfig(configuration), { logger: adaptorLogger() });
    clients.set(configuration, client);
  }
  return client;
}

/** Validates the configuration and logs in (token mode) before the first operation. */
const setup: Operation = async (state) => {
  const client = clientFor(state);
  await client.login();
  return state;
};

function cleanup(state: State): void {
  const configuration = state.configuration;
  if (configuration && typeof configuration === 'object') {
    void clients.get(configuration)?.close();
    clients.delete(configuration);
  }
}

/**
 * Runs operations in order with `{references: [], data: null}` defaults (keys on
 * state win), after validating `state.configuration`; cleans up even on failure.
 */
export function execute(...operations: Operation[]): (state: State) => Promise<State> {
  return async (state) => {
    const initial: State = { references: [], data: null, ...state };
    try {
      return await commonExecute(setup, ...operations)(initial);
    } finally {
      cleanup(initial);
    }
  };
}

/** The official adaptor's composeNextState: previous data goes to references; metadata only if present. */
function composeNextState(state: State, data: unknown, metadata?: PageMetadata): State {
  const next: State = { ...state, data, references: [...(state.references ?? []), state.data] };
  if (metadata) next.metadata = metadata;
  return next;
}

export interface GetCasesOptions {
  /** As the official adaptor: fetch each case's referrals (sequential, errors ignored). */
  withReferrals?: boolean;
  /**
   * This adaptor only (the official one ignores it): once this page arrives,
   * request the next keyset page in the background, so the next getCases for
   * it does not wait (lib/primero/read-ahead.ts). Only when the configuration
   * says `readAhead: true`: a read ahead changes which request meets a fault.
   */
  readAhead?: KeysetReadAhead;
}

/** Outlives a job's execution: the page read ahead is asked for by the next batch's job. */
const readAhead = new ReadAheadCache();

/**
 * GET /api/v2/cases with `query` as top-level params (one page: the job pages
 * with `page`/`per`). Sets `state.data` to the cases and `state.metadata` to
 * `{total, per, page}`.
 */
export function getCases(query?: Arg<QueryArg>, options?: Arg<GetCasesOptions | null>, callback?: Callback): Operation {
  return async (state) => {
    const [q, opts] = expandReferences(state, query ?? {}, options) as [Query, GetCasesOptions | null | undefined];
    const client = clientFor(state);
    const server = `${client.config.url} ${client.config.user}`;
    const page = (await readAhead.take(ReadAheadCache.key(server, q))) ?? (await client.get('cases', q));
    if (opts?.readAhead && !opts.withReferrals && (state.configuration as { readAhead?: unknown }).readAhead === true) {
      const next = nextKeysetQuery(q, page, opts.readAhead.keyset);
      if (next) readAhead.put(ReadAheadCache.key(server, next), client.get('cases', next));
    }
    if (opts?.withReferrals === true) {
      for (const c of page.data) {
        try {
          const r = await client.getOne(`cases/${encodeURIComponent(String(c.id))}/referrals`);
          (c as Record<string, unknown>).referrals = r.data;
        } catch {
          // the official adaptor ignores referral errors and leaves `referrals` undefined
        }
      }
    }
    adaptorLogger().info(`getCases: ${page.data.length} case(s), page ${page.metadata?.page ?? '?'} of total ${page.metadata?.total ?? '?'}`);
    const next = composeNextState(state, page.data, page.metadata);
    return callback ? callback(next) : next;
  };
}

function listAll(resource: 'locations' | 'lookups' | 'forms') {
  return (query?: Arg<QueryArg>, callback?: Callback): Operation =>
    async (state) => {
      const [q] = expandReferences(state, query ?? {}) as [Query];
      const all = await clientFor(state).getAllPages(resource, q);
      adaptorLogger().info(`get${resource[0]?.toUpperCase()}${resource.slice(1)}: ${all.data.length} item(s) in ${all.pages} page(s)`);
      // As the official adaptor: no metadata for these three.
      const next = composeNextState(state, all.data);
      return callback ? callback(next) : next;
    };
}

/** GET /api/v2/locations, every page (pass `hierarchy: true` for admin levels and hierarchy). */
export const getLocations = listAll('locations');
/** GET /api/v2/lookups, every page. */
export const getLookups = listAll('lookups');
/** GET /api/v2/forms (e.g. `{record_type: 'case'}`), every page. */
export const getForms = listAll('forms');
