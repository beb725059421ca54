import { loadDatabaseSettings, loadSettings } from '../../../config/settings.ts';
import { migrateOpened, openConfiguredDatabase } from '../../../db/connect.ts';
import { startInbox } from '../../../inbox/server.ts';
import { newSecret } from '../../../inbox/secret.ts';
import type { Logger } from '../../../log/logger.ts';
import { routeConsoleTo } from '../../../log/adaptor-console.ts';
import { runSync } from '../../../orchestrator/run-sync.ts';
import { loadPlan } from '../../../runner/load-plan.ts';
import { shutdown as closeDatabasePools, setLogger as setDatabaseLogger } from '../../../../adaptors/postgres.ts';
import { setLogger as setPrimeroLogger } from '../../../../adaptors/primero.ts';
import { probePrimero } from '../../../primero/probe.ts';
import { formatSummary } from '../sync/summary.ts';
import { cronOf, schedule } from './schedule.ts';

export interface ServeOptions {
  workflow: string;
  credentials?: string | undefined;
  pageSize: number;
  inboxPort: number;
}

/**
 * `primero-ona serve`: stays up with the inbox on loopback and runs a sync on
 * the workflow's cron schedule (UTC) until SIGINT/SIGTERM. A run that fails is
 * logged and marked failed; the next scheduled run resumes it.
 */
export async function serveHandler(options: ServeOptions, logger: Logger, jobLogger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const settings = await loadSettings(env, options.credentials);
  await probePrimero(settings.primero, logger);
  const plan = await loadPlan(options.workflow, logger);
  const expression = cronOf(plan);
  const database = await openConfiguredDatabase({ source: await loadDatabaseSettings(env, options.credentials), logger, env });
  setDatabaseLogger(jobLogger.child('postgres'));
  setPrimeroLogger(jobLogger.child('primero'));
  // Adaptors print each HTTP request to the process console: debug lines of the job logger instead.
  const restoreConsole = routeConsoleTo(jobLogger.child('adaptor'));
  // INBOX_SECRET lets another process post to this inbox; otherwise only this process knows it.
  const secret = env.INBOX_SECRET || newSecret();
  const inbox = await startInbox({ secret, port: options.inboxPort, logger: logger.child('inbox') });
  try {
    await migrateOpened(database, logger);
    let inFlight: Promise<void> | null = null;
    const job = schedule(expression, () => (inFlight = scheduledRun().finally(() => (inFlight = null))));
    async function scheduledRun(): Promise<void> {
      logger.info('scheduled sync starting');
      try {
        const summary = await runSync({
          workflowPath: options.workflow,
          settings,
          databaseUrl: database.handle.url,
          logger,
          jobLogger,
          pageSize: options.pageSize,
          inbox: { inbox, secret },
        });
        process.stdout.write(formatSummary(summary));
      } catch (e) {
        logger.error(`scheduled sync failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
    }
    logger.info(`serving: ${database.description}; inbox ${inbox.url}; cron "${expression}" (UTC), next run ${job.nextRun()?.toISOString() ?? 'never'}`);
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
    await inbox.stop();
    await closeDatabasePools();
    restoreConsole();
    await database.close();
  }
}
