import pg from 'pg';
import type { Settings } from '../config/settings.ts';
import { UserError } from '../cli/user-error.ts';
import type { Logger } from '../log/logger.ts';
import { startInbox, type Inbox } from '../inbox/server.ts';
import { newSecret } from '../inbox/secret.ts';
import { createRunner, type ExecuteResult, type Runner } from '../runner/runner.ts';
import { BatchOutcome, InitRequest, parseAt, RunInfo, type BatchCounts } from '../sync/job-states.ts';
import { FAIL_RUN } from '../sync/ledger-sql.ts';
import { buildCredentialMap } from './credentials.ts';
import { createProgressDisplay, type ProgressDisplay } from './progress.ts';
import { tryAcquireSyncLock } from './sync-lock.ts';

/**
 * One sync run, start to finish: take the lock, start the inbox, run init
 * (which opens or resumes a run and posts the first message), then drain the
 * inbox, running fetch -> upsert -> next-batch once per message, until
 * next-batch closes the run. Every batch is a separate workflow run that knows
 * only its message, as on the OpenFn platform.
 */
export interface SyncOptions {
  workflowPath: string;
  settings: Settings;
  databaseUrl: string;
  logger: Logger;
  /** Where the runtime and the jobs log (adaptor requests, job lines); quieter than `logger` by default. */
  jobLogger?: Logger | undefined;
  since?: string | undefined;
  pageSize?: number | undefined;
  dryRun?: boolean | undefined;
  /** How long to wait for the next batch's message before calling the chain broken. */
  messageTimeoutMs?: number | undefined;
  progress?: ProgressDisplay | undefined;
  /** An inbox that outlives the run (`serve`); by default the run starts and stops its own. */
  inbox?: { inbox: Inbox; secret: string } | undefined;
}

export interface SyncSummary {
  runId: string;
  resumed: boolean;
  dryRun: boolean;
  window: { from: string; to: string };
  batches: number;
  totals: BatchCounts;
  seconds: number;
}

const zero = (): BatchCounts => ({ cases: 0, services: 0, rejects: 0, notes: 0, removed: 0 });

function firstFailure(result: ExecuteResult): string | null {
  const f = result.failures[0];
  return f ? `step "${f.stepId}" failed: ${f.message.split('\n')[0]}` : null;
}

async function markRunFailed(options: SyncOptions, runId: string, reason: string): Promise<void> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  try {
    await client.connect();
    await client.query(FAIL_RUN, [runId, reason.slice(0, 1000)]);
  } catch (e) {
    options.logger.warn(`could not mark run ${runId} as failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function runSync(options: SyncOptions): Promise<SyncSummary> {
  const { logger } = options;
  const started = Date.now();
  const lock = await tryAcquireSyncLock(options.databaseUrl);
  if (!lock) {
    throw new UserError('another sync is already running against this database', 'wait for it to finish; this one wrote nothing');
  }
  const secret = options.inbox?.secret ?? newSecret();
  const inbox = options.inbox?.inbox ?? (await startInbox({ secret, logger: logger.child('inbox') }));
  const progress = options.progress ?? createProgressDisplay();
  try {
    const runner: Runner = await createRunner({
      workflowPath: options.workflowPath,
      logger: options.jobLogger ?? logger,
      credentials: buildCredentialMap(options.settings, options.databaseUrl, { url: inbox.url, secret }),
    });
    const request: InitRequest = InitRequest.parse({
      ...(options.since ? { since: options.since } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      dryRun: options.dryRun ?? false,
    });
    const init = await runner.execute({ data: request }, { start: 'init', end: 'init' });
    const initFailure = firstFailure(init);
    if (initFailure) throw new UserError(initFailure, 'nothing was loaded; fix the cause and run sync again');
    const run = parseAt(RunInfo, init.state.run, 'init output');
    logger.info(
      `${run.resumed ? 'resuming' : 'started'} run ${run.runId}${run.dryRun ? ' (dry run)' : ''}: cases updated ${run.window.from} .. ${run.window.to}, from batch ${run.batch}`,
    );

    const totals = zero();
    let batches = 0;
    for (;;) {
      const message = await inbox.messages.take(options.messageTimeoutMs ?? 120_000);
      if (!message) {
        const reason = 'no message for the next batch arrived at the inbox';
        if (!run.dryRun) await markRunFailed(options, run.runId, reason);
        throw new UserError(reason, 'run primero-ona sync again to resume the run');
      }
      if (message.runId !== run.runId) {
        logger.warn(`inbox: ignored a message for another run (${message.runId})`);
        continue;
      }
      const result = await runner.execute({ data: message }, { start: 'inbox' });
      const failure = firstFailure(result);
      if (failure) {
        if (!run.dryRun) await markRunFailed(options, run.runId, failure);
        throw new UserError(`batch ${message.batch}: ${failure}`, 'run primero-ona sync again to resume the run from its last committed batch');
      }
      const outcome = parseAt(BatchOutcome, result.state.outcome, `batch ${message.batch} output`);
      batches++;
      for (const k of Object.keys(totals) as (keyof BatchCounts)[]) totals[k] += outcome.counts[k];
      progress.update({ batch: outcome.batch, of: outcome.batch + outcome.batchesLeft, cases: totals.cases, services: totals.services, rejects: totals.rejects });
      if (outcome.complete) break;
    }
    return {
      runId: run.runId,
      resumed: run.resumed,
      dryRun: run.dryRun,
      window: run.window,
      batches,
      totals,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    progress.stop();
    if (!options.inbox) await inbox.stop();
    await lock.release().catch(() => {});
  }
}
