import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Whether dist/ was built from the sources as they are now. The build records
 * every file it bundled with its modification time; a command that runs the
 * built jobs rebuilds first when one changed, so editing jobs/ or lib/ and
 * running `npm run sync` never runs yesterday's jobs.
 */
export const INPUTS_FILE = '.build-inputs.json';

interface Recorded {
  files: Record<string, number>;
}

export async function recordInputs(dir: string, root: string, files: readonly string[]): Promise<void> {
  const recorded: Recorded = { files: {} };
  for (const f of [...new Set(files)].sort()) recorded.files[path.relative(root, f)] = (await stat(f)).mtimeMs;
  await writeFile(path.join(dir, INPUTS_FILE), `${JSON.stringify(recorded, null, 1)}\n`);
}

/** A reason to rebuild, or null when dist/ is current. */
export async function staleReason(dir: string, root: string, declaration: string): Promise<string | null> {
  let recorded: Recorded;
  try {
    recorded = JSON.parse(await readFile(path.join(dir, INPUTS_FILE), 'utf8')) as Recorded;
  } catch {
    return `${path.relative(root, dir) || dir} has not been built`;
  }
  const declared = path.relative(root, declaration);
  if (!(declared in recorded.files)) return `${declared} is not among the recorded inputs`;
  for (const [file, mtime] of Object.entries(recorded.files)) {
    try {
      if ((await stat(path.join(root, file))).mtimeMs !== mtime) return `${file} changed`;
    } catch {
      return `${file} is gone`;
    }
  }
  return null;
}
