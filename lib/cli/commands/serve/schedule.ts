import { Cron } from 'croner';
import type { LoadedPlan } from '../../../host/runner/runner.ts';
import { UserError } from '../../../errors.ts';

/** The cron expression of the workflow's cron trigger (evaluated in UTC, as Lightning does). */
export function cronOf(plan: LoadedPlan): string {
  const trigger = plan.triggers.find((t) => t.type === 'cron' && t.enabled !== false);
  if (!trigger?.cron) throw new UserError(`${plan.path} declares no enabled cron trigger`, 'add a step {"id": "cron", "type": "cron", "openfn": {"cron": "0 2 * * *"}, "next": {"init": true}}');
  return trigger.cron;
}

/** Calls `tick` on the schedule, one call at a time (a run still going when the next is due is not overlapped). */
export function schedule(expression: string, tick: () => Promise<void>): Cron {
  try {
    return new Cron(expression, { timezone: 'UTC', protect: true }, tick);
  } catch (e) {
    throw new UserError(`invalid cron expression "${expression}": ${e instanceof Error ? e.message : String(e)}`);
  }
}
