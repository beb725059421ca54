import { execute, fn, getCases, getForms, getLocations, getLookups } from '@openfn/language-primero';
import { BatchMessage, cursorOf, QUERY_IDS, type QueryId } from '../../lib/core/messages.ts';
import type { FetchedBatch, FetchedReference } from '../../lib/core/job-states.ts';
import { parseAt } from '../../lib/core/schema.ts';
import { casesQuery } from '../../lib/core/queries.ts';
import { assembleFetchedBatch, type FetchedPage } from '../../lib/core/fetched-pages.ts';
import { pendingQueries } from '../../lib/core/paging.ts';
import { withPageSize } from '../../lib/core/bookmark.ts';
import { calling, everyPage, PrimeroCallFailed, type CallOptions, type State } from '../../lib/core/primero-calls.ts';
import { kindOf } from '../../lib/core/retry.ts';
import { provincesAndDistricts } from '../../lib/core/reference/location-levels.ts';

/** The fetch job's working state: the message it was posted, what it read, and the batch it hands upsert. */
interface FetchState extends State {
  message: BatchMessage;
  pages: Partial<Record<QueryId, FetchedPage>>;
  reference: FetchedReference | null;
  warnings: string[];
  failure?: FetchedBatch['failure'];
}

/** Retries say why on the job's log; in legacy token mode a refused token is renewed by a fresh `execute` (a new login). */
const calls: CallOptions = { log: (line) => console.warn(line), relogin: (op) => execute(op) };

/** Primero is a shared production server: never more than two requests at once. */
const MAX_CONCURRENT_REQUESTS = 2;
/** Lookups and locations are read in pages of this many (Cambodia has more than 1000 locations). */
const REFERENCE_PAGE = 1000;
/**
 * The most a batch hands upsert, in KB of JSON (the credential's `maxBatchKb`):
 * a platform stores each step's output, and one over its limit (10 MB
 * self-hosted, 512 KB on the smallest cloud plan) cannot be read by the next
 * step. Pages whose batch is larger are read again smaller, and the smaller
 * page size goes on with the run.
 */
const DEFAULT_MAX_BATCH_KB = 8 * 1024;

/**
 * The posted message (a webhook run's `data`). Run by hand after a workflow run
 * of the openfn CLI, `data` is that run's output, whose `message` is the next
 * batch's: taken as it is, so `-s <the last output>` runs the next batch.
 */
const posted = (data: unknown): unknown => (data && typeof data === 'object' && !('runId' in data) && 'message' in data ? (data as { message: unknown }).message : data);

export const readMessage = fn((s: State): FetchState => ({ ...s, data: null, message: parseAt(BatchMessage, posted(s.data), 'fetch input'), pages: {}, reference: null, warnings: [] }));

/** One page of one query, as the adaptor returns it; old `metadata` cleared first, as the adaptor keeps a stale one. */
async function readPage(s: FetchState, id: QueryId): Promise<FetchedPage> {
  const cursor = cursorOf(s.message.queries, id);
  const next = await calling(`cases (${id}, page ${cursor.page})`, getCases(casesQuery(id, cursor, s.message.window)), calls)({ ...s, data: null, metadata: undefined, references: [] });
  return { records: Array.isArray(next.data) ? next.data : [], metadata: next.metadata ?? null };
}

async function readAll(s: FetchState): Promise<FetchState> {
  const pending = pendingQueries(s.message.queries);
  const pages: FetchState['pages'] = {};
  for (let i = 0; i < pending.length; i += MAX_CONCURRENT_REQUESTS) {
    const group = pending.slice(i, i + MAX_CONCURRENT_REQUESTS);
    const read = await Promise.all(group.map((id) => readPage(s, id)));
    group.forEach((id, k) => (pages[id] = read[k]));
  }
  return { ...s, pages };
}

/** A reference list, or null and a warning: labels then come from the bundled copy. */
async function referenceList(s: FetchState, what: string, op: (state: State) => Promise<State> | State): Promise<unknown[] | null> {
  try {
    const next = await op({ ...s, data: null, references: [] });
    return Array.isArray(next.data) ? next.data : [];
  } catch (e) {
    s.warnings.push(`Primero ${what}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return null;
  }
}

/** Once per run (its first batch); a dry run writes none of it, so it reads it on every batch. */
async function readReference(s: FetchState): Promise<FetchState> {
  if (s.message.batch !== 1 && !s.message.dryRun) return s;
  const lookups = await referenceList(s, 'lookups', everyPage('lookups', (q) => getLookups(q), {}, REFERENCE_PAGE, calls));
  const forms = await referenceList(s, 'forms', calling('forms', getForms({ record_type: 'case' }), calls));
  const locations = await referenceList(s, 'locations', everyPage('locations', (q) => getLocations(q), { hierarchy: true, order_by: 'code' }, REFERENCE_PAGE, calls));
  return { ...s, reference: { lookups, forms, locations: locations && provincesAndDistricts(locations) } };
}

const batchOf = (s: FetchState): FetchedBatch => assembleFetchedBatch(s.message, s.pages, s.reference, s.warnings);

/**
 * Reads the batch's pages (smaller while the batch is over its size bound),
 * and on a run's first batch Primero's reference data. A Primero call that
 * fails past its retries is handed on as the batch's failure, classified, for
 * upsert to record: the run's ledger then says so at once.
 */
export const readBatch = fn(async (s: FetchState): Promise<FetchState> => {
  try {
    let read = await readReference(await readAll(s));
    const maxBytes = (Number(s.configuration?.maxBatchKb) || DEFAULT_MAX_BATCH_KB) * 1024;
    for (;;) {
      const bytes = Buffer.byteLength(JSON.stringify(batchOf(read)));
      const per = Math.max(...QUERY_IDS.map((id) => cursorOf(read.message.queries, id).per));
      if (bytes <= maxBytes || per === 1) break;
      // The reference data (a first batch's) does not shrink with the page: size the pages by the rest.
      const fixed = Buffer.byteLength(JSON.stringify(read.reference));
      const smaller = Math.max(1, Math.floor(((per * (maxBytes - fixed)) / (bytes - fixed)) * 0.9));
      read.warnings.push(`the batch was ${Math.round(bytes / 1024)} KB, over ${maxBytes / 1024} KB (maxBatchKb): read again ${smaller} a page`);
      const queries = Object.fromEntries(QUERY_IDS.map((id) => [id, withPageSize(cursorOf(read.message.queries, id), Math.min(smaller, cursorOf(read.message.queries, id).per))]));
      read = await readAll({ ...read, message: { ...read.message, queries } });
    }
    return read;
  } catch (e) {
    if (!(e instanceof PrimeroCallFailed)) throw e;
    console.error(`fetch failed: ${e.message}`);
    return { ...s, pages: {}, failure: { step: 'fetch', error: e.message, kind: kindOf(e.failure) } };
  }
});

/** The batch for upsert: the merged cases and the moved cursors (or the failure); nothing else of Primero's answers. */
export const handOnBatch = fn((s: FetchState) => {
  const batch = batchOf(s);
  for (const w of batch.warnings) console.warn(w);
  return { data: s.failure ? { ...batch, advanced: s.message.queries, failure: s.failure } : batch };
});
