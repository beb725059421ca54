import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../../log/logger.ts';
import { displayPath } from '../../../host/runner/read-json-file.ts';
import type { State } from '../../../host/runner/types.ts';

/** OpenFn CLI default: output.json next to the workflow file. */
export const defaultOutputPath = (workflowPath: string): string => path.join(path.dirname(path.resolve(workflowPath)), 'output.json');

/**
 * Writes the final state as pretty JSON (or prints it), without `configuration`:
 * credentials never reach an output file. Returns where it went.
 */
export async function serializeOutput(state: State, target: { file: string } | 'stdout', logger: Logger): Promise<string> {
  const { configuration: _credentials, ...rest } = state;
  const json = `${JSON.stringify(rest, null, 2)}\n`;
  if (target === 'stdout') {
    process.stdout.write(json);
    return 'stdout';
  }
  await mkdir(path.dirname(target.file), { recursive: true });
  await writeFile(target.file, json);
  logger.info(`wrote final state to ${displayPath(target.file)}`);
  return displayPath(target.file);
}
