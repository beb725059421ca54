/**
 * Pure: turns GET /api/v2/cases query params into a predicate over stored cases,
 * following Primero ≥ v2.13's SearchFilterService + DestringifyService
 * (primero-api-facts.md §2.1, §2.6, §4). Primero's silent behaviours are kept on
 * purpose: unknown/unpermitted params and malformed ranges are dropped, and a
 * filter that would make PostgreSQL fail (type mismatch on a srch_ column, or an
 * unparseable timestamp) turns the whole answer into an empty 200.
 */
import type { SimCase } from './generator.ts';
import { FIELD_KINDS, ID_FIELDS, PERMITTED_FIELDS, RESERVED_PARAMS, SRCH_COLUMNS, type SrchType } from './fields.ts';
import { ancestorsOf } from './locations.ts';
import { destringifyParam, type RackParams, type RackValue, type Typed, type RangeVal } from './query-params.ts';

export type Predicate = (c: SimCase) => boolean;

/** Thrown while evaluating a filter where PostgreSQL would raise (e.g. TO_TIMESTAMP on junk). */
export class SqlError extends Error {}

export interface CompiledFilter {
  predicate: Predicate;
  /** True when PostgreSQL would reject the query: Primero answers 200 with no data. */
  invalid: boolean;
  /** Canonical text of the effective filters, for caching. */
  signature: string;
}

type Built = Predicate | 'drop' | 'invalid';

const isObj = (v: Typed): v is Exclude<Typed, null | string | number | boolean | Typed[]> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isRange = (v: Typed): v is RangeVal => isObj(v) && v.kind === 'range';
const isTemporal = (v: Typed): v is { kind: 'date' | 'time'; ms: number } => isObj(v) && (v.kind === 'date' || v.kind === 'time');

/** The field's value as the search sees it; derived arrays are computed. */
export function fieldValue(c: SimCase, field: string): unknown {
  if (field === 'service_implemented_day_times') {
    const rows = c.services_section;
    if (!rows) return undefined;
    return rows.map((r) => r.service_implemented_day_time).filter((v): v is number => typeof v === 'number');
  }
  if (field === 'id') return c.id;
  return c[field];
}

/** lax jsonpath unwrapping: an array matches if any element does. */
const anyOf = (v: unknown, test: (x: unknown) => boolean): boolean => (Array.isArray(v) ? v.some(test) : test(v));

function toMsLoose(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return Date.parse(`${v}T00:00:00Z`);
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/.test(v)) return Date.parse(v.slice(0, 19).replace(' ', 'T') + 'Z');
    throw new SqlError(`invalid value "${v}" for TO_TIMESTAMP`);
  }
  return undefined;
}

function scalarFilter(field: string, value: Typed, srch: SrchType | undefined): Built {
  if (value === null) return () => false; // `= NULL` never matches
  if (typeof value === 'boolean') {
    if (srch) return srch === 'boolean' ? (c) => fieldValue(c, field) === value : 'invalid';
    return value
      ? (c) => anyOf(fieldValue(c, field), (x) => x === true || x === 'true')
      : (c) => {
          const v = fieldValue(c, field);
          // `false` also matches a missing or null field on jsonpath fields (§2.6, spec: 11 of 12).
          return v === undefined || v === null || anyOf(v, (x) => x === false || x === 'false');
        };
  }
  if (typeof value === 'string') {
    if (srch && srch !== 'varchar') return 'invalid';
    return (c) => anyOf(fieldValue(c, field), (x) => x === value);
  }
  if (typeof value === 'number') {
    if (srch && srch !== 'integer') return 'invalid'; // e.g. varchar = integer (location_current=1020304)
    return (c) => anyOf(fieldValue(c, field), (x) => x === value);
  }
  if (isTemporal(value)) {
    if (srch && srch !== 'timestamp' && srch !== 'timestamp[]') return 'invalid';
    return (c) => anyOf(fieldValue(c, field), (x) => x !== undefined && x !== null && toMsLoose(x) === value.ms);
  }
  if (isRange(value)) return rangeFilter(field, value, srch);
  return 'drop';
}

function rangeFilter(field: string, range: RangeVal, srch: SrchType | undefined): Built {
  const { from, to } = range;
  if (typeof from === 'number' && (to === null || typeof to === 'number')) {
    if (srch && srch !== 'integer') return 'invalid';
    // srch_age <= NULL: an open-ended range on a srch column matches nothing (§2.6, verified).
    if (srch && to === null) return () => false;
    return (c) => anyOf(fieldValue(c, field), (x) => typeof x === 'number' && x >= from && (to === null || x <= to));
  }
  if (isTemporal(from) && (to === null || isTemporal(to))) {
    if (srch && srch !== 'timestamp' && srch !== 'timestamp[]') return 'invalid';
    const lo = from.ms;
    const hi = to === null ? Infinity : to.ms;
    if (srch) {
      return (c) => anyOf(fieldValue(c, field), (x) => {
        const ms = x === undefined || x === null ? undefined : toMsLoose(x);
        return ms !== undefined && ms >= lo && ms <= hi;
      });
    }
    // jsonpath fields go through TO_TIMESTAMP(value, fmt): whole seconds when `from` is a time, whole days for a date.
    const unit = from.kind === 'time' ? 1000 : 86_400_000;
    return (c) => anyOf(fieldValue(c, field), (x) => {
      const ms = x === undefined || x === null ? undefined : toMsLoose(x);
      if (ms === undefined) return false;
      const t = ms - (((ms % unit) + unit) % unit);
      return t >= lo && t <= hi;
    });
  }
  // from nil (`..18`), strings (`1.5..2.5`, `2024-1-1..`), mixed types: range_class is nil, the filter is dropped.
  return 'drop';
}

function listFilter(field: string, items: Typed[], srch: SrchType | undefined): Built {
  const parts: Predicate[] = [];
  for (const item of items) {
    const built = Array.isArray(item) ? 'drop' : scalarFilter(field, item, srch);
    if (built === 'invalid') return 'invalid';
    if (built !== 'drop') parts.push(built);
  }
  if (parts.length === 0) return 'drop';
  return (c) => parts.some((p) => p(c));
}

function locationFilter(field: string, value: Typed): Built {
  const codes = (Array.isArray(value) ? value : [value])
    .filter((v) => v !== null && (typeof v === 'string' || typeof v === 'number'))
    .map((v) => String(v).toUpperCase()); // `.to_s.upcase`: "0102" already became 102 -> "102"
  if (codes.length === 0) return 'drop';
  const wanted = new Set(codes);
  return (c) => {
    const v = fieldValue(c, field);
    if (typeof v !== 'string') return false;
    const path = ancestorsOf(v);
    return path !== undefined && path.some((code) => wanted.has(code));
  };
}

function idFieldFilter(field: string, raw: RackValue): Built {
  // Identifier fields are compared as given, never destringified (§2.1).
  const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : Object.values(raw);
  const wanted = values.filter((v): v is string => typeof v === 'string');
  if (wanted.length === 0) return 'drop';
  return (c) => {
    const v = fieldValue(c, field);
    return typeof v === 'string' && wanted.includes(v);
  };
}

/** One param -> filter; `checkPermission` is false inside `or`/`not` (nested keys are not checked). */
function buildFilter(key: string, raw: RackValue, checkPermission: boolean): Built {
  const isLoc = key.startsWith('loc:');
  const name = isLoc ? key.slice(4).replace(/\d$/, '') : key;
  if (checkPermission && !PERMITTED_FIELDS.has(name)) return 'drop';
  // Arrays (`x[]=a`) are not in the permit list: Rails drops them.
  if (Array.isArray(raw)) return 'drop';
  if (ID_FIELDS.has(name) && !isLoc) return idFieldFilter(name, raw);
  const value = destringifyParam(raw);
  if (isLoc) return locationFilter(name, value);
  if (name === 'or' || name === 'not') {
    if (typeof raw !== 'object' || Array.isArray(raw)) return 'drop';
    const parts: Predicate[] = [];
    for (const [k, v] of Object.entries(raw)) {
      const built = buildFilter(k, v, false);
      if (built === 'invalid') return 'invalid';
      if (built !== 'drop') parts.push(built);
    }
    if (parts.length === 0) return 'drop';
    return name === 'or' ? (c) => parts.some((p) => p(c)) : (c) => !parts.every((p) => p(c));
  }
  const srch = SRCH_COLUMNS[name];
  if (name === 'id') {
    const ids = (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'number' ? String(v) : v));
    const wanted = new Set(ids.filter((v): v is string => typeof v === 'string'));
    return (c) => wanted.has(c.id);
  }
  if (Array.isArray(value)) return listFilter(name, value, srch);
  if (isObj(value) && value.kind === 'hash') return 'drop'; // "does not build a filter for an invalid hash"
  return scalarFilter(name, value, srch);
}

/** Identifier text search (`query=`, non-phonetic): case-insensitive substring over filterable id fields. */
function querySearch(query: string): Predicate {
  const needle = query.replace(/\s+/g, '').toLowerCase();
  const fields = [...ID_FIELDS].filter((f) => f in FIELD_KINDS);
  return (c) => fields.some((f) => {
    const v = c[f];
    return typeof v === 'string' && v.toLowerCase().includes(needle);
  });
}

/** Compiles the filter part of a cases query (paging, ordering and fields are ignored here). */
export function compileCaseFilter(params: RackParams): CompiledFilter {
  const predicates: Predicate[] = [];
  const sigParts: string[] = [];
  let invalid = false;
  for (const key of Object.keys(params).sort()) {
    const raw = params[key] as RackValue;
    if (RESERVED_PARAMS.has(key)) continue;
    const built = buildFilter(key, raw, true);
    if (built === 'drop') continue;
    sigParts.push(`${key}=${JSON.stringify(raw)}`);
    if (built === 'invalid') invalid = true;
    else predicates.push(built);
  }
  const q = params.query;
  if (typeof q === 'string' && q.trim() !== '' && params.phonetic !== 'true') {
    predicates.push(querySearch(q));
    sigParts.push(`query=${q}`);
  }
  const predicate: Predicate = predicates.length === 0 ? () => true : (c) => predicates.every((p) => p(c));
  return { predicate, invalid, signature: sigParts.join('&') };
}
