import path from 'node:path';
import { UserError } from '../../../errors.ts';
import { displayPath, readJsonFile } from '../../../host/runner/read-json-file.ts';
import type { State } from '../../../host/runner/types.ts';

/** OpenFn's input when no state is given. */
export const defaultInputState = (): State => ({ data: {}, configuration: {} });

/**
 * The input state from `-s`. Unlike `openfn`, which warns and runs on an empty
 * state, a missing or broken state file stops the run: running on the wrong
 * input is worse than not running.
 */
export async function loadInputState(statePath: string | undefined): Promise<State> {
  if (statePath === undefined) return defaultInputState();
  const file = path.resolve(statePath);
  const state = await readJsonFile(file, 'state file');
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new UserError(`state file ${displayPath(file)} must hold a JSON object`, 'e.g. {"data": {}}');
  }
  return state as State;
}
