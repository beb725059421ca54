import { MEMBERSHIP_QUERY, type BatchMessage, type QueryCursor, type QueryId } from './messages.ts';
import { INDICATOR_RULES } from './indicators/declared.ts';
import type { PrimeroFilter } from './indicators/indicator.ts';

/**
 * The Primero queries of a run. Both indicator queries and the membership query
 * cover the same window on `last_updated_at`; none filters on `record_state`,
 * so a case Primero disabled is seen, and removed from `cases`, instead of
 * silently staying there.
 */
export { REINTEGRATION_TYPE } from './indicators/declared.ts';

/** Case fields the mapping reads; `id`, `enabled` and `last_updated_at` always come. */
export const CASE_FIELDS = [
  'id',
  'case_id_display',
  'record_state',
  'created_at',
  'last_updated_at',
  'registration_date',
  // The case's status and closure date: a case counts in the quarters it was open (docs/database.md).
  'status',
  'date_closure',
  'oscar_number',
  'disability_type',
  'type_of_case',
  'sex',
  'age',
  'protection_concerns',
  'type_of_placement',
  'consent_reporting',
  'location_current',
  'location_caregiver',
  'services_section',
] as const;

/** Just enough to tell whether a changed case still belongs to an indicator, or was disabled (lib/core/removals.ts). */
export const MEMBERSHIP_RULE_FIELDS: readonly string[] = [...new Set(['id', 'last_updated_at', 'record_state', ...INDICATOR_RULES.flatMap((i) => i.reads)])];
/** What the membership query asks for: the rule's fields, and created_at for its keyset paging. */
export const MEMBERSHIP_FIELDS: readonly string[] = [...MEMBERSHIP_RULE_FIELDS, 'created_at'];

interface QueryDefinition {
  filter: PrimeroFilter;
  fields: readonly string[];
}

/** One query per declared indicator, with the fields the mapping reads; then the narrow membership query. */
export const QUERY_DEFINITIONS: Readonly<Record<QueryId, QueryDefinition>> = {
  ...Object.fromEntries(INDICATOR_RULES.map((i) => [i.id, { filter: i.query, fields: CASE_FIELDS }])),
  [MEMBERSHIP_QUERY]: { filter: {}, fields: MEMBERSHIP_FIELDS },
};

/** A Primero query: top-level filters, some bracketed (`not[type_of_case]`). */
export type CasesQuery = Record<string, string | number | Record<string, string>>;

/** The `getCases` query for one page of one query. */
export function casesQuery(id: QueryId, cursor: QueryCursor, window: BatchMessage['window']): CasesQuery {
  const def = QUERY_DEFINITIONS[id];
  if (!def) throw new Error(`no query ${id}`);
  const query: CasesQuery = {
    ...def.filter,
    last_updated_at: `${window.from}..${window.to}`,
    // created_at never changes and new cases sort last: a stable order while Primero changes.
    order_by: 'created_at',
    order: 'asc',
    fields: def.fields.join(','),
    per: cursor.per,
    page: cursor.page,
  };
  if (cursor.after) query.created_at = `${cursor.after}..`;
  return query;
}
