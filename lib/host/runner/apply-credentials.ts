import type { Logger } from '../../log/logger.ts';
import { UserError } from '../../errors.ts';
import { displayPath, readJsonFile } from './read-json-file.ts';
import type { JsonObject, LoadedPlan } from './types.ts';

/** Credential id -> configuration object, like the OpenFn CLI's `--credentials` map. */
export type CredentialMap = Record<string, JsonObject>;

/** Reads a credential map file; it must be a JSON object of objects. */
export async function loadCredentialMap(file: string): Promise<CredentialMap> {
  const parsed = await readJsonFile(file, 'credentials file');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UserError(`credentials file ${displayPath(file)} must be a JSON object keyed by credential id`, 'e.g. {"primero": {"url": "...", "user": "...", "password": "..."}}');
  }
  for (const [id, value] of Object.entries(parsed)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UserError(`credentials file ${displayPath(file)}: credential "${id}" must be an object`, 'each credential is an object of configuration keys');
    }
  }
  return parsed as CredentialMap;
}

/**
 * Replaces each step's credential id with its configuration from the map
 * (OpenFn CLI semantics: an unmapped id drops the configuration with a warning).
 * Returns a new plan; the loaded one is left as it was.
 */
export function applyCredentials(plan: LoadedPlan, credentials: CredentialMap | undefined, logger: Logger): LoadedPlan {
  const steps = plan.steps.map((step) => {
    if (step.kind !== 'job' || typeof step.configuration !== 'string') return step;
    const id = step.configuration;
    const found = credentials?.[id];
    const { configuration: _id, ...rest } = step;
    if (!found) {
      logger.warn(`step "${step.id}": credential "${id}" is not in the credential map; running without it`);
      return rest;
    }
    return { ...rest, configuration: found };
  });
  return { ...plan, steps };
}
