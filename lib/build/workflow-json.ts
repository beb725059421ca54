import { pinned, WORKFLOWS, PROJECT_NAME, CREDENTIALS, type WorkflowDeclaration } from './project.ts';

/**
 * Pure: the declared workflows as one workflow.json for the `openfn` CLI (and
 * `primero-ona run/sync`). Both chains sit in one plan, each behind its
 * trigger step: `--start cron` (the default) opens or resumes a run and posts
 * its first batch; `--start webhook` with `-s` a batch message runs one batch.
 */
type Step = Record<string, unknown>;

export const jobFile = (stepId: string): string => `jobs/${stepId}.js`;

function stepsOf(w: WorkflowDeclaration): Step[] {
  const trigger: Step =
    w.trigger.type === 'cron'
      ? { id: w.trigger.id, name: `${w.name}: cron ${w.trigger.cron} (UTC)`, type: 'cron', openfn: { cron: w.trigger.cron } }
      : { id: w.trigger.id, name: `${w.name}: webhook (a posted batch message)`, type: 'webhook' };
  const steps: Step[] = [{ ...trigger, next: { [w.jobs[0]!.id]: true } }];
  w.jobs.forEach((job, i) => {
    const next = w.jobs[i + 1];
    steps.push({
      id: job.id,
      name: job.name,
      adaptors: [pinned(job.adaptor)],
      expression: jobFile(job.id),
      configuration: CREDENTIALS[job.credential].id,
      ...(next ? { next: { [next.id]: 'on_job_success' } } : {}),
    });
  });
  return steps;
}

export function workflowJson(): Record<string, unknown> {
  return {
    workflow: {
      id: PROJECT_NAME,
      name: 'Primero -> ONA indicator sync (UNICEF Cambodia 4.8 and 4.11a)',
      steps: WORKFLOWS.flatMap(stepsOf),
    },
    options: { start: 'cron' },
  };
}
