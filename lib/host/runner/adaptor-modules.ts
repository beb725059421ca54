import path from 'node:path';
import { PROJECT_ROOT } from '../../build/default-workflow.ts';

/** The runtime linker's map: module name -> folder holding its package.json. */
export type AdaptorModules = Record<string, { path: string; version?: string }>;

/** Where `npm run build` puts the stand-in adaptors (lib/build/bundle-cli.ts). */
const STAND_INS = path.join(PROJECT_ROOT, 'dist', 'adaptors');

/**
 * Where the linker finds each adaptor: the project's primero and postgresql
 * stand-ins as built packages (dist/adaptors/@openfn/language-*), found by
 * folder exactly as the runtime finds an installed adaptor; common and http
 * the installed packages. The host never imports them itself. `overrides`
 * (absolute folders) win: `name=path` adaptors in a workflow.
 */
export function adaptorModules(overrides: Record<string, string> = {}): AdaptorModules {
  const modules: AdaptorModules = {
    '@openfn/language-primero': { path: path.join(STAND_INS, '@openfn/language-primero') },
    '@openfn/language-postgresql': { path: path.join(STAND_INS, '@openfn/language-postgresql') },
    '@openfn/language-common': { path: path.join(PROJECT_ROOT, 'node_modules/@openfn/language-common') },
    '@openfn/language-http': { path: path.join(PROJECT_ROOT, 'node_modules/@openfn/language-http') },
  };
  for (const [name, folder] of Object.entries(overrides)) modules[name] = { path: path.resolve(folder) };
  return modules;
}
