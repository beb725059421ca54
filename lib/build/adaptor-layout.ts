import path from 'node:path';

/**
 * Where the build puts the adaptors the runtime links, and which they are
 * (how they are built: bundle-adaptors.ts). Apart from the build, so that
 * the worker thread that links them does not load esbuild.
 */

/** The stand-ins; their versions name the official release whose API they keep. */
export const STAND_INS = [
  { name: '@openfn/language-primero', version: '4.1.2-primero-ona', source: 'adaptors/primero.ts' },
  { name: '@openfn/language-postgresql', version: '8.1.2-primero-ona', source: 'adaptors/postgres.ts' },
] as const;

/** The official adaptors the workflow links as installed (node_modules), and the entries they export. */
export const INSTALLED = [
  { name: '@openfn/language-common', entries: { index: '.', util: './util' } },
  { name: '@openfn/language-http', entries: { index: '.' } },
] as const;

export const STAND_IN_DIR = 'adaptors';
export const LINKED_DIR = 'linked-adaptors';
/**
 * Where the linked build's shared chunks go: under a folder named like an
 * adaptor, so that the runtime reads a stack frame in them as adaptor code
 * (`@openfn/language-` when it tells an AdaptorError), as it reads one in
 * `node_modules`, where these libraries are installed.
 */
export const LINKED_CHUNKS = '@openfn/language-libraries';

export const standInDir = (name: string): string => path.join(STAND_IN_DIR, name);
