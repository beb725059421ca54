import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The build records every file it bundled with its modification time, so
 * that the launcher (bin/dist-freshness.mjs) rebuilds dist/ before running
 * anything when one changed: editing jobs/ or lib/ and running
 * `npx primero-ona sync` never runs yesterday's build.
 */
export const INPUTS_FILE = '.build-inputs.json';

export async function recordInputs(dir: string, root: string, files: readonly string[]): Promise<void> {
  const recorded: { files: Record<string, number> } = { files: {} };
  for (const f of [...new Set(files)].sort()) recorded.files[path.relative(root, f)] = (await stat(f)).mtimeMs;
  await writeFile(path.join(dir, INPUTS_FILE), `${JSON.stringify(recorded, null, 1)}\n`);
}
