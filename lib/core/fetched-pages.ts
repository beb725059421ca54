import * as z from 'zod/mini';
import type { FetchedBatch, FetchedReference } from './job-states.ts';
import { mergeById } from './merge-pages.ts';
import type { BatchMessage, QueryCursor, QueryId } from './messages.ts';
import { cursorOf, MEMBERSHIP_QUERY, QUERY_IDS } from './messages.ts';
import { INDICATORS } from './indicators/declared.ts';
import { advanceCursor, type PageOutcome } from './paging.ts';
import { CASE_FIELDS, MEMBERSHIP_RULE_FIELDS } from './queries.ts';

/**
 * Turns the pages one fetch read into the batch upsert writes: cursors moved
 * on, indicator cases merged by Primero id, membership records trimmed to what
 * the membership check reads.
 */
export interface FetchedPage {
  records: unknown[];
  metadata: unknown;
}

const natural = () => z.int().check(z.minimum(0));
const Metadata = z.object({ total: natural(), per: natural(), page: natural() });

/**
 * The page's metadata, unless it is missing or contradicts the page: a total
 * below the records already seen, a page number other than the one asked.
 * Trusting such a total could end the query early and silently drop cases.
 */
export function usableMetadata(page: FetchedPage, cursor: QueryCursor): z.infer<typeof Metadata> | null {
  const meta = Metadata.safeParse(page.metadata);
  if (!meta.success) return null;
  const seen = (cursor.page - 1) * cursor.per + page.records.length;
  if (meta.data.total < seen || meta.data.page !== cursor.page) return null;
  return meta.data;
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
  return { total, count, lastCreatedAt };
}

// What the membership check reads, and `enabled`, which Primero always sends beside record_state.
const MEMBERSHIP_KEYS: readonly string[] = [...MEMBERSHIP_RULE_FIELDS, 'enabled'];
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

export function assembleFetchedBatch(
  message: BatchMessage,
  pages: Partial<Record<QueryId, FetchedPage>>,
  reference: FetchedReference | null,
): FetchedBatch {
  const advanced = { ...message.queries };
  const warnings: string[] = [];
  for (const id of QUERY_IDS) {
    const page = pages[id];
    if (!page) continue;
    const cursor = cursorOf(message.queries, id);
    if (!usableMetadata(page, cursor)) warnings.push(`${id}: page ${cursor.page} came without usable metadata; paging on while pages are full`);
    advanced[id] = advanceCursor(cursor, pageOutcome(page, cursor));
  }
  // A case of several indicators is written once: the pages merge by Primero id.
  const merged = mergeById(INDICATORS.map((i) => (pages[i.id]?.records ?? []).map(trimCase)));
  const membership = (pages[MEMBERSHIP_QUERY]?.records ?? [])
    .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r))
    .map((r) => pick(r, MEMBERSHIP_KEYS));
  return {
    message,
    advanced,
    cases: merged.cases,
    withoutId: merged.withoutId,
    membership,
    duplicates: merged.duplicates,
    reference: reference ? { ...reference, warnings: [...reference.warnings, ...warnings] } : warnings.length ? { lookups: null, forms: null, locations: null, warnings } : null,
  };
}
