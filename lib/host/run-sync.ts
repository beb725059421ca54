import pg from 'pg';
import type { Settings } from '../config/settings.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import { startInbox, type Inbox } from './inbox/server.ts';
import { newSecret } from './inbox/secret.ts';
import type { ExecuteOptions, ExecuteResult, RunnerEvent, State } from './runner/runner.ts';
import { BatchLimitError, type BatchLimits, type IsolatedRunner } from './runner/isolated-runner.ts';
import { createSyncRunner } from './sync-runner.ts';
import { StartOutcome, UpsertedBatch, type BatchCounts, type RunInfo, type StartRequest } from '../core/job-states.ts';
import { parseAt } from '../core/schema.ts';
import { classifyDatabaseFailure } from '../core/database-failure.ts';
import { DEFAULT_RETRY_POLICY, retrying, RetryExhausted, type Failure, type RetryPolicy } from '../core/retry.ts';
import type { BatchMessage } from '../core/messages.ts';
import { readUnknownCodes, type UnknownCodeCount } from '../report/read-unknown-codes.ts';
import { resolveDatabaseConfig } from '../db/config.ts';
import { markRunFailed, readRun, readRunTotals } from './ledger.ts';
import { buildCredentialMap } from './credentials.ts';
import { createProgressDisplay, type ProgressDisplay } from './progress.ts';
import { tryAcquireSyncLock } from './sync-lock.ts';
import { hintAfter } from './primero/probe.ts';

/**
 * One sync run, start to finish, as Lightning runs the two workflows: take the
 * lock, start the inbox (the batch workflow's webhook), run the start workflow
 * (init opens or resumes a run; next-batch posts its first message), then drain
 * the inbox, running the batch workflow (fetch -> upsert -> next-batch) once
 * per message, until upsert closes the run. Every batch is a separate workflow
 * run that knows only its message, as on the OpenFn platform.
 *
 * A batch that fails is on record in the ledger (upsert records it); one that
 * may pass on its own (Primero or the database unavailable) is taken up again
 * after a wait, the way the platform's next start takes it up: the start
 * workflow resumes the run from its bookmark.
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
  /** How a failure that may pass on its own is taken up again. */
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
  /** Batches this process ran. */
  batches: number;
  /** The run's counts, run-wide (a resumed run's earlier batches included), as the ledger holds them; a dry run's from its batches. */
  totals: BatchCounts;
  /** The run's unknown option and location codes, from sync_rejects (null on a dry run, which writes none). */
  unknownCodes: UnknownCodeCount[] | null;
  seconds: number;
  /** Stopped on request (stopAfterBatch) before the run completed; left open for the next run to resume. */
  stopped?: boolean;
}

/** The trigger steps of workflow.json that start each workflow (lib/build/project.ts). */
const START_TRIGGER = 'cron';
const BATCH_TRIGGER = 'webhook';

const zero = (): BatchCounts => ({ cases: 0, services: 0, rejects: 0, nulled: 0, removed: 0, removedDisabled: 0 });

/** A workflow run that failed, classified: the one line, and whether to take it up again after a wait. */
export class SyncStepFailed extends Error {
  override readonly name = 'SyncStepFailed';
  constructor(readonly failure: Failure) {
    super(failure.line);
  }
}

function firstFailure(result: ExecuteResult): string | null {
  const f = result.failures[0];
  return f ? `step "${f.stepId}" failed: ${f.message.split('\n')[0]}` : null;
}

/** A batch's failure in one line, its number said once: the jobs' own lines start with it too. */
function batchFailureLine(batch: number, step: string | null, text: string | null): string {
  const own = (text ?? '').replace(new RegExp(`^batch ${batch}:? `), '');
  return `batch ${batch}: ${step ? `step "${step}" failed: ` : ''}${own}`;
}

/** The orchestrator's own connection, with the same TLS settings as the jobs'. */
function ledgerConnection(options: SyncOptions): pg.ClientConfig {
  const { pool } = resolveDatabaseConfig({
    connectionString: options.databaseUrl,
    ...(options.settings.database.ssl !== undefined ? { ssl: options.settings.database.ssl } : {}),
  });
  return pool;
}

/** Messages posted by an attempt that failed half-way: the next try starts from the ledger, not from them. */
async function drain(inbox: Inbox): Promise<void> {
  while (inbox.messages.size > 0) await inbox.messages.take(0);
}

export async function runSync(options: SyncOptions): Promise<SyncSummary> {
  const { logger } = options;
  const started = Date.now();
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const connection = ledgerConnection(options);
  // The database may be restarting: wait for it within the policy rather than fail the quarter's run.
  const lock = await retrying('connecting to the database', () => tryAcquireSyncLock(options.databaseUrl, connection.ssl), policy, {
    classify: classifyDatabaseFailure,
    log: (line) => logger.warn(line),
  }).catch((e: unknown) => {
    throw new UserError(`cannot take the sync lock: ${e instanceof Error ? e.message : String(e)}`, 'check that the database is reachable, then run sync again; nothing was written');
  });
  if (!lock) {
    throw new UserError('another sync is already running against this database', 'wait for it to finish; this one wrote nothing');
  }
  const secret = options.inbox?.secret ?? newSecret();
  const inbox = options.inbox?.inbox ?? (await startInbox({ secret, logger: logger.child('inbox') }));
  const progress = options.progress ?? createProgressDisplay();
  // A runner the caller brought (sync and serve start theirs early) stays open for its next run.
  const ownRunner = options.runner ? null : await createSyncRunner(options);
  const runner = options.runner ?? ownRunner!;
  let run: RunInfo | null = null;
  try {
    const credentials = buildCredentialMap(options.settings, options.databaseUrl, { url: inbox.url, apiKey: secret });

    /** One workflow run; stopped at its time or memory limit, it is `what`'s failure: a hang or a leak would repeat, a crash may not. */
    const execute = async (what: string, input: State, selection: ExecuteOptions): Promise<ExecuteResult> => {
      try {
        return await runner.execute(input, { ...selection, credentials, databasePoolMax: options.databasePoolMax });
      } catch (e) {
        if (!(e instanceof BatchLimitError)) throw e;
        const failure = { line: `${what} ${e.message}`, transient: e.limit === 'crash' };
        if (run && !run.dryRun && e.limit !== 'crash') await markRunFailed(connection, run.runId, failure, logger);
        throw new SyncStepFailed(failure);
      }
    };

    /**
     * Why a batch's workflow run failed, by what the ledger holds: the failure
     * upsert recorded (its step, line and whether it may pass), or none (the
     * connection went with the batch, or next-batch could not post): the
     * database unreachable, or the chain's end, either worth another try from
     * the bookmark.
     */
    const batchFailure = async (message: BatchMessage, result: ExecuteResult): Promise<Failure> => {
      const first = result.failures[0];
      const line = batchFailureLine(message.batch, first?.stepId ?? null, first ? first.message.split('\n')[0]! : 'no step failed');
      if (message.dryRun) return { line, transient: false };
      const row = await readRun(connection, message.runId).catch((e: unknown) => ({ unreachable: classifyDatabaseFailure(e) }));
      if (row && 'unreachable' in row) return { line: `${line}; the ledger cannot be read: ${row.unreachable.line}`, transient: row.unreachable.transient };
      // What the ledger says failed: the step (fetch, upsert) and its line.
      if (row?.status === 'failed' && row.error_step && row.error_kind) {
        return { line: batchFailureLine(message.batch, row.error_step, row.error), transient: row.error_kind === 'transient', refused: row.error_kind === 'refused' };
      }
      return { line, transient: row?.status !== 'completed' };
    };

    const request: StartRequest = {
      ...(options.since ? { since: options.since } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      dryRun: options.dryRun ?? false,
      when: options.when ?? 'now',
      overlapSeconds: 60,
      stalledAfterMinutes: 60,
    };
    let batches = 0;
    let stopped = false;
    let complete = false;
    let skipped: string | null = null;
    const dryTotals = zero();
    /** The batch the run stands at (what a failure is about), once one has begun. */
    let at: number | null = null;
    /** What the progress display shows: this process's batches. */
    const shown = zero();

    /** The start workflow, then every batch until the run completes; a second try starts over from the ledger. */
    const attempt = async (tryNumber: number): Promise<void> => {
      await lock.ensureHeld().catch((e: unknown) => {
        const failure = classifyDatabaseFailure(e);
        throw new SyncStepFailed({ ...failure, line: `${at === null ? '' : `batch ${at}: `}the database cannot be reached (sync lock: ${failure.line})` });
      });
      await drain(inbox);
      // A retried dry run starts over: it wrote nothing, and has no bookmark.
      const startRun = await execute('the start workflow', { data: tryNumber > 1 ? { ...request, when: 'now' } : request }, { start: START_TRIGGER, onEvent: options.onStepEvent });
      const startFailure = firstFailure(startRun);
      if (startFailure) {
        // init reads and writes the ledger only: a database that cannot be reached may come back.
        const reachable = await readRun(connection, '00000000-0000-0000-0000-000000000000').then(
          () => null,
          (e: unknown) => classifyDatabaseFailure(e),
        );
        throw new SyncStepFailed({ line: startFailure, transient: reachable?.transient ?? false });
      }
      // next-batch passes init's outcome on.
      const start = parseAt(StartOutcome, startRun.state.data, 'start workflow output');
      if (!start.run) {
        skipped = start.skipped ?? 'nothing to do';
        return;
      }
      run = start.run;
      if (tryNumber === 1) {
        logger.info(`${run.resumed ? 'resuming' : 'started'} run ${run.runId}${run.dryRun ? ' (dry run)' : ''}: cases updated ${run.window.from} .. ${run.window.to}, from batch ${run.batch}`);
      }
      for (;;) {
        const message = await inbox.messages.take(options.messageTimeoutMs ?? 120_000);
        if (!message) throw new SyncStepFailed({ line: 'no message for the next batch arrived at the inbox', transient: true });
        if (message.runId !== run.runId) {
          logger.warn(`inbox: ignored a message for another run (${message.runId})`);
          continue;
        }
        at = message.batch;
        // A webhook run's input, as Lightning gives it: the posted body as `data`.
        const result = await execute(`batch ${message.batch}`, { data: message }, { start: BATCH_TRIGGER, onEvent: options.onStepEvent });
        if (result.failures.length > 0) throw new SyncStepFailed(await batchFailure(message, result));
        const { outcome } = parseAt(UpsertedBatch, result.state.data, `batch ${message.batch} output`);
        batches++;
        for (const k of Object.keys(shown) as (keyof BatchCounts)[]) shown[k] += outcome.counts[k];
        if (run.dryRun) Object.assign(dryTotals, shown);
        progress.update({ batch: outcome.batch, of: outcome.batch + outcome.batchesLeft, cases: shown.cases, services: shown.services, rejects: shown.rejects });
        if (outcome.complete) {
          complete = true;
          return;
        }
        if (options.stopAfterBatch?.aborted) {
          logger.info(`stopping after batch ${outcome.batch} as asked; the next run resumes run ${run.runId} from here`);
          stopped = true;
          return;
        }
      }
    };

    try {
      await retrying('sync', attempt, policy, {
        classify: (e) => (e instanceof SyncStepFailed ? e.failure : e instanceof UserError ? { line: e.message, transient: false } : classifyDatabaseFailure(e)),
        log: (line) => logger.warn(line),
        beforeRetry: () => drain(inbox),
      });
    } catch (e) {
      if (!(e instanceof RetryExhausted)) throw e;
      const current = run as RunInfo | null;
      if (current && !current.dryRun) await markRunFailed(connection, current.runId, e.failure, logger);
      throw new UserError(e.message, hintAfter(e.failure, current ? 'run primero-ona sync again to resume the run from its last committed batch' : 'nothing was loaded; fix the cause and run sync again'));
    }

    const done = run as RunInfo | null;
    if (!done) {
      logger.info(`no run started: ${skipped}`);
      return { skipped: skipped ?? 'nothing to do', runId: '', resumed: false, dryRun: false, window: { from: '', to: '' }, batches: 0, totals: zero(), unknownCodes: null, seconds: (Date.now() - started) / 1000 };
    }
    return {
      runId: done.runId,
      resumed: done.resumed,
      dryRun: done.dryRun,
      window: done.window,
      batches,
      // One meaning per word, the same number everywhere: the ledger's run-wide counts.
      totals: done.dryRun ? dryTotals : await readRunTotals(connection, done.runId),
      // The run is complete whatever this read does: a summary without the list is still true.
      unknownCodes: done.dryRun || !complete ? null : await readUnknownCodes(connection, done.runId).catch(() => null),
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
