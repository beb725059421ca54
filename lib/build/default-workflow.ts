import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../log/logger.ts';
import { ensureBuilt } from './build-dist.ts';

/** The project's root, and the built workflow the commands run unless told otherwise. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_WORKFLOW = path.join(PROJECT_ROOT, 'workflow.json');

/** Before running the project's own workflow: rebuild dist/ if jobs/ or lib/ changed since it was built. */
export async function readyToRun(workflowPath: string, logger: Logger): Promise<void> {
  if (path.resolve(workflowPath) !== DEFAULT_WORKFLOW) return;
  const reason = await ensureBuilt(PROJECT_ROOT);
  if (reason) logger.info(`built dist/ first: ${reason}`);
}
