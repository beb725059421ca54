// Whether dist/ was built from the sources as they are now, and the build
// itself run from the TypeScript sources (the CLI that would otherwise run it
// lives in dist/). Plain JavaScript: it runs before anything is built.
import { mkdir, rm } from 'node:fs/promises';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Written by the build (lib/build/freshness.ts): every source file it bundled, with its modification time. */
const INPUTS_FILE = '.build-inputs.json';
/** A build that recorded this file built the CLI too. */
const CLI_DECLARATION = 'lib/build/bundle-cli.ts';

/** A reason to rebuild `<root>/dist`, or null when it is current. */
export function staleReason(root) {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(path.join(root, 'dist', INPUTS_FILE), 'utf8')).files;
  } catch {
    return 'dist has not been built';
  }
  if (!recorded || !(CLI_DECLARATION in recorded)) return `${CLI_DECLARATION} is not among the recorded inputs`;
  for (const [file, mtime] of Object.entries(recorded)) {
    try {
      if (statSync(path.join(root, file)).mtimeMs !== mtime) return `${file} changed`;
    } catch {
      return `${file} is gone`;
    }
  }
  return null;
}

/**
 * The build's own code, bundled from the sources with esbuild into a module
 * that Node imports as it is (in node_modules/, where its libraries resolve).
 */
export async function loadBuild(root) {
  const { build } = await import('esbuild');
  const dir = path.join(root, 'node_modules', '.cache', 'primero-ona');
  const file = path.join(dir, `build-${process.pid}.mjs`);
  await mkdir(dir, { recursive: true });
  try {
    await build({
      stdin: {
        contents: [
          "export { buildDist } from './lib/build/build-dist.ts';",
          "export { buildCommand } from './lib/cli/commands/build/command.ts';",
          "export { reportFailure } from './lib/cli/report-failure.ts';",
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      },
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: file,
      logLevel: 'silent',
    });
    return await import(pathToFileURL(file).href);
  } finally {
    await rm(file, { force: true });
  }
}
