// Job 1: for each query not yet done, one getCases page (indicator 4.8,
// indicator 4.11a, and the narrow membership query), merged by Primero id.
// On a run's first batch it also reads Primero's lookups, forms and locations,
// so reference data is refreshed once per run.
import { fn, fnIf, getCases, getForms, getLocations, getLookups } from '@openfn/language-primero';
import { BatchMessage, QUERY_IDS, type QueryId } from '../lib/sync/messages.ts';
import { parseAt } from '../lib/sync/job-states.ts';
import { CASES_OPTIONS, casesQuery } from '../lib/sync/queries.ts';
import { assembleFetchedBatch } from '../lib/sync/fetched-pages.ts';

type S = Record<string, any>;

const pageOf = (id: QueryId) =>
  fnIf(
    (state: S) => !state.message.queries[id].done,
    getCases(
      (state: S) => casesQuery(id, state.message.queries[id], state.message.window),
      CASES_OPTIONS,
      // Keep the page, then clear data, metadata and references: the official
      // adaptor keeps an old metadata when a response has none.
      (state: S) => ({ ...state, pages: { ...state.pages, [id]: { records: state.data, metadata: state.metadata } }, data: null, metadata: undefined, references: [] }),
    ),
  );

/** A reference list, or null and a warning: labels then come from the bundled copy. */
const referenceList = (key: 'lookups' | 'forms' | 'locations', op: (state: S) => S | Promise<S>) =>
  fn(async (state: S) => {
    try {
      const next = await op(state);
      return { ...state, reference: { ...state.reference, [key]: next.data }, data: null, references: [] };
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      return { ...state, reference: { ...state.reference, [key]: null, warnings: [...state.reference.warnings, `Primero ${key}: ${why}`] } };
    }
  });

export default [
  fn((state: S) => ({ ...state, data: null, message: parseAt(BatchMessage, state.data, 'fetch input'), pages: {}, reference: null })),
  ...QUERY_IDS.map(pageOf),
  // Once per run (its first batch); a dry run writes none of it, so it reads it on every batch.
  fnIf(
    (state: S) => state.message.batch === 1 || state.message.dryRun,
    fn(async (state: S) => {
      let s: S = { ...state, reference: { lookups: null, forms: null, locations: null, warnings: [] } };
      s = await referenceList('lookups', getLookups({ per: 1000 }))(s);
      s = await referenceList('forms', getForms({ record_type: 'case' }))(s);
      s = await referenceList('locations', getLocations({ hierarchy: true, order_by: 'code', per: 1000 }))(s);
      return s;
    }),
  ),
  fn((state: S) => ({ data: assembleFetchedBatch(state.message, state.pages, state.reference) })),
];
