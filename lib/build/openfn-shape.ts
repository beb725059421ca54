/**
 * Pure: turns esbuild's ESM bundle of a job into the shape OpenFn's compiler
 * and runtime accept (openfn-deployability.md §1): the adaptor star-exported,
 * so the runtime finds its `execute` (the connection, the login), and the
 * last statement `export default <identifier>`, which the compiler's
 * ensure-exports recognises and its top-level-operations transform leaves
 * alone. esbuild ends a bundle with `export { x as default };`, which the
 * compiler does not recognise.
 */
export class JobShapeError extends Error {
  override readonly name = 'JobShapeError';
}

const DEFAULT_EXPORT = /export\s*\{\s*([A-Za-z_$][\w$]*)\s+as\s+default\s*\};?\s*$/;
const IMPORT_FROM = /^\s*import\s[^;]*?from\s*["']([^"']+)["'];?/gm;
const BARE_IMPORT = /^\s*import\s*["']([^"']+)["'];?/gm;

/** Modules a bundle imports (static imports only: a bundle has no dynamic ones). */
export function importedModules(code: string): string[] {
  const found = new Set<string>();
  for (const re of [IMPORT_FROM, BARE_IMPORT]) for (const m of code.matchAll(re)) found.add(m[1]!);
  return [...found];
}

export function toOpenFnShape(bundle: string, adaptor: string, job: string): string {
  const imports = importedModules(bundle);
  const strangers = imports.filter((m) => m !== adaptor);
  if (strangers.length > 0) {
    throw new JobShapeError(`${job}: imports ${strangers.join(', ')}; a job may import its one adaptor (${adaptor}) only`);
  }
  const match = DEFAULT_EXPORT.exec(bundle);
  if (!match) throw new JobShapeError(`${job}: the job must end with \`export default [...operations]\``);
  const body = bundle.slice(0, match.index).trimEnd();
  return `${body}\n\nexport * from '${adaptor}';\nexport default ${match[1]};\n`;
}
