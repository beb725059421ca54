import { UserError } from '../../errors.ts';
import type { LoadedPlan, PlanOptions } from './types.ts';

/** Which part of the workflow to run, as the OpenFn CLI's --start/--end/--only. */
export interface StepSelection {
  start?: string | undefined;
  end?: string | undefined;
  /** Run exactly this step: start = end = only. */
  only?: string | undefined;
}

/**
 * Resolves a selection against the plan (by id, else by name) and merges it over
 * the workflow's own options. An unknown step is a UserError listing the known ones.
 */
export function resolveStepRange(plan: LoadedPlan, selection: StepSelection = {}): Pick<PlanOptions, 'start' | 'end'> {
  const find = (flag: string, wanted: string): string => {
    const step = plan.steps.find((s) => s.id === wanted) ?? plan.steps.find((s) => s.name === wanted);
    if (!step) {
      throw new UserError(`unknown step "${wanted}" for --${flag}`, `steps in this workflow: ${plan.steps.map((s) => s.id).join(', ')}`);
    }
    return step.id;
  };
  if (selection.only !== undefined) {
    const id = find('only', selection.only);
    return { start: id, end: id };
  }
  const start = selection.start !== undefined ? find('start', selection.start) : plan.options.start;
  const end = selection.end !== undefined ? find('end', selection.end) : plan.options.end;
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}
