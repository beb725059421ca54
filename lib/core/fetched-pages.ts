import type { FetchedBatch, FetchedReference } from './job-states.ts';
import { mergeById } from './merge-pages.ts';
import type { BatchMessage, QueryCursor, QueryId } from './messages.ts';
import { cursorOf, MEMBERSHIP_QUERY, QUERY_IDS } from './messages.ts';
import { INDICATOR_RULES } from './indicators/declared.ts';
import { advanceCursor, type PageOutcome } from './paging.ts';
import { CASE_FIELDS } from './queries.ts';
import { splitRemovals } from './removals.ts';

/**
 * Turns the pages one fetch read into the batch upsert writes: cursors moved
 * on, indicator cases merged by Primero id, membership records trimmed to what
 * the membership check reads.
 */
export interface FetchedPage {
  records: unknown[];
  metadata: unknown;
}

interface Metadata {
  total: number;
  per: number;
  page: number;
}
const count = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/**
 * The page's metadata, unless it is missing or contradicts the page: a total
 * below the records already seen, a page number other than the one asked.
 * Trusting such a total could end the query early and silently drop cases.
 */
export function usableMetadata(page: FetchedPage, cursor: QueryCursor): Metadata | null {
  const m = page.metadata as Partial<Metadata> | null;
  if (typeof m !== 'object' || m === null || !count(m.total) || !count(m.per) || !count(m.page)) return null;
  const seen = (cursor.page - 1) * cursor.per + page.records.length;
  if (m.total < seen || m.page !== cursor.page) return null;
  return m as Metadata;
}

/**
 * What a page says about the cursor. A page without usable metadata is still
 * loaded; more pages are assumed while pages come back full.
 */
export function pageOutcome(page: FetchedPage, cursor: QueryCursor): PageOutcome {
  const count = page.records.length;
  const total = usableMetadata(page, cursor)?.total ?? (cursor.page - 1) * cursor.per + count + (count >= cursor.per ? 1 : 0);
  let lastCreatedAt: string | null = null;
  for (let i = count - 1; i >= 0 && lastCreatedAt === null; i--) {
    const r = page.records[i] as Record<string, unknown> | null;
    const t = r && typeof r.created_at === 'string' ? r.created_at : null;
    if (t && !Number.isNaN(Date.parse(t))) lastCreatedAt = t;
  }
  // The records the next page starts with again (created_at >= lastCreatedAt): it leaves them out.
  const lastIds: string[] = [];
  for (const r of page.records as Record<string, unknown>[]) if (r?.created_at === lastCreatedAt && typeof r.id === 'string') lastIds.push(r.id);
  return { total, count, lastCreatedAt, lastIds };
}

/** A page without the records its cursor says the previous page read (keyset paging starts at the boundary, inclusive). */
function unseen(page: FetchedPage | undefined, cursor: QueryCursor): unknown[] {
  const records = page?.records ?? [];
  if (cursor.seen.length === 0 || cursor.page !== 1) return records;
  const seen = new Set(cursor.seen);
  return records.filter((r) => !seen.has((r as Record<string, unknown> | null)?.id as string));
}

const CASE_KEYS: readonly string[] = [...CASE_FIELDS, 'enabled'];
const SERVICE_KEYS = ['unique_id', 'service_type', 'service_implemented_day_time'] as const;

function pick(r: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in r) out[k] = r[k];
  return out;
}

/**
 * Only the fields the mapping reads go on into state: a server that ignores
 * `fields=` (or a deployment's extra fields) must not carry names, dates of
 * birth or notes past this job. A services_section that is not a list keeps
 * only its type, which is all the mapping reports.
 */
export function trimCase(record: unknown): unknown {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  const r = pick(record as Record<string, unknown>, CASE_KEYS);
  const services = r.services_section;
  if (Array.isArray(services)) {
    r.services_section = services.map((s: unknown) => (typeof s === 'object' && s !== null && !Array.isArray(s) ? pick(s as Record<string, unknown>, SERVICE_KEYS) : typeof s));
  } else if (typeof services === 'object' && services !== null) r.services_section = {};
  else if (typeof services === 'string' && services !== '') r.services_section = 'text';
  return r;
}

/**
 * The batch for upsert. `warnings` are what this batch's people should read;
 * `reference` is Primero's reference data, set only when fetch read it (a run's
 * first batch), whatever the warnings: warnings are not reference data.
 */
export function assembleFetchedBatch(
  message: BatchMessage,
  pages: Partial<Record<QueryId, FetchedPage>>,
  reference: FetchedReference | null,
  noticed: readonly string[] = [],
): FetchedBatch {
  const advanced = { ...message.queries };
  const warnings = [...noticed];
  for (const id of QUERY_IDS) {
    const page = pages[id];
    if (!page) continue;
    const cursor = cursorOf(message.queries, id);
    if (!usableMetadata(page, cursor)) warnings.push(`${id}: page ${cursor.page} came without usable metadata; paging on while pages are full`);
    advanced[id] = advanceCursor(cursor, pageOutcome(page, cursor));
  }
  // A case of several indicators is written once: the pages merge by Primero id.
  const merged = mergeById(INDICATOR_RULES.map((i) => unseen(pages[i.id], cursorOf(message.queries, i.id)).map(trimCase)));
  const membership = unseen(pages[MEMBERSHIP_QUERY], cursorOf(message.queries, MEMBERSHIP_QUERY)).filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r));
  const { cases, removals } = splitRemovals(merged.cases, membership);
  return {
    message,
    advanced,
    cases,
    withoutId: merged.withoutId,
    removals,
    duplicates: merged.duplicates,
    reference,
    warnings,
  };
}
