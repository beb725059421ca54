import pg from 'pg';
import type { Settings } from '../config/settings.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import { startInbox, type Inbox } from './inbox/server.ts';
import { newSecret } from './inbox/secret.ts';
import type { ExecuteOptions, ExecuteResult, RunnerEvent, State } from './runner/runner.ts';
import { BatchLimitError, type BatchLimits, type IsolatedRunner } from './runner/isolated-runner.ts';
import { createSyncRunner } from './sync-runner.ts';
import { NextBatch, parseAt, StartOutcome, StartRequest, type BatchCounts, type BatchOutcome, type RunInfo } from '../core/job-states.ts';
import { FAIL_RUN } from '../sql/ledger.ts';
import type { BatchMessage } from '../core/messages.ts';
import { readUnknownCodes, type UnknownCodeCount } from '../report/read-unknown-codes.ts';
import { resolveDatabaseConfig } from '../db/config.ts';
import { readBookmark } from './bookmark.ts';
import { buildCredentialMap } from './credentials.ts';
import { createProgressDisplay, type ProgressDisplay } from './progress.ts';
import { AttemptError, attemptErrorFrom, DEFAULT_RETRY_POLICY, isTransientFailure, retrying, type RetryPolicy } from './retry-policy.ts';
import { tryAcquireSyncLock } from './sync-lock.ts';
import { hintForFailure } from './primero/probe.ts';

/**
 * One sync run, start to finish, as Lightning runs the two workflows: take
 * the lock, start the inbox (the batch workflow's webhook), run the start
 * workflow (open-run opens or resumes a run; post-first-batch posts its first
 * message), then drain the inbox, running the batch workflow (fetch -> upsert
 * -> next-batch -> post-next-batch) once per message, until next-batch closes
 * the run. Every batch is a separate workflow run that knows only its
 * message, as on the OpenFn platform.
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
  /** `now` (the default: `sync`): open or resume a run whatever the date; `due` (the schedule): only when the quarter's run is due or a chain stopped. */
  when?: 'due' | 'now' | undefined;
  /** How long to wait for the next batch's message before calling the chain broken. */
  messageTimeoutMs?: number | undefined;
  progress?: ProgressDisplay | undefined;
  /** How transient failures (database unreachable, Primero still failing after its client's retries) are retried. */
  retry?: Partial<RetryPolicy> | undefined;
  /** An inbox that outlives the run (`serve`); by default the run starts and stops its own. */
  inbox?: { inbox: Inbox; secret: string } | undefined;
  /** Step timings of every workflow run (the sync profile); ids and durations only. */
  onStepEvent?: ((event: RunnerEvent) => void) | undefined;
  /** Once aborted (serve on SIGTERM), the run stops after the batch under way; the next run resumes from its bookmark. */
  stopAfterBatch?: AbortSignal | undefined;
  /**
   * The limits the start and each batch run under, each in a worker thread
   * (lib/host/runner/isolated-runner.ts): past its time a batch is stopped, out
   * of memory it fails alone. Default: BATCH_TIMEOUT_SECONDS and BATCH_MEMORY_MB's defaults.
   */
  batchLimits?: BatchLimits | undefined;
  /** The PostgreSQL stand-in's pool size in a batch's worker thread (the embedded database takes one connection). */
  databasePoolMax?: number | undefined;
  /** A runner started by the caller (sync-runner.ts), kept open after the run; by default the run starts and ends its own. */
  runner?: IsolatedRunner | undefined;
}


export interface SyncSummary {
  /** Why no run started (`when: 'due'` and nothing due); the rest is then empty. */
  skipped?: string | undefined;
  runId: string;
  resumed: boolean;
  dryRun: boolean;
  window: { from: string; to: string };
  batches: number;
  totals: BatchCounts;
  /** The run's unknown option and location codes, from sync_rejects (null on a dry run, which writes none). */
  unknownCodes: UnknownCodeCount[] | null;
  seconds: number;
  /** Stopped on request (stopAfterBatch) before the run completed; left open for the next run to resume. */
  stopped?: boolean;
}

/** The trigger steps of dist/workflow.json that start each workflow (lib/build/project.ts). */
const START_TRIGGER = 'cron';
const BATCH_TRIGGER = 'webhook';

const zero = (): BatchCounts => ({ cases: 0, services: 0, rejects: 0, notes: 0, removed: 0, removedDisabled: 0 });

function firstFailure(result: ExecuteResult): string | null {
  const f = result.failures[0];
  return f ? `step "${f.stepId}" failed: ${f.message.split('\n')[0]}` : null;
}

/** The ledger connection for the orchestrator's own statements, with the same TLS settings as the jobs'. */
function ledgerConnection(options: SyncOptions): pg.ClientConfig {
  const { pool } = resolveDatabaseConfig({
    connectionString: options.databaseUrl,
    ...(options.settings.database.ssl !== undefined ? { ssl: options.settings.database.ssl } : {}),
  });
  return pool;
}

async function ledgerStatement(options: SyncOptions, text: string, values: unknown[]): Promise<void> {
  const client = new pg.Client(ledgerConnection(options));
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(text, values);
  } finally {
    await client.end().catch(() => {});
  }
}

async function markRunFailed(options: SyncOptions, runId: string, reason: string): Promise<void> {
  try {
    await ledgerStatement(options, FAIL_RUN, [runId, reason.slice(0, 1000)]);
  } catch (e) {
    // Left 'running', the run is still resumed by the next sync.
    options.logger.warn(`could not mark run ${runId} as failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Messages posted by an attempt that failed half-way: a retry starts from the ledger, not from them. */
async function drain(inbox: Inbox): Promise<void> {
  while (inbox.messages.size > 0) await inbox.messages.take(0);
}

export async function runSync(options: SyncOptions): Promise<SyncSummary> {
  const { logger } = options;
  const started = Date.now();
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const connection = ledgerConnection(options);
  // The database may be restarting: wait for it within the policy rather than fail the quarter's run.
  const lock = await retrying('connecting to the database', () => tryAcquireSyncLock(options.databaseUrl, connection.ssl), policy, logger).catch(
    (e: unknown) => {
      throw new UserError(`cannot take the sync lock: ${e instanceof Error ? e.message : String(e)}`, 'check that the database is reachable, then run sync again; nothing was written');
    },
  );
  if (!lock) {
    throw new UserError('another sync is already running against this database', 'wait for it to finish; this one wrote nothing');
  }
  const secret = options.inbox?.secret ?? newSecret();
  const inbox = options.inbox?.inbox ?? (await startInbox({ secret, logger: logger.child('inbox') }));
  const progress = options.progress ?? createProgressDisplay();
  // A runner the caller brought (sync and serve start theirs early) stays open for its next run.
  const ownRunner = options.runner ? null : await createSyncRunner(options);
  const runner = options.runner ?? ownRunner!;
  try {
    const credentials = buildCredentialMap(options.settings, options.databaseUrl, { url: inbox.url, apiKey: secret });
    /** One workflow run; stopped at its time or memory limit, it is `what`'s failure, not tried again at once. */
    const executeRun = async (what: string, input: State, selection: ExecuteOptions): Promise<ExecuteResult> => {
      try {
        return await runner.execute(input, { ...selection, credentials, databasePoolMax: options.databasePoolMax });
      } catch (e) {
        if (!(e instanceof BatchLimitError)) throw e;
        // A batch that hung or outgrew its memory would do it again; a crashed worker may have met a dropped connection.
        throw new AttemptError(`${what} ${e.message}`, e.limit === 'crash' && isTransientFailure(e.message));
      }
    };
    const request: StartRequest = StartRequest.parse({
      ...(options.since ? { since: options.since } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      dryRun: options.dryRun ?? false,
      when: options.when ?? 'now',
    });
    const start = await retrying(
      'starting the run',
      async () => {
        await drain(inbox);
        const startRun = await executeRun('the start workflow', { data: request }, { start: START_TRIGGER, onEvent: options.onStepEvent });
        const startFailure = firstFailure(startRun);
        if (startFailure) throw new AttemptError(startFailure, isTransientFailure(startFailure));
        return parseAt(StartOutcome, startRun.state.data, 'start workflow output');
      },
      policy,
      logger,
    ).catch((e: unknown) => {
      const why = e instanceof Error ? e.message : String(e);
      throw new UserError(why, hintForFailure(why, 'nothing was loaded; fix the cause and run sync again'));
    });
    if (!start.run) {
      logger.info(`no run started: ${start.skipped ?? 'nothing to do'}`);
      return { skipped: start.skipped ?? 'nothing to do', runId: '', resumed: false, dryRun: false, window: { from: '', to: '' }, batches: 0, totals: zero(), unknownCodes: null, seconds: (Date.now() - started) / 1000 };
    }
    const run: RunInfo = start.run;
    logger.info(
      `${run.resumed ? 'resuming' : 'started'} run ${run.runId}${run.dryRun ? ' (dry run)' : ''}: cases updated ${run.window.from} .. ${run.window.to}, from batch ${run.batch}`,
    );

    /**
     * One batch, tried again on a transient failure. A retry asks the ledger
     * for the run's first uncommitted batch: the failed try may have committed
     * (the connection dropped after COMMIT reached the server), and then the
     * batch is not run twice.
     */
    const runBatch = (first: BatchMessage) =>
      retrying(
        `batch ${first.batch}`,
        async (tryNumber): Promise<BatchOutcome | 'closed'> => {
          try {
            await lock.ensureHeld();
          } catch (e) {
            const failure = attemptErrorFrom(e);
            throw new AttemptError(`batch ${first.batch}: sync lock: ${failure.message}`, failure.transient);
          }
          let message = first;
          if (tryNumber > 1 && !run.dryRun) {
            await drain(inbox);
            const bookmark = await readBookmark(connection, run.runId).catch((e: unknown) => {
              const failure = attemptErrorFrom(e);
              throw new AttemptError(`batch ${first.batch}: reading the run's bookmark: ${failure.message}`, failure.transient);
            });
            if (bookmark.state === 'completed') return 'closed';
            if (bookmark.state === 'all-committed') {
              // As the platform's next start would: open-run finds the run with every batch in, and closes it.
              const closing = await executeRun('closing the run', { data: { when: 'now', pageSize: request.pageSize } }, { start: START_TRIGGER, onEvent: options.onStepEvent });
              const closeFailure = firstFailure(closing);
              if (closeFailure) throw new AttemptError(`closing run ${run.runId}: ${closeFailure}`, isTransientFailure(closeFailure));
              return 'closed';
            }
            if (bookmark.state === 'gone') throw new AttemptError(`run ${run.runId} was changed by another process (${bookmark.status}); stopped`, false);
            message = bookmark.message;
          }
          // A webhook run's input, as Lightning gives it: the posted body as `data`.
          const result = await executeRun(`batch ${message.batch}`, { data: message }, { start: BATCH_TRIGGER, onEvent: options.onStepEvent });
          const failure = firstFailure(result);
          if (failure) throw new AttemptError(`batch ${message.batch}: ${failure}`, isTransientFailure(failure));
          return parseAt(NextBatch, result.state.data, `batch ${message.batch} output`).outcome;
        },
        policy,
        logger,
      );

    const totals = zero();
    let batches = 0;
    let stopped = false;
    // init found every batch of the run committed but the run never closed (stopped before next-batch): it closed it.
    for (;;) {
      if (run.complete) break;
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
      let outcome: BatchOutcome | 'closed';
      try {
        outcome = await runBatch(message);
      } catch (e) {
        const failure = e instanceof Error ? e.message : String(e);
        if (!run.dryRun) await markRunFailed(options, run.runId, failure);
        throw new UserError(failure, hintForFailure(failure, 'run primero-ona sync again to resume the run from its last committed batch'));
      }
      if (outcome === 'closed') break;
      batches++;
      for (const k of Object.keys(totals) as (keyof BatchCounts)[]) totals[k] += outcome.counts[k];
      progress.update({ batch: outcome.batch, of: outcome.batch + outcome.batchesLeft, cases: totals.cases, services: totals.services, rejects: totals.rejects });
      if (outcome.complete) break;
      if (options.stopAfterBatch?.aborted) {
        logger.info(`stopping after batch ${outcome.batch} as asked; the next run resumes run ${run.runId} from here`);
        stopped = true;
        break;
      }
    }
    return {
      runId: run.runId,
      resumed: run.resumed,
      dryRun: run.dryRun,
      window: run.window,
      batches,
      totals,
      // The run is complete whatever this read does: a summary without the list is still true.
      unknownCodes: run.dryRun ? null : await readUnknownCodes(connection, run.runId).catch(() => null),
      seconds: (Date.now() - started) / 1000,
      ...(stopped ? { stopped } : {}),
    };
  } finally {
    progress.stop();
    // Ends our own batch worker and its pooled connections.
    await ownRunner?.close().catch(() => {});
    if (!options.inbox) await inbox.stop();
    await lock.release().catch(() => {});
  }
}
