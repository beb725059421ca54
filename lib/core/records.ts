/**
 * What a Primero case record says about itself, read the same way by the
 * fetch job (which cases leave `cases`) and the mapping.
 */

/** Primero record ids are UUIDs, and `cases.primero_id` is a uuid column: anything else would fail the batch's transaction. */
export const PRIMERO_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Primero emits both; `enabled` mirrors `record_state`. Only an explicit false disables. */
export function isDisabled(record: Record<string, unknown>): boolean {
  return record.record_state === false || record.record_state === 'false' || record.enabled === false;
}

/** The record's last_updated_at as an ISO instant, or null when it has none that reads. */
export function updatedAt(record: Record<string, unknown>): string | null {
  const t = typeof record.last_updated_at === 'string' ? Date.parse(record.last_updated_at) : NaN;
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
