/**
 * Pure: query-string encoding identical to what the official adaptor puts on
 * the wire (it hands `qs` to the `request` library, i.e. the `qs` module with
 * default options, openfn-facts.md §1.6): RFC 3986 percent-encoding (`:` ->
 * %3A, `..` literal), undefined dropped, null -> `key=`, arrays in indices
 * format `a%5B0%5D=x`, nested objects with brackets.
 */
export type QueryValue = string | number | boolean | null | undefined | Date | QueryValue[] | { [key: string]: QueryValue };
export type Query = Record<string, QueryValue>;

/** qs's RFC 3986 encoder: encodeURIComponent plus ! ' ( ) * escaped. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function serialize(prefix: string, value: QueryValue, out: string[]): void {
  if (value === undefined) return;
  if (value === null) {
    out.push(`${encodeRfc3986(prefix)}=`);
    return;
  }
  if (value instanceof Date) {
    out.push(`${encodeRfc3986(prefix)}=${encodeRfc3986(value.toISOString())}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => serialize(`${prefix}[${i}]`, v, out));
    return;
  }
  if (typeof value === 'object') {
    for (const key of Object.keys(value)) serialize(`${prefix}[${key}]`, value[key], out);
    return;
  }
  out.push(`${encodeRfc3986(prefix)}=${encodeRfc3986(String(value))}`);
}

/** `{a: 1, b: [x, y]}` -> `a=1&b%5B0%5D=x&b%5B1%5D=y` (no leading '?'). */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const out: string[] = [];
  for (const key of Object.keys(query)) serialize(key, query[key], out);
  return out.join('&');
}
