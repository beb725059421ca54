import { execute, fn, getCases, getForms, getLocations, getLookups } from '@openfn/language-primero';
import { BatchMessage, cursorOf, type QueryId } from '../../lib/core/messages.ts';
import { parseAt, type FetchedReference } from '../../lib/core/job-states.ts';
import { casesQuery } from '../../lib/core/queries.ts';
import { assembleFetchedBatch, type FetchedPage } from '../../lib/core/fetched-pages.ts';
import { pendingQueries } from '../../lib/core/paging.ts';
import { everyPage, retrying, type RetryOptions } from '../../lib/core/primero-calls.ts';
import { provincesAndDistricts } from '../../lib/core/reference/location-levels.ts';

type S = Record<string, any>;
const message = (s: S): BatchMessage => s.message;
/** Retries say why on the job's log; in legacy token mode a refused token is renewed by a fresh `execute` (a new login). */
const calls: RetryOptions = { log: (line) => console.warn(line), relogin: (op) => execute(op) };

/** Primero is a shared production server: never more than two requests at once. */
const MAX_CONCURRENT_REQUESTS = 2;
/** Lookups and locations are read in pages of this many (Cambodia has more than 1000 locations). */
const REFERENCE_PAGE = 1000;

export const readMessage = fn((s: S) => ({ ...s, data: null, message: parseAt(BatchMessage, s.data, 'fetch input') }));

/** One page of one query, as the adaptor returns it; old `metadata` cleared first, as the adaptor keeps a stale one. */
async function readPage(s: S, id: QueryId): Promise<FetchedPage> {
  const m = message(s);
  const cursor = cursorOf(m.queries, id);
  const query = casesQuery(id, cursor, m.window);
  const next = await retrying(`cases (${id}, page ${cursor.page})`, getCases(query), calls)({ ...s, data: null, metadata: undefined, references: [] });
  return { records: Array.isArray(next.data) ? next.data : [], metadata: next.metadata ?? null };
}

export const readPages = fn(async (s: S) => {
  const pending = pendingQueries(message(s).queries);
  const pages: Partial<Record<QueryId, FetchedPage>> = {};
  for (let i = 0; i < pending.length; i += MAX_CONCURRENT_REQUESTS) {
    const group = pending.slice(i, i + MAX_CONCURRENT_REQUESTS);
    const read = await Promise.all(group.map((id) => readPage(s, id)));
    group.forEach((id, k) => (pages[id] = read[k]));
  }
  return { ...s, pages };
});

/** A reference list, or null and a warning: labels then come from the bundled copy. */
async function referenceList(s: S, what: string, op: (state: S) => Promise<S> | S): Promise<{ items: unknown[] | null; warning: string | null }> {
  try {
    const next = await op({ ...s, data: null, references: [] });
    return { items: Array.isArray(next.data) ? next.data : [], warning: null };
  } catch (e) {
    return { items: null, warning: `Primero ${what}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}

// Once per run (its first batch); a dry run writes none of it, so it reads it on every batch.
export const readReference = fn(async (s: S) => {
  if (message(s).batch !== 1 && !message(s).dryRun) return { ...s, reference: null };
  const lookups = await referenceList(s, 'lookups', everyPage('lookups', (q) => getLookups(q), {}, REFERENCE_PAGE, calls));
  const forms = await referenceList(s, 'forms', retrying('forms', getForms({ record_type: 'case' }), calls));
  const locations = await referenceList(s, 'locations', everyPage('locations', (q) => getLocations(q), { hierarchy: true, order_by: 'code' }, REFERENCE_PAGE, calls));
  const reference: FetchedReference = {
    lookups: lookups.items,
    forms: forms.items,
    locations: locations.items === null ? null : provincesAndDistricts(locations.items),
    warnings: [lookups.warning, forms.warning, locations.warning].filter((w): w is string => w !== null),
  };
  return { ...s, reference };
});

/** The batch for upsert: the merged cases and the moved cursors; nothing else of Primero's answers. */
export const handOnBatch = fn((s: S) => ({ data: assembleFetchedBatch(message(s), s.pages, s.reference) }));
