import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

/** The runtime linker's map: module name -> folder holding its package.json. */
export type AdaptorModules = Record<string, { path: string; version?: string }>;

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Where the linker finds each adaptor. The project's own primero and postgresql
 * adaptors are TypeScript files behind small package folders
 * (adaptors/packages/language-*, `main` pointing at ../../<name>.ts), so the
 * runtime resolves them exactly as it resolves an installed adaptor. common and
 * http are the installed packages. `overrides` (absolute folders) win, e.g. for
 * fixture adaptors in tests or `name=path` adaptors in a workflow.
 */
export function adaptorModules(overrides: Record<string, string> = {}): AdaptorModules {
  const modules: AdaptorModules = {
    '@openfn/language-primero': { path: path.join(projectRoot, 'adaptors/packages/language-primero') },
    '@openfn/language-postgresql': { path: path.join(projectRoot, 'adaptors/packages/language-postgresql') },
    '@openfn/language-common': { path: path.join(projectRoot, 'node_modules/@openfn/language-common') },
    '@openfn/language-http': { path: path.join(projectRoot, 'node_modules/@openfn/language-http') },
  };
  for (const [name, folder] of Object.entries(overrides)) modules[name] = { path: path.resolve(folder) };
  return modules;
}

const registered = Symbol.for('primero-ona:tsx-registered');

/**
 * The runtime loads adaptors with a native `import()`, so TypeScript adaptors
 * need tsx's loader hook in this process. The CLI launcher registers it too, but
 * other hosts (vitest, scripts) may not, and there is no API to ask whether it is
 * active; registering once more is harmless, so we do it once per process.
 */
export function ensureTypeScriptAdaptors(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[registered]) return;
  register();
  g[registered] = true;
}
