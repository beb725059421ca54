import { CREDENTIALS, pinned, PROJECT_NAME, WORKFLOWS, type JobDeclaration, type WorkflowDeclaration } from './project.ts';

/**
 * Pure: the project as one plan for the `openfn` CLI (and `primero-ona
 * run/sync`), written to workflow.json at the project's root: the four jobs,
 * each chain behind the trigger that starts its workflow. `--start cron` (the
 * default) opens or resumes a run and posts its first batch; `--start
 * webhook` with `-s` a batch message runs one batch. A job that ends both
 * chains (next-batch) is one step.
 */
type Step = { id: string; next?: Record<string, string | boolean> } & Record<string, unknown>;

/** The built file of a job, relative to the project's root. */
export const jobFile = (job: JobDeclaration): string => `dist/jobs/${job.id}.js`;

const triggerStep = (w: WorkflowDeclaration): Step =>
  w.trigger.type === 'cron'
    ? { id: w.trigger.id, name: `${w.name}: cron ${w.trigger.cron} (UTC)`, type: 'cron', openfn: { cron: w.trigger.cron } }
    : { id: w.trigger.id, name: `${w.name}: webhook (a posted batch message)`, type: 'webhook' };

const jobStep = (job: JobDeclaration): Step => ({
  id: job.id,
  name: job.name,
  adaptors: [pinned(job.adaptor)],
  expression: jobFile(job),
  configuration: CREDENTIALS[job.credential].id,
});

export function workflowJson(): Record<string, unknown> {
  const steps = new Map<string, Step>();
  for (const w of WORKFLOWS) {
    steps.set(w.trigger.id, { ...triggerStep(w), next: { [w.jobs[0]!.id]: true } });
    w.jobs.forEach((job, i) => {
      const step = steps.get(job.id) ?? jobStep(job);
      const next = w.jobs[i + 1];
      if (next) step.next = { ...step.next, [next.id]: 'on_job_success' };
      steps.set(job.id, step);
    });
  }
  return {
    workflow: { id: PROJECT_NAME, name: 'Primero -> ONA indicator sync (UNICEF Cambodia 4.8 and 4.11a)', steps: [...steps.values()] },
    options: { start: 'cron' },
  };
}
