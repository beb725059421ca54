/**
 * Pure: stored case -> API JSON (§2.4, §2.7). `id`, `enabled` and
 * `last_updated_at` are always present; other keys only when selected and
 * present (absent is omitted, never null); datetimes are ISO-8601 UTC with
 * milliseconds, dates 'YYYY-MM-DD'.
 */
import type { SimCase, SimService } from './generator.ts';
import { DATETIME_FIELDS, SUMMARY_FIELDS, SUBFORM_DATETIME_FIELDS } from './fields.ts';
import { fieldValue } from './filters.ts';
import type { RackValue } from './query-params.ts';

export type FieldSelection = { kind: 'all' } | { kind: 'list'; fields: ReadonlySet<string> };

const SUMMARY = new Set(SUMMARY_FIELDS);

export function parseFieldSelection(fields: RackValue | undefined): FieldSelection {
  if (typeof fields !== 'string' || fields.trim() === '') return { kind: 'all' };
  if (fields === 'short') return { kind: 'list', fields: SUMMARY };
  return { kind: 'list', fields: new Set(fields.split(',').map((f) => f.trim()).filter(Boolean)) };
}

export const isoDateTime = (ms: number): string => new Date(ms).toISOString();

function renderService(row: SimService): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v === undefined) continue;
    out[k] = SUBFORM_DATETIME_FIELDS.has(k) && typeof v === 'number' ? isoDateTime(v) : v;
  }
  return out;
}

function renderValue(field: string, v: unknown): unknown {
  if (DATETIME_FIELDS.has(field) && typeof v === 'number') return isoDateTime(v);
  if (field === 'services_section' && Array.isArray(v)) return (v as SimService[]).map(renderService);
  if (field === 'service_implemented_day_times' && Array.isArray(v)) return (v as number[]).map(isoDateTime);
  if (Array.isArray(v)) return [...v];
  return v;
}

// Computed keys Primero adds when selected (alert_count is present without `fields`, §6.1).
const COMPUTED: Record<string, (c: SimCase) => unknown> = {
  alert_count: () => 0,
  record_in_scope: () => true,
  service_implemented_day_times: (c) => fieldValue(c, 'service_implemented_day_times'),
};

export function renderCase(c: SimCase, selection: FieldSelection): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, enabled: c.record_state };
  const wants = (f: string) => selection.kind === 'all' || selection.fields.has(f);
  for (const key of Object.keys(c)) {
    if (key === 'id' || key === 'last_updated_at' || !wants(key)) continue;
    const v = c[key];
    if (v === undefined || v === null) continue;
    out[key] = key === 'name' && c.hidden_name === true ? '*******' : renderValue(key, v);
  }
  for (const [key, compute] of Object.entries(COMPUTED)) {
    if (!wants(key)) continue;
    const v = compute(c);
    if (v !== undefined) out[key] = renderValue(key, v);
  }
  out.last_updated_at = isoDateTime(c.last_updated_at);
  return out;
}
