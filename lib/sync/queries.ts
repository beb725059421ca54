import type { BatchMessage, QueryCursor, QueryId } from './messages.ts';

/**
 * The Primero queries of a run. Both indicator queries and the membership query
 * cover the same window on `last_updated_at`; none filters on `record_state`,
 * so a case Primero disabled is seen, and removed from `cases`, instead of
 * silently staying there.
 */
export const REINTEGRATION_TYPE = 'children_undergoing_reintegration_55427';

/** Case fields the mapping reads; `id`, `enabled` and `last_updated_at` always come. */
export const CASE_FIELDS = [
  'id',
  'case_id_display',
  'record_state',
  'created_at',
  'last_updated_at',
  'registration_date',
  // The case's status and closure date: a case counts in the quarters it was open (db/README.md).
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

/** Just enough to tell whether a changed case still belongs to an indicator. */
export const MEMBERSHIP_FIELDS = ['id', 'case_id_display', 'record_state', 'created_at', 'last_updated_at', 'age', 'type_of_case'] as const;

interface QueryDefinition {
  label: string;
  /** Primero filters; a nested object is a bracketed filter such as `not[type_of_case]`. */
  filter: Record<string, string | Record<string, string>>;
  fields: readonly string[];
}

export const QUERY_DEFINITIONS: Record<QueryId, QueryDefinition> = {
  indicator_4_8: {
    label: '4.8 children undergoing reintegration',
    filter: { type_of_case: REINTEGRATION_TYPE },
    fields: CASE_FIELDS,
  },
  indicator_4_11a: {
    label: '4.11a children under 18',
    // Primero ranges include both ends: 0..17 is "under 18" (the deployment's 0..18 was one year too wide).
    // Children in reintegration come with 4.8 already: leaving them out here fetches and writes each case once.
    // (Primero's `not` filter keeps cases without a type_of_case.)
    filter: { age: '0..17', not: { type_of_case: REINTEGRATION_TYPE } },
    fields: CASE_FIELDS,
  },
  membership: {
    label: 'changed cases (membership check)',
    filter: {},
    fields: MEMBERSHIP_FIELDS,
  },
};

/** A Primero query: top-level filters, some bracketed (`not[type_of_case]`). */
export type CasesQuery = Record<string, string | number | Record<string, string>>;

/** The `getCases` query for one page of one query. */
export function casesQuery(id: QueryId, cursor: QueryCursor, window: BatchMessage['window']): CasesQuery {
  const def = QUERY_DEFINITIONS[id];
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
