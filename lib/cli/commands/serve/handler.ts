import { migrateOpened } from '../../../db/connect.ts';
import { prepareSync } from '../sync/prepare-sync.ts';
import { startInbox } from '../../../host/inbox/server.ts';
import { newSecret } from '../../../host/inbox/secret.ts';
import type { Logger } from '../../../log/logger.ts';
import { runSync } from '../../../host/run-sync.ts';
import { loadPlan } from '../../../host/runner/load-plan.ts';
import { probePrimero } from '../../../host/primero/probe.ts';
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
  const plan = await loadPlan(options.workflow, logger);
  const expression = cronOf(plan);
  const prepared = await prepareSync(options, logger, jobLogger, env);
  const { database } = prepared;
  const { settings } = prepared.runOptions;
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
    const startRun = (why: string, when: 'due' | 'now' = 'due') => {
      if (inFlight || stopping.signal.aborted) return inFlight ?? Promise.resolve();
      return (inFlight = scheduledRun(why, when).finally(() => (inFlight = null)));
    };
    const job = schedule(expression, () => startRun('scheduled sync starting'));
    async function scheduledRun(why: string, when: 'due' | 'now'): Promise<void> {
      logger.info(why);
      try {
        await probePrimero(settings.primero, logger);
        const summary = await runSync({
          ...prepared.runOptions,
          stopAfterBatch: stopping.signal,
          pageSize: options.pageSize,
          inbox: { inbox, secret },
          // The schedule is daily: a run opens only when the quarter's is due, or resumes one whose chain stopped.
          when,
        });
        if (summary.stopped) process.stdout.write(`Run ${summary.runId} stopped after ${summary.batches} batch(es) on request; the next run resumes it.\n`);
        else process.stdout.write(formatSummary(summary));
      } catch (e) {
        const hint = e instanceof UserError && e.hint ? ` (${e.hint})` : '';
        logger.error(`scheduled sync failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}${hint}`);
      }
    }
    // A quarter's run missed while serve was down, or a chain that stopped, is caught up now, not at the next tick;
    // the start workflow decides, as the platform's daily cron does, and opens nothing when nothing is due.
    const now = await status();
    // The next run as status and /healthz give it (lib/status): the cron's daily tick only opens one when it is due.
    logger.info(`serving: ${database.description}; inbox ${inbox.url}; health ${health.url}/healthz; dashboard ${dashboard?.url ?? 'off'}; cron "${expression}" (UTC), next run ${now.schedule?.next ?? 'never'}`);
    // A run a local sync left stopped (status knows by the sync lock) is taken up at once, not after the stall rule's hour.
    if (now.state === 'stopped') void startRun(`start-up: resuming stopped run ${now.runs[0]?.runId ?? ''}`, 'now');
    else {
      void startRun(
        now.state !== 'unreachable' && !now.quarterRunDone
          ? `catching up: the run due ${now.schedule?.lastDue ?? '?'} has not completed; running it now`
          : 'start-up: resuming a stopped run, if any',
      );
    }
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
    await prepared.close();
  }
}
