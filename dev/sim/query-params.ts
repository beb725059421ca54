/**
 * Pure parsing of a query string the way Rack and Primero's DestringifyService
 * see it (primero-api-facts.md §2.6): nested keys `a[b]`, `a[]`, last value wins
 * for repeated scalars, `+` is a space, and typed values (dates, times,
 * booleans, integers, comma lists, `..` ranges).
 */
export type RackValue = string | RackValue[] | { [key: string]: RackValue };
export type RackParams = Record<string, RackValue>;

/** Rack::Utils.parse_nested_query, restricted to what Primero clients send. */
export function parseRackQuery(search: string): RackParams {
  const params: RackParams = {};
  const text = search.startsWith('?') ? search.slice(1) : search;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey);
    const value = decode(rawValue);
    const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key);
    if (!m) continue;
    const path = [...(m[2] ?? '').matchAll(/\[([^\]]*)\]/g)].map((x) => x[1] as string);
    assign(params, m[1] as string, path, value);
  }
  return params;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function assign(target: Record<string, RackValue>, name: string, path: string[], value: string): void {
  if (path.length === 0) {
    target[name] = value;
    return;
  }
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '') {
    // `a[]=x`: an array (which Primero's permit list then drops for scalar fields).
    const arr = Array.isArray(target[name]) ? (target[name] as RackValue[]) : [];
    target[name] = arr;
    if (rest.length === 0) arr.push(value);
    return;
  }
  const current = target[name];
  const hash = current && typeof current === 'object' && !Array.isArray(current) ? current : {};
  target[name] = hash;
  assign(hash, head, rest, value);
}

export interface DateVal { kind: 'date'; ms: number }
export interface TimeVal { kind: 'time'; ms: number }
export interface RangeVal { kind: 'range'; from: Typed; to: Typed }
export type Typed = null | string | number | boolean | DateVal | TimeVal | RangeVal | Typed[] | { kind: 'hash'; entries: Record<string, Typed> };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
// As documented in the facts: offset is Z, ±HH or ±HH:MM; `+0700` and missing seconds do not match.
const DATETIME_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})[T \t]+(\d{1,2}):(\d{2}):(\d{2})(\.\d*)?(Z|[-+]\d{2}(?::\d{2})?)?$/;

/** DestringifyService.destringify(value, true) for one string. */
export function destringify(value: string): Typed {
  if (value === '') return null;
  if (DATE_RE.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(ms) ? value : { kind: 'date', ms };
  }
  const dt = DATETIME_RE.exec(value);
  if (dt) {
    const ms = parseDateTime(dt);
    if (ms !== undefined) return { kind: 'time', ms };
  }
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number.parseInt(value, 10);
  if (value.includes(',')) return value.split(',').map(destringify);
  if (value.includes('..')) {
    const at = value.indexOf('..');
    return { kind: 'range', from: destringify(value.slice(0, at)), to: destringify(value.slice(at + 2)) };
  }
  return value;
}

function parseDateTime(m: RegExpExecArray): number | undefined {
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const fracMs = frac ? Math.floor(Number(`0${frac === '.' ? '.0' : frac}`) * 1000) : 0;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), fracMs);
  if (Number.isNaN(base)) return undefined;
  if (!zone || zone === 'Z') return base;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [hh, mm] = zone.slice(1).split(':');
  return base - sign * (Number(hh) * 60 + Number(mm ?? 0)) * 60_000;
}

/** Destringify a whole Rack value: hashes with all-numeric keys become arrays (`x[0]=a`). */
export function destringifyParam(value: RackValue): Typed {
  if (typeof value === 'string') return destringify(value);
  if (Array.isArray(value)) return value.map(destringifyParam);
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => destringifyParam(value[k] as RackValue));
  }
  if (keys.length > 0 && keys.every((k) => k === 'from' || k === 'to')) {
    const from = value.from === undefined ? null : destringifyParam(value.from);
    const to = value.to === undefined ? null : destringifyParam(value.to);
    return { kind: 'range', from, to };
  }
  const entries: Record<string, Typed> = {};
  for (const k of keys) entries[k] = destringifyParam(value[k] as RackValue);
  return { kind: 'hash', entries };
}

/** Ruby's String#to_i: leading whitespace, optional sign, digits (underscores allowed); otherwise 0. */
export function rubyToI(value: string): number {
  const m = /^\s*([+-]?\d+(?:_\d+)*)/.exec(value);
  return m ? Number.parseInt((m[1] as string).replace(/_/g, ''), 10) : 0;
}
