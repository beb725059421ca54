import { readFile } from 'node:fs/promises';
import path from 'node:path';
import run from '@openfn/runtime';
import { DEFAULT_WORKFLOW } from '../../lib/build/default-workflow.ts';
import { adaptorModules } from '../../lib/host/runner/adaptor-modules.ts';

/**
 * What the OpenFn platform pays per step that the sync's own runner does not:
 * on the platform every run is a fresh worker thread that hands each step's
 * source to @openfn/runtime, which compiles it into a vm module, links the
 * adaptor and evaluates it before the first operation runs. Measured here
 * through @openfn/runtime itself, on the shipped dist/jobs/*.js and the
 * stand-in adaptors: from the runtime's `job-start` event to its
 * "Executing expression" log line, which it writes once the job is loaded and
 * before its first operation. The job is stopped there (that log line throws),
 * so nothing is fetched or written.
 *
 * - `cold`: each step once in a fresh process, in the batch workflow's order,
 *   as a fresh worker thread meets them (the first step of each adaptor imports it).
 * - `warm`: the same steps again, `repeats` times each, adaptors already imported:
 *   the job's own compile and instantiation.
 */
export const BATCH_STEPS = ['fetch', 'upsert', 'next-batch'] as const;
export type BatchStepId = (typeof BATCH_STEPS)[number];

export interface StepLoadTimes {
  cold: Record<string, number>;
  warm: Record<string, number[]>;
  /** Size of each built job, bytes. */
  bytes: Record<string, number>;
}

const LOADED = 'Executing expression';

class JobLoaded extends Error {}

interface WorkflowStep {
  id: string;
  expression?: string;
  adaptors?: string[];
}

async function batchSteps(workflowPath: string): Promise<{ id: string; code: string; adaptors: string[] }[]> {
  const wf = JSON.parse(await readFile(workflowPath, 'utf8')) as { workflow: { steps: WorkflowStep[] } };
  return BATCH_STEPS.map((id) => {
    const s = wf.workflow.steps.find((x) => x.id === id);
    if (!s?.expression) throw new Error(`platform cost: step ${id} is not in ${workflowPath}`);
    return { id, code: s.expression, adaptors: s.adaptors ?? [] };
  }).map((s) => ({ ...s, code: path.resolve(path.dirname(workflowPath), s.code) }));
}

/** One step through the runtime; resolves with the ms from job-start until the job was loaded. */
async function loadOnce(step: { id: string; code: string; adaptors: string[] }, source: string, modules: ReturnType<typeof adaptorModules>): Promise<number> {
  let started = 0;
  let loadedMs = -1;
  const quiet = () => {};
  const logger = {
    options: {},
    log: quiet,
    info: quiet,
    success: quiet,
    always: quiet,
    print: quiet,
    error: quiet,
    warn: quiet,
    break: quiet,
    proxy: quiet,
    confirm: async () => false,
    timer: () => undefined,
    debug: (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith(LOADED) && loadedMs < 0) {
        loadedMs = performance.now() - started;
        throw new JobLoaded('loaded'); // stop before the first operation: nothing is fetched or written
      }
    },
  };
  const plan = { workflow: { steps: [{ id: step.id, expression: source, adaptors: step.adaptors, configuration: {} }] } };
  await run(plan as never, { data: {} }, {
    logger: logger as never,
    jobLogger: logger as never,
    linker: { modules },
    defaultRunTimeoutMs: 0,
    callbacks: {
      notify: (event: string) => {
        if (event === 'job-start') started = performance.now();
      },
    },
  } as never);
  if (loadedMs < 0) throw new Error(`platform cost: the runtime never loaded step ${step.id}`);
  return loadedMs;
}

export async function measureStepLoads(repeats: number, workflowPath = DEFAULT_WORKFLOW): Promise<StepLoadTimes> {
  // As the platform links them: each adaptor package importing its libraries from node_modules.
  const modules = adaptorModules({}, 'installed');
  const steps = await batchSteps(workflowPath);
  const sources = new Map<string, string>();
  for (const s of steps) sources.set(s.id, await readFile(s.code, 'utf8'));
  const out: StepLoadTimes = { cold: {}, warm: {}, bytes: {} };
  for (const s of steps) {
    out.bytes[s.id] = Buffer.byteLength(sources.get(s.id)!);
    out.cold[s.id] = await loadOnce(s, sources.get(s.id)!, modules);
  }
  for (const s of steps) {
    out.warm[s.id] = [];
    for (let i = 0; i < repeats; i++) out.warm[s.id]!.push(await loadOnce(s, sources.get(s.id)!, modules));
  }
  return out;
}
