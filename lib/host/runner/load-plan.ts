import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../log/logger.ts';
import { UserError } from '../../errors.ts';
import { displayPath, readJsonFile } from './read-json-file.ts';
import { describeZodError, executionPlanSchema, optionsSchema, workflowSchema, type RawStep, type RawWorkflow } from './plan-schema.ts';
import { formatAdaptor, parseAdaptorSpecifier } from './adaptor-specifier.ts';
import { validatePlan } from './validate-plan.ts';
import type { JobStep, JsonObject, LoadedPlan, PlanOptions, PlanStep, TriggerStep } from './types.ts';

/**
 * Reads a workflow.json in the OpenFn CLI's shapes (`{workflow, options}` or a
 * bare `{steps}`), resolves the files its steps point to (relative to the
 * workflow file) and validates the graph. A step's expression is the path of
 * a built JavaScript job, as `npm run build` writes them. Every problem is a
 * UserError naming the file.
 */
export async function loadPlan(workflowPath: string, logger: Logger): Promise<LoadedPlan> {
  const file = path.resolve(workflowPath);
  const where = displayPath(file);
  const { workflow, options } = normalizeShape(await readJsonFile(file, 'workflow'), where);
  const dir = path.dirname(file);

  const adaptorPaths: Record<string, string> = {};
  const steps: PlanStep[] = [];
  let autoId = 0;
  for (const rawStep of workflow.steps) {
    // The runtime names anonymous steps job-1, job-2...; we do it first so edges, credentials and messages agree.
    const id = rawStep.id ?? `job-${++autoId}`;
    steps.push(rawStep.expression === undefined ? toTrigger(rawStep, id) : await toJobStep(rawStep, id, dir, where, adaptorPaths));
  }

  const plan: LoadedPlan = {
    path: file,
    dir,
    ...(workflow.id ? { id: workflow.id } : {}),
    ...(workflow.name ? { name: workflow.name } : {}),
    steps,
    triggers: steps.filter((s): s is TriggerStep => s.kind === 'trigger' && s.type !== undefined),
    options,
    adaptorPaths,
  };
  if (workflow.credentials !== undefined) plan.credentials = await loadObject(workflow.credentials, dir, where, 'global credentials');
  validatePlan(plan);
  logger.debug(`loaded workflow ${where}: ${steps.length} steps`);
  return plan;
}

function normalizeShape(raw: unknown, where: string): { workflow: RawWorkflow; options: PlanOptions } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UserError(`workflow ${where} must be a JSON object with "workflow" or "steps"`, 'see the OpenFn workflow.json format');
  }
  const obj = raw as JsonObject;
  if ('workflow' in obj) {
    const parsed = executionPlanSchema.safeParse(obj);
    if (!parsed.success) throw invalid(where, parsed.error);
    const { workflow, options = {} } = parsed.data;
    return { workflow, options: pickOptions({ ...options, start: options.start ?? workflow.start }) };
  }
  if (!('steps' in obj)) throw new UserError(`workflow ${where} has no "workflow" or "steps" key`, 'a workflow.json looks like {"workflow": {"steps": [...]}}');
  const parsed = workflowSchema.safeParse(obj);
  if (!parsed.success) throw invalid(where, parsed.error);
  const options = optionsSchema.safeParse(obj.options ?? {});
  if (!options.success) throw invalid(where, options.error, 'options');
  return { workflow: parsed.data, options: pickOptions({ ...options.data, start: options.data.start ?? parsed.data.start }) };
}

const pickOptions = (o: { start?: string | undefined; end?: string | undefined; timeout?: number | undefined }): PlanOptions => ({
  ...(o.start ? { start: o.start } : {}),
  ...(o.end ? { end: o.end } : {}),
  ...(o.timeout ? { timeout: o.timeout } : {}),
});

function invalid(where: string, error: import('zod').ZodError, prefix?: string): UserError {
  const detail = describeZodError(error);
  return new UserError(`workflow ${where} is invalid: ${prefix ? `${prefix}.` : ''}${detail}`, 'see the OpenFn workflow.json format');
}

function toTrigger(step: RawStep, id: string): TriggerStep {
  const cron = step.openfn?.cron ?? step.cron;
  return {
    kind: 'trigger',
    id,
    ...(step.name ? { name: step.name } : {}),
    ...(step.type ? { type: step.type } : {}),
    ...(cron ? { cron } : {}),
    enabled: step.enabled ?? true,
    ...(step.next !== undefined ? { next: step.next } : {}),
  };
}

/** A single line ending in a JSON extension names a file; anything else is a credential id. */
const isJsonPath = (value: string): boolean => !value.includes('\n') && /\.json$/.test(value.trim());

async function toJobStep(step: RawStep, id: string, dir: string, where: string, adaptorPaths: Record<string, string>): Promise<JobStep> {
  const expression = (step.expression ?? '').trim();
  if (expression.includes('\n') || !/\.m?js$/.test(expression)) {
    const ts = /\.ts$/.test(expression);
    throw new UserError(
      `step "${id}" in ${where}: ${ts ? `${expression} is TypeScript; the runner runs built JavaScript` : 'expression must be the path of a built JavaScript job'}`,
      ts ? 'build it first (npm run build writes dist/jobs/<job>.js) and point the step at the .js file' : 'e.g. "expression": "dist/jobs/fetch.js", as in workflow.json',
    );
  }
  const file = resolveFrom(dir, expression);
  if (!(await isFile(file))) {
    throw new UserError(`step "${id}" in ${where}: expression file ${displayPath(file)} not found`, `paths in a workflow are relative to ${displayPath(dir) || '.'}`);
  }
  const job: JobStep = { kind: 'job', id, expressionPath: file, adaptors: [], ...(step.name ? { name: step.name } : {}) };

  for (const raw of step.adaptors ?? (step.adaptor ? [step.adaptor] : [])) {
    const spec = parseAdaptorSpecifier(raw);
    if (spec.path) adaptorPaths[spec.name] = resolveFrom(dir, spec.path);
    job.adaptors.push(formatAdaptor(spec));
  }

  if (typeof step.configuration === 'string' && !isJsonPath(step.configuration)) {
    job.configuration = step.configuration; // a credential id, resolved against the credential map later
  } else if (step.configuration) {
    job.configuration = await loadObject(step.configuration, dir, where, `configuration of step "${id}"`);
  }
  if (step.state !== undefined) {
    if (typeof step.state === 'string' && !isJsonPath(step.state)) {
      throw new UserError(`step "${id}" in ${where}: state must be an object or a path to a JSON file`, 'state ids (Lightning dataclips) are not supported');
    }
    job.state = await loadObject(step.state, dir, where, `state of step "${id}"`);
  }
  if (step.next !== undefined) job.next = step.next;
  return job;
}

/** An inline object, or a path to a JSON file holding one. */
async function loadObject(value: string | JsonObject, dir: string, where: string, what: string): Promise<JsonObject> {
  if (typeof value !== 'string') return value;
  const file = resolveFrom(dir, value.trim());
  const parsed = await readJsonFile(file, `${what} (from ${where})`);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UserError(`${what} in ${displayPath(file)} must be a JSON object`, `fix ${displayPath(file)}`);
  }
  return parsed as JsonObject;
}

/** Relative to the workflow's folder; `~` is the home directory, as in the OpenFn CLI. */
function resolveFrom(dir: string, p: string): string {
  if (p === '~' || p.startsWith('~/')) return path.join(os.homedir(), p.slice(1));
  return path.resolve(dir, p);
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
