/**
 * Adaptor specifiers as the OpenFn CLI expands them: `primero` ->
 * `@openfn/language-primero`, `http@7.2.10` -> `@openfn/language-http@7.2.10`,
 * `name=path` keeps a local path; names containing `/` are left alone.
 */
export interface AdaptorSpecifier {
  /** Package name, e.g. `@openfn/language-primero`. */
  name: string;
  version?: string;
  /** Local path given as `name=path`, as written (not yet resolved). */
  path?: string;
}

export function parseAdaptorSpecifier(raw: string): AdaptorSpecifier {
  const [spec = '', localPath] = splitOnce(raw.trim(), '=');
  const at = spec.lastIndexOf('@');
  let name = at > 0 ? spec.slice(0, at) : spec;
  const version = at > 0 ? spec.slice(at + 1) : undefined;
  if (!name.includes('/') && !name.endsWith('.js')) name = `@openfn/language-${name}`;
  return { name, ...(version ? { version } : {}), ...(localPath ? { path: localPath } : {}) };
}

/** `name@version`, the form the runtime reads from a step's `adaptors`. */
export const formatAdaptor = (a: AdaptorSpecifier): string => (a.version ? `${a.name}@${a.version}` : a.name);

function splitOnce(s: string, sep: string): [string, string?] {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}
