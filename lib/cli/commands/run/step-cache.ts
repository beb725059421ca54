import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedPlan, State } from '../../../host/runner/types.ts';
import type { Logger } from '../../../log/logger.ts';
import { UserError } from '../../../errors.ts';

/**
 * The OpenFn CLI's step cache (`--cache-steps`): every step's output under
 * `<workflowDir>/.cli-cache/<workflowName>/<stepId>.json`, the folder cleared
 * first and ignored by git (a `.gitignore` of `*`); `--start <step>` without
 * `-s` takes the upstream step's cached output as its input. The fetch step's
 * output holds case fields: the cache is personal data (README).
 */
export const CACHE_DIR = '.cli-cache';

export function workflowName(plan: LoadedPlan): string {
  return plan.name ?? path.basename(plan.path).replace(/\.(json|ya?ml)$/i, '');
}

export function cacheDirOf(plan: LoadedPlan): string {
  return path.join(plan.dir, CACHE_DIR, workflowName(plan));
}

/** A step id as a file name: ids are free text in workflow.json. */
const fileOf = (dir: string, stepId: string) => path.join(dir, `${stepId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);

/** Clears the workflow's cache and returns the writer `executePlan` calls after each step. */
export async function startStepCache(plan: LoadedPlan, logger: Logger): Promise<(stepId: string, state: State) => Promise<void>> {
  const dir = cacheDirOf(plan);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(plan.dir, CACHE_DIR, '.gitignore'), '*');
  logger.info(`caching each step's output under ${path.relative(process.cwd(), dir) || dir} (holds case data; delete it when done)`);
  return async (stepId, state) => {
    // Credentials never go to disk, whatever the step left in its state.
    const { configuration: _c, ...rest } = state as State & { configuration?: unknown };
    await writeFile(fileOf(dir, stepId), JSON.stringify(rest, null, 2));
    logger.debug(`cached the output of step ${stepId}`);
  };
}

/** The step whose edges lead to `stepId` (the first such step), if any. */
export function upstreamOf(plan: LoadedPlan, stepId: string): string | undefined {
  return plan.steps.find((s) => {
    const next = s.next;
    if (next === undefined) return false;
    return typeof next === 'string' ? next === stepId : Object.prototype.hasOwnProperty.call(next, stepId);
  })?.id;
}

/** `--start <step>` without `-s`: the upstream step's cached output, or undefined when there is none. */
export async function cachedInputFor(plan: LoadedPlan, start: string, logger: Logger): Promise<State | undefined> {
  const upstream = upstreamOf(plan, start);
  if (!upstream) return undefined;
  const file = fileOf(cacheDirOf(plan), upstream);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    logger.info(`no cached output of step ${upstream} (${path.relative(process.cwd(), file)}): starting ${start} on the default input; run with --cache-steps first, or pass -s`);
    return undefined;
  }
  try {
    const state: unknown = JSON.parse(text);
    if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new Error('not an object');
    logger.info(`input of ${start}: the cached output of step ${upstream}`);
    return state as State;
  } catch {
    throw new UserError(`the cached output of step ${upstream} is not a JSON object: ${file}`, 'run again with --cache-steps, or pass -s');
  }
}
