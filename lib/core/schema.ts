/**
 * How every boundary checks what crosses it: schemas as plain functions that
 * return the value typed or throw one line naming the path and what was
 * expected, never the value sent (a value may be personal data or a
 * credential).
 *
 * Hand-written, and kept to what the boundaries use, because the code is
 * inlined into every built job and OpenFn compiles every job on every run:
 * measured on the message schema, zod/mini added 40 KB to a job, valita 14 KB,
 * valibot 6-8 KB, superstruct 5 KB; this module is about 1.5 KB.
 */
export type Schema<T> = (value: unknown, path: string) => T;
export type Infer<S> = S extends Schema<infer T> ? T : never;

export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path || '(body)'}: ${reason}`);
  }
}

const fail = (path: string, reason: string): never => {
  throw new SchemaError(path, reason);
};
const at = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const string = /* @__NO_SIDE_EFFECTS__ */ (): Schema<string> => (v, p) => (typeof v === 'string' ? v : fail(p, 'expected a string'));
export const boolean = /* @__NO_SIDE_EFFECTS__ */ (): Schema<boolean> => (v, p) => (typeof v === 'boolean' ? v : fail(p, 'expected true or false'));
export const unknown = /* @__NO_SIDE_EFFECTS__ */ (): Schema<unknown> => (v) => v;

/** A whole number from `min` to `max`. */
export const int = /* @__NO_SIDE_EFFECTS__ */ (min: number, max = Number.MAX_SAFE_INTEGER): Schema<number> =>
  (v, p) =>
    typeof v !== 'number' || !Number.isInteger(v) ? fail(p, 'expected a whole number') : v < min ? fail(p, `must be at least ${min}`) : v > max ? fail(p, `must be at most ${max}`) : v;

export const oneOf = /* @__NO_SIDE_EFFECTS__ */ <T extends string>(...values: T[]): Schema<T> =>
  (v, p) =>
    values.includes(v as T) ? (v as T) : fail(p, `expected one of ${values.join(', ')}`);

/** The value when it passes `test`, else `reason`. */
export const refine = /* @__NO_SIDE_EFFECTS__ */ <T>(schema: Schema<T>, test: (value: T) => boolean, reason: string): Schema<T> =>
  (v, p) => {
    const out = schema(v, p);
    return test(out) ? out : fail(p, reason);
  };

export const uuid = /* @__NO_SIDE_EFFECTS__ */ () => refine(string(), (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s), 'not a uuid');
/** An ISO 8601 date-time with an offset (`Z` or `+07:00`) naming a real instant. */
export const isoDatetime = /* @__NO_SIDE_EFFECTS__ */ () =>
  refine(string(), (s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)), 'not an ISO date-time with an offset');

export const nullable = /* @__NO_SIDE_EFFECTS__ */ <T>(schema: Schema<T>): Schema<T | null> =>
  (v, p) =>
    v === null ? null : schema(v, p);

/** Absent (undefined) is `fallback`. */
export function optional<T>(schema: Schema<T>): Schema<T | undefined>;
export function optional<T>(schema: Schema<T>, fallback: T): Schema<T>;
/* @__NO_SIDE_EFFECTS__ */ export function optional<T>(schema: Schema<T>, fallback?: T): Schema<T | undefined> {
  return (v, p) => (v === undefined ? fallback : schema(v, p));
}

export const array = /* @__NO_SIDE_EFFECTS__ */ <T>(item: Schema<T>): Schema<T[]> =>
  (v, p) =>
    Array.isArray(v) ? v.map((x, i) => item(x, at(p, i))) : fail(p, 'expected a list');

/** Any object (its keys are someone else's to judge). */
export const record = /* @__NO_SIDE_EFFECTS__ */ (): Schema<Record<string, unknown>> => (v, p) => (isObject(v) ? v : fail(p, 'expected an object'));

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type ObjectOf<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };

/** An object with these keys; `strict`: no other key either (a message may carry no `configuration`). */
export const object = /* @__NO_SIDE_EFFECTS__ */ <S extends Shape>(shape: S, strict = true): Schema<ObjectOf<S>> =>
  (v, p) => {
    if (!isObject(v)) return fail(p, 'expected an object');
    if (strict) for (const key of Object.keys(v)) if (!(key in shape)) fail(at(p, key), 'unknown key');
    const out: Record<string, unknown> = strict ? {} : { ...v };
    for (const key of Object.keys(shape)) {
      const value = shape[key]!(v[key], at(p, key));
      if (value !== undefined) out[key] = value;
    }
    return out as ObjectOf<S>;
  };

/** The value typed, or `{ok: false, error}` with the one line. */
export function check<T>(schema: Schema<T>, value: unknown): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: schema(value, '') };
  } catch (e) {
    if (e instanceof SchemaError) return { ok: false, error: e.message };
    throw e;
  }
}

/** The value typed, or an Error of one line naming the boundary and the problem. */
export function parseAt<T>(schema: Schema<T>, value: unknown, boundary: string): T {
  const r = check(schema, value);
  if (!r.ok) throw new Error(`invalid state at ${boundary}: ${r.error}`);
  return r.value;
}
