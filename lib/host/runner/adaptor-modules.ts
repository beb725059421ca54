import path from 'node:path';
import { PROJECT_ROOT } from '../../build/default-workflow.ts';
import { INSTALLED, LINKED_DIR, STAND_INS, STAND_IN_DIR } from '../../build/adaptor-layout.ts';

/** The runtime linker's map: module name -> folder holding its package.json. */
export type AdaptorModules = Record<string, { path: string; version?: string }>;

/**
 * Which build of the adaptors the linker imports (lib/build/bundle-adaptors.ts):
 * `linked`, the CLI's, with the official packages' module trees pre-linked;
 * `installed`, as the platform has them, the stand-ins built as packages and
 * language-common and language-http from node_modules.
 */
export type AdaptorLayout = 'linked' | 'installed';

/**
 * Where the linker finds each adaptor, found by folder exactly as the runtime
 * finds an installed adaptor. The host never imports them itself.
 * `overrides` (absolute folders) win: `name=path` adaptors in a workflow.
 */
export function adaptorModules(overrides: Record<string, string> = {}, layout: AdaptorLayout = 'linked'): AdaptorModules {
  const dist = path.join(PROJECT_ROOT, 'dist');
  const modules: AdaptorModules = {};
  for (const { name } of STAND_INS) modules[name] = { path: path.join(dist, layout === 'linked' ? LINKED_DIR : STAND_IN_DIR, name) };
  for (const { name } of INSTALLED) modules[name] = { path: layout === 'linked' ? path.join(dist, LINKED_DIR, name) : path.join(PROJECT_ROOT, 'node_modules', name) };
  for (const [name, folder] of Object.entries(overrides)) modules[name] = { path: path.resolve(folder) };
  return modules;
}
