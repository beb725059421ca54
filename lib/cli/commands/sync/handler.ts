import { loadSettings } from '../../../config/settings.ts';
import { openDatabase, describeDatabase } from '../../../db/database.ts';
import { migrate } from '../../../db/migrate.ts';
import { resolveDatabaseConfig } from '../../../db/config.ts';
import type { Logger } from '../../../log/logger.ts';
import { runSync, type SyncSummary } from '../../../orchestrator/run-sync.ts';
import { setPoolSettings as setDatabasePoolSettings, shutdown as closeDatabasePools, setLogger as setDatabaseLogger } from '../../../../adaptors/postgres-host.ts';
import { setLogger as setPrimeroLogger } from '../../../../adaptors/primero-host.ts';
import { profileRequested, writeProfile } from '../../../profile/sync-profile.ts';
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
  const database = await openDatabase({ url: settings.database.connectionString, env });
  // Adaptors log per request and per statement: useful with --verbose, noise otherwise.
  setDatabaseLogger(jobLogger.child('postgres'));
  // The embedded database serves one connection at a time; a server takes several.
  setDatabasePoolSettings({ max: database.maxConnections });
  setPrimeroLogger(jobLogger.child('primero'));
  // PRIMERO_ONA_PROFILE=<file>: step timings and peak memory for the benchmark.
  const profile = profileRequested(env);
  try {
    logger.info(`database: ${describeDatabase(database)}`);
    const { ssl } = resolveDatabaseConfig({ connectionString: database.url, ...(settings.database.ssl !== undefined ? { ssl: settings.database.ssl } : {}) }).pool;
    await migrate(database.url, { logger, ...(ssl !== undefined ? { ssl } : {}) });
    const summary = await runSync({
      workflowPath: options.workflow,
      settings,
      databaseUrl: database.url,
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
    await database.close();
  }
}
