import { loadBatchLimits } from '../../../config/batch-limits.ts';
import { loadDatabaseSettings, loadSettings } from '../../../config/settings.ts';
import { openConfiguredDatabase, type OpenedDatabase } from '../../../db/connect.ts';
import type { Logger } from '../../../log/logger.ts';
import type { SyncOptions } from '../../../host/run-sync.ts';
import { createSyncRunner } from '../../../host/sync-runner.ts';
import type { IsolatedRunner } from '../../../host/runner/isolated-runner.ts';
import { maxConnections } from '../../../db/database.ts';
import { probePrimero } from '../../../host/primero/probe.ts';

/**
 * What `sync` and `serve` do before their first run, in one step: read the
 * settings and the batch limits, start the runner (its worker thread, which
 * routes the adaptors' lines through the job logger, warms up meanwhile),
 * check Primero with one request, open the database.
 */
export interface PreparedSync {
  database: OpenedDatabase;
  /** The options every run of this process shares. */
  runOptions: Pick<SyncOptions, 'workflowPath' | 'settings' | 'databaseUrl' | 'batchLimits' | 'databasePoolMax' | 'logger' | 'jobLogger' | 'runner'>;
  /** Closes what `prepareSync` opened. */
  close(): Promise<void>;
}

export async function prepareSync(
  options: { workflow: string; credentials?: string | undefined; runner?: IsolatedRunner | undefined },
  logger: Logger,
  jobLogger: Logger,
  env: NodeJS.ProcessEnv,
): Promise<PreparedSync> {
  let runner = options.runner;
  try {
    const settings = await loadSettings(env, options.credentials);
    // Each batch in a worker thread under these limits: a hung batch is stopped, one out of memory fails alone.
    const batchLimits = loadBatchLimits(env);
    const source = await loadDatabaseSettings(env, options.credentials);
    // The embedded database serves one connection at a time; a server takes several.
    const databasePoolMax = maxConnections(source.database.connectionString);
    // Started first, unless the command already did: its worker loads the runtime, the jobs and their adaptors
    // while Primero is probed and the database opened.
    runner ??= await createSyncRunner({ workflowPath: options.workflow, logger, jobLogger, batchLimits });
    // One request: a URL that is not a Primero API, or a refused password, stops here with nothing written.
    await probePrimero(settings.primero, logger);
    const database = await openConfiguredDatabase({ source, logger, env });
    const started = runner;
    return {
      database,
      runOptions: { workflowPath: options.workflow, settings, databaseUrl: database.handle.url, batchLimits, databasePoolMax, logger, jobLogger, runner: started },
      async close() {
        await started.close();
        await database.close();
      },
    };
  } catch (e) {
    await runner?.close();
    throw e;
  }
}
