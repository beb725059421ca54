import { loadDatabaseSettings, loadSettings } from '../../../config/settings.ts';
import { migrateOpened, openConfiguredDatabase } from '../../../db/connect.ts';
import { startInbox } from '../../../inbox/server.ts';
import { newSecret } from '../../../inbox/secret.ts';
import type { Logger } from '../../../log/logger.ts';
import { routeConsoleTo } from '../../../log/adaptor-console.ts';
import { loadBatchLimits } from '../../../config/batch-limits.ts';
import { runSync } from '../../../orchestrator/run-sync.ts';
import { loadPlan } from '../../../runner/load-plan.ts';
import { readyToRun } from '../../../build/default-workflow.ts';
import { setPoolSettings as setDatabasePoolSettings, shutdown as closeDatabasePools, setLogger as setDatabaseLogger } from '../../../../adaptors/postgres-host.ts';
import { setLogger as setPrimeroLogger } from '../../../../adaptors/primero-host.ts';
import { probePrimero } from '../../../primero/probe.ts';
import { currentStatus } from '../../../status/current.ts';
import { startHealthServer } from '../../../status/health-server.ts';
import { formatSummary } from '../sync/summary.ts';
import { UserError } from '../../../errors.ts';
import { cronOf, schedule } from './schedule.ts';
import { startServeDashboard } from '../dashboard/handler.ts';

export interface ServeOptions {
  workflow: string;
  credentials?: string | undefined;
  pageSize: number;
  inboxPort: number;
  /** Port of GET /healthz (0 = any free port, printed at start-up). */
  healthPort: number;
  healthHost: string;
  dashboardHost?: string;
  dashboardPort?: number;
}

/**
 * `primero-ona serve`: stays up with the inbox on loopback and runs a sync on
 * the workflow's cron schedule (UTC) until SIGINT/SIGTERM. A run that fails is
 * logged and marked failed; the next scheduled run resumes it.
 */
export async function serveHandler(options: ServeOptions, logger: Logger, jobLogger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const settings = await loadSettings(env, options.credentials);
  // Each batch in a worker thread under these limits: a hung batch is stopped, one out of memory fails alone.
  const batchLimits = loadBatchLimits(env);
  await readyToRun(options.workflow, logger);
  await probePrimero(settings.primero, logger);
  const plan = await loadPlan(options.workflow, logger);
  const expression = cronOf(plan);
  const database = await openConfiguredDatabase({ source: await loadDatabaseSettings(env, options.credentials), logger, env });
  setDatabaseLogger(jobLogger.child('postgres'));
  // The embedded database serves one connection at a time; a server takes several.
  setDatabasePoolSettings({ max: database.handle.maxConnections });
  setPrimeroLogger(jobLogger.child('primero'));
  // Adaptors print each HTTP request to the process console: debug lines of the job logger instead.
  const restoreConsole = routeConsoleTo(jobLogger.child('adaptor'));
  // INBOX_SECRET lets another process post to this inbox; otherwise only this process knows it.
  const secret = env.INBOX_SECRET || newSecret();
  const inbox = await startInbox({ secret, port: options.inboxPort, logger: logger.child('inbox') });
  let stopHealth: (() => Promise<void>) | undefined;
  let dashboard: Awaited<ReturnType<typeof startServeDashboard>> = null;
  try {
    await migrateOpened(database, logger);
    const status = () => currentStatus(database, { cron: expression, readOnly: false });
    const health = await startHealthServer({ port: options.healthPort, host: options.healthHost, status, logger });
    stopHealth = health.stop;
    const dashboardAt = { host: options.dashboardHost ?? '127.0.0.1', port: options.dashboardPort ?? 8090, credentials: options.credentials };
    dashboard = await startServeDashboard({ ...dashboardAt, connect: () => database.connect({ readOnly: true }) }, logger.child('dashboard'), env);
    // SIGTERM: the batch under way finishes (and commits its bookmark), then the process exits 0.
    const stopping = new AbortController();
    let inFlight: Promise<void> | null = null;
    // One run at a time: a tick while a run is under way (the start-up catch-up included) waits for it.
    const startRun = (why: string) => {
      if (inFlight || stopping.signal.aborted) return inFlight ?? Promise.resolve();
      return (inFlight = scheduledRun(why).finally(() => (inFlight = null)));
    };
    const job = schedule(expression, () => startRun('scheduled sync starting'));
    async function scheduledRun(why: string): Promise<void> {
      logger.info(why);
      try {
        await probePrimero(settings.primero, logger);
        const summary = await runSync({
          stopAfterBatch: stopping.signal,
          workflowPath: options.workflow,
          settings,
          databaseUrl: database.handle.url,
          batchLimits,
          databasePoolMax: database.handle.maxConnections,
          logger,
          jobLogger,
          pageSize: options.pageSize,
          inbox: { inbox, secret },
          // The schedule is daily: a run opens only when the quarter's is due, or resumes one whose chain stopped.
          when: 'due',
        });
        if (summary.stopped) process.stdout.write(`Run ${summary.runId} stopped after ${summary.batches} batch(es) on request; the next run resumes it.\n`);
        else process.stdout.write(formatSummary(summary));
      } catch (e) {
        const hint = e instanceof UserError && e.hint ? ` (${e.hint})` : '';
        logger.error(`scheduled sync failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}${hint}`);
      }
    }
    logger.info(`serving: ${database.description}; inbox ${inbox.url}; health ${health.url}/healthz; dashboard ${dashboard?.url ?? 'off'}; cron "${expression}" (UTC), next run ${job.nextRun()?.toISOString() ?? 'never'}`);
    // A quarter's run missed while serve was down, or a chain that stopped, is caught up now, not at the next tick;
    // the start workflow decides, as the platform's daily cron does, and opens nothing when nothing is due.
    const now = await status();
    void startRun(
      now.state !== 'unreachable' && !now.quarterRunDone
        ? `catching up: the run due ${now.schedule?.lastDue ?? '?'} has not completed; running it now`
        : 'start-up: resuming a stopped run, if any',
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        job.stop();
        stopping.abort();
        // The batch under way commits first; the run is resumed from its bookmark by the next run.
        if (inFlight) logger.info('stopping after the batch under way');
        void Promise.resolve(inFlight).then(() => resolve());
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    logger.info('stopped');
  } finally {
    await dashboard?.stop();
    await stopHealth?.();
    await inbox.stop();
    await closeDatabasePools();
    restoreConsole();
    await database.close();
  }
}
