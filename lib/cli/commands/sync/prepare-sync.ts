import { loadBatchLimits } from '../../../config/batch-limits.ts';
import { loadDatabaseSettings, loadSettings } from '../../../config/settings.ts';
import { openConfiguredDatabase, type OpenedDatabase } from '../../../db/connect.ts';
import { routeConsoleTo } from '../../../log/adaptor-console.ts';
import type { Logger } from '../../../log/logger.ts';
import type { SyncOptions } from '../../../host/run-sync.ts';
import { probePrimero } from '../../../host/primero/probe.ts';
import { setPoolSettings as setDatabasePoolSettings, shutdown as closeDatabasePools, setLogger as setDatabaseLogger } from '../../../../adaptors/postgres-host.ts';
import { setLogger as setPrimeroLogger } from '../../../../adaptors/primero-host.ts';

/**
 * What `sync` and `serve` do before their first run, in one step: read the
 * settings and the batch limits, check Primero with one request, open the
 * database, and route the adaptors' lines through the job logger.
 */
export interface PreparedSync {
  database: OpenedDatabase;
  /** The options every run of this process shares. */
  runOptions: Pick<SyncOptions, 'workflowPath' | 'settings' | 'databaseUrl' | 'batchLimits' | 'databasePoolMax' | 'logger' | 'jobLogger'>;
  /** Closes what `prepareSync` opened. */
  close(): Promise<void>;
}

export async function prepareSync(
  options: { workflow: string; credentials?: string | undefined },
  logger: Logger,
  jobLogger: Logger,
  env: NodeJS.ProcessEnv,
): Promise<PreparedSync> {
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
  return {
    database,
    runOptions: {
      workflowPath: options.workflow,
      settings,
      databaseUrl: database.handle.url,
      batchLimits,
      databasePoolMax: database.handle.maxConnections,
      logger,
      jobLogger,
    },
    async close() {
      await closeDatabasePools();
      restoreConsole();
      await database.close();
    },
  };
}
