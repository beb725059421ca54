// The query string as the official adaptor puts it on the wire: `qs` with its defaults (openfn-facts.md §1.6).
import qs from 'qs';
import { pageOutcome } from '../../lib/core/fetched-pages.ts';
import { cursorOf, QUERY_IDS, type BatchMessage, type QueryId } from '../../lib/core/messages.ts';
import { firstQueries } from '../../lib/core/bookmark.ts';
import { advanceCursor, allDone } from '../../lib/core/paging.ts';
import { casesQuery } from '../../lib/core/queries.ts';

/**
 * The fetch floor: the pages a sync reads (the same queries, fields, window and
 * keyset paging, via the sync's own cursor logic), read by a bare loop that
 * only sends the request and parses the JSON, one request after the other.
 * Nothing is validated, mapped or kept. Against a simulator with latency, this
 * is the latency floor: the time a client spends waiting for the same pages.
 */
export interface FetchFloorInput {
  url: string;
  user: string;
  password: string;
  window: BatchMessage['window'];
  per: number;
}

export interface FetchFloor {
  seconds: number;
  requests: number;
  batches: number;
}

/** The fetch job's page size for lookups and locations (jobs/operations/fetch.ts). */
const REFERENCE_PAGE = 1000;

interface Page {
  data: unknown[];
  metadata?: unknown;
}

export async function measureFetchFloor(input: FetchFloorInput): Promise<FetchFloor> {
  const authorization = `Basic ${Buffer.from(`${input.user}:${input.password}`).toString('base64')}`;
  let requests = 0;
  const get = async (path: string, query: Record<string, unknown>): Promise<Page> => {
    requests++;
    const res = await fetch(`${input.url}/api/v2/${path}?${qs.stringify(query)}`, { headers: { Accept: 'application/json', Authorization: authorization } });
    if (!res.ok) throw new Error(`fetch floor: GET ${path} answered ${res.status}`);
    return (await res.json()) as Page;
  };
  const started = performance.now();
  // The reference lists the sync reads on its first batch, every page of them as the fetch job reads them.
  const everyPage = async (path: string, query: Record<string, unknown>) => {
    for (let n = 1; n <= 1000; n++) {
      const page = await get(path, { ...query, per: REFERENCE_PAGE, page: n });
      if (page.data.length < REFERENCE_PAGE) break;
    }
  };
  await everyPage('lookups', {});
  await get('forms', { record_type: 'case' });
  await everyPage('locations', { hierarchy: true, order_by: 'code' });
  // The benchmark's full sync runs over an empty database, so it starts as a first run does.
  let queries: BatchMessage['queries'] = firstQueries(input.per, false);
  let batches = 0;
  while (!allDone(queries)) {
    batches++;
    const next = { ...queries };
    for (const id of QUERY_IDS as readonly QueryId[]) {
      const cursor = cursorOf(queries, id);
      if (cursor.done) continue;
      const page = await get('cases', casesQuery(id, cursor, input.window));
      next[id] = advanceCursor(cursor, pageOutcome({ records: page.data, metadata: page.metadata }, cursor));
    }
    queries = next;
  }
  return { seconds: (performance.now() - started) / 1000, requests, batches };
}
