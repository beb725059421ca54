import { loadSettings } from '../../../config/settings.ts';
import { describeDatabase, openDatabase } from '../../../db/database.ts';
import { migrate } from '../../../db/migrate.ts';
import { startInbox } from '../../../inbox/server.ts';
import { newSecret } from '../../../inbox/secret.ts';
import type { Logger } from '../../../log/logger.ts';
import { runSync } from '../../../orchestrator/run-sync.ts';
import { loadPlan } from '../../../runner/load-plan.ts';
import { readyToRun } from '../../../build/default-workflow.ts';
import { setPoolSettings as setDatabasePoolSettings, shutdown as closeDatabasePools, setLogger as setDatabaseLogger } from '../../../../adaptors/postgres-host.ts';
import { setLogger as setPrimeroLogger } from '../../../../adaptors/primero-host.ts';
import { formatSummary } from '../sync/summary.ts';
import { cronOf, schedule } from './schedule.ts';
import { startServeDashboard } from '../dashboard/handler.ts';

export interface ServeOptions {
  workflow: string;
  credentials?: string | undefined;
  pageSize: number;
  inboxPort: number;
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
  await readyToRun(options.workflow, logger);
  const plan = await loadPlan(options.workflow, logger);
  const expression = cronOf(plan);
  const database = await openDatabase({ url: settings.database.connectionString, env });
  setDatabaseLogger(jobLogger.child('postgres'));
  // The embedded database serves one connection at a time; a server takes several.
  setDatabasePoolSettings({ max: database.maxConnections });
  setPrimeroLogger(jobLogger.child('primero'));
  // INBOX_SECRET lets another process post to this inbox; otherwise only this process knows it.
  const secret = env.INBOX_SECRET || newSecret();
  const inbox = await startInbox({ secret, port: options.inboxPort, logger: logger.child('inbox') });
  let dashboard: Awaited<ReturnType<typeof startServeDashboard>> = null;
  try {
    await migrate(database.url, { logger });
    const dashboardAt = { host: options.dashboardHost ?? '127.0.0.1', port: options.dashboardPort ?? 8090, credentials: options.credentials };
    dashboard = await startServeDashboard({ ...dashboardAt, databaseUrl: database.url, maxConnections: database.maxConnections }, logger.child('dashboard'), env);
    let inFlight: Promise<void> | null = null;
    // One run at a time: a tick while a run is under way (the start-up catch-up included) waits for it.
    const tick = (): Promise<void> => inFlight ?? (inFlight = scheduledRun().finally(() => (inFlight = null)));
    const job = schedule(expression, tick);
    async function scheduledRun(): Promise<void> {
      logger.info('scheduled sync starting');
      try {
        const summary = await runSync({
          workflowPath: options.workflow,
          settings,
          databaseUrl: database.url,
          logger,
          jobLogger,
          pageSize: options.pageSize,
          inbox: { inbox, secret },
          // The schedule is daily: a run opens only when the quarter's is due, or resumes one whose chain stopped.
          when: 'due',
        });
        process.stdout.write(formatSummary(summary));
      } catch (e) {
        logger.error(`scheduled sync failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
    }
    logger.info(`serving: ${describeDatabase(database)}; inbox ${inbox.url}; dashboard ${dashboard?.url ?? 'off'}; cron "${expression}" (UTC), next run ${job.nextRun()?.toISOString() ?? 'never'}`);
    // A quarter missed while serve was down (or a chain that stopped) is caught up now, not at the next tick.
    void tick();
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        job.stop();
        // A run under way finishes its batch chain first; an interrupted one would resume anyway.
        if (inFlight) logger.info('stopping after the run under way');
        void Promise.resolve(inFlight).then(() => resolve());
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    logger.info('stopped');
  } finally {
    await dashboard?.stop();
    await inbox.stop();
    await closeDatabasePools();
    await database.close();
  }
}
