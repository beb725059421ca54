import { loadDatabaseSettings } from '../../../config/settings.ts';
import { openConfiguredDatabase } from '../../../db/connect.ts';
import { redactSecrets, type Logger } from '../../../log/logger.ts';
import { loadPlan } from '../../../host/runner/load-plan.ts';
import { unreachableStatus, type SyncStatus } from '../../../status/compute.ts';
import { currentStatus } from '../../../status/current.ts';
import { formatStatus } from '../../../status/format.ts';
import { UserError } from '../../../errors.ts';
import { cronOf } from '../serve/schedule.ts';

export interface StatusCommandOptions {
  json: boolean;
  runs: number;
  graceHours?: number | undefined;
  credentials?: string | undefined;
  workflow: string;
}

/** A monitoring check should answer in seconds: unless DATABASE_WAIT_SECONDS says otherwise, wait 5 s at most. */
const STATUS_WAIT = { maxAttempts: 4, minDelayMs: 500, maxDelayMs: 2000, maxTotalMs: 5000 };

/**
 * `primero-ona status`, step by step: read the schedule and the database
 * settings, open the database read-only, read the ledger, compute the status
 * (lib/status), print it. Returns it; its exitCode is the process's.
 */
export async function statusHandler(
  options: StatusCommandOptions,
  logger: Logger,
  write: (text: string) => void = (t) => process.stdout.write(t),
  env: NodeJS.ProcessEnv = process.env,
  now: () => Date = () => new Date(),
): Promise<SyncStatus> {
  const cron = cronOf(await loadPlan(options.workflow, logger));
  const source = await loadDatabaseSettings(env, options.credentials);
  let status: SyncStatus;
  let description: string | undefined;
  try {
    const db = await openConfiguredDatabase({ source, logger, env, existingOnly: true, ...(env.DATABASE_WAIT_SECONDS ? {} : { wait: STATUS_WAIT }) });
    description = db.description;
    try {
      status = await currentStatus(db, { cron, now: now(), runs: options.runs, ...(options.graceHours !== undefined ? { graceHours: options.graceHours } : {}) });
    } finally {
      await db.close();
    }
  } catch (e) {
    if (!(e instanceof UserError) || !('unavailable' in e)) throw e;
    status = unreachableStatus(e.message, now(), cron);
  }
  // Run errors come from the ledger as written by failures: masked like log lines, in case one quoted a credential.
  if (options.json) write(`${redactSecrets(JSON.stringify(status, null, 2))}\n`);
  else if (status.state === 'unreachable') process.stderr.write(`primero-ona: ${redactSecrets(status.summary)}\n`);
  // In a terminal, as wide as it is; otherwise (a pipe, a log) the default width.
  else write(redactSecrets(formatStatus(status, description, process.stdout.isTTY ? process.stdout.columns : undefined)));
  return status;
}
