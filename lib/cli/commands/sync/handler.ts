import { loadDatabaseSettings, loadSettings } from '../../../config/settings.ts';
import { migrateOpened, openConfiguredDatabase } from '../../../db/connect.ts';
import type { Logger } from '../../../log/logger.ts';
import { routeConsoleTo } from '../../../log/adaptor-console.ts';
import { loadBatchLimits } from '../../../config/batch-limits.ts';
import { runSync, type SyncSummary } from '../../../orchestrator/run-sync.ts';
import { setPoolSettings as setDatabasePoolSettings, shutdown as closeDatabasePools, setLogger as setDatabaseLogger } from '../../../../adaptors/postgres-host.ts';
import { setLogger as setPrimeroLogger } from '../../../../adaptors/primero-host.ts';
import { profileRequested, writeProfile } from '../../../profile/sync-profile.ts';
import { probePrimero } from '../../../primero/probe.ts';
import { formatSummary } from './summary.ts';
import type { SyncCommandOptions } from './options.ts';

/**
 * `primero-ona sync`, step by step: read settings, open the database, apply
 * pending migrations, run the sync until its run completes, print a summary.
 */
export async function syncHandler(
  options: SyncCommandOptions,
  logger: Logger,
  jobLogger: Logger = logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SyncSummary> {
  const settings = await loadSettings(env, options.credentials);
  // Each batch in a worker thread under these limits: a hung batch is stopped, one out of memory fails alone.
  const batchLimits = loadBatchLimits(env);
  // One request: a URL that is not a Primero API, or a refused password, stops here with nothing written.
  await probePrimero(settings.primero, logger);
  const database = await openConfiguredDatabase({ source: await loadDatabaseSettings(env, options.credentials), logger, env });
  // Adaptors log per request and per statement: useful with --verbose, noise otherwise.
  setDatabaseLogger(jobLogger.child('postgres'));
  // The embedded database serves one connection at a time; a server takes several.
  setDatabasePoolSettings({ max: database.handle.maxConnections });
  setPrimeroLogger(jobLogger.child('primero'));
  // Adaptors print each HTTP request to the process console: debug lines of the job logger instead.
  const restoreConsole = routeConsoleTo(jobLogger.child('adaptor'));
  // PRIMERO_ONA_PROFILE=<file>: step timings and peak memory for the benchmark.
  const profile = profileRequested(env);
  try {
    logger.info(`database: ${database.description}`);
    await migrateOpened(database, logger);
    const summary = await runSync({
      workflowPath: options.workflow,
      settings,
      databaseUrl: database.handle.url,
      batchLimits,
      databasePoolMax: database.handle.maxConnections,
      logger,
      jobLogger,
      since: options.since,
      pageSize: options.pageSize,
      dryRun: options.dryRun,
      onStepEvent: profile?.recorder.onEvent,
    });
    if (profile) await writeProfile(profile.path, profile.recorder);
    process.stdout.write(formatSummary(summary));
    return summary;
  } finally {
    await closeDatabasePools();
    restoreConsole();
    await database.close();
  }
}
