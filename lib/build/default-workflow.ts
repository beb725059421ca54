import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root, and the workflow the commands run unless told otherwise. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_WORKFLOW = path.join(PROJECT_ROOT, 'workflow.json');
