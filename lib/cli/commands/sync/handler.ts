import { migrateOpened } from '../../../db/connect.ts';
import { prepareSync } from './prepare-sync.ts';
import type { Logger } from '../../../log/logger.ts';
import { runSync, type SyncSummary } from '../../../host/run-sync.ts';
import { profileRequested, writeProfile } from '../../../profile/sync-profile.ts';
import { formatSummary } from './summary.ts';
import type { SyncCommandOptions } from './options.ts';
import { interruptedError, watchInterrupt } from './interrupt.ts';

/**
 * `primero-ona sync`, step by step: read settings, open the database, apply
 * pending migrations, run the sync until its run completes, print a summary.
 * Ctrl-C stops it after the batch under way and says how it resumes.
 */
export async function syncHandler(
  options: SyncCommandOptions,
  logger: Logger,
  jobLogger: Logger = logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SyncSummary> {
  const interrupt = watchInterrupt();
  // PRIMERO_ONA_PROFILE=<file>: phases, step timings and peak memory for the benchmark.
  const profile = profileRequested(env);
  profile?.recorder.mark('command');
  try {
    const prepared = await prepareSync(options, logger, jobLogger, env);
    profile?.recorder.mark('prepared');
    const { database } = prepared;
    try {
      logger.info(`database: ${database.description}`);
      await migrateOpened(database, logger);
      profile?.recorder.mark('migrated');
      if (interrupt.signal.aborted) throw interruptedError(interrupt, 'before a run started; nothing was written', 'run primero-ona sync again');
      const summary = await runSync({
        ...prepared.runOptions,
        since: options.since,
        pageSize: options.pageSize,
        dryRun: options.dryRun,
        onStepEvent: profile?.recorder.onEvent,
        stopAfterBatch: interrupt.signal,
      });
      if (summary.stopped) {
        const batches = `${summary.batches} batch${summary.batches === 1 ? '' : 'es'}`;
        if (summary.dryRun) throw interruptedError(interrupt, `dry run stopped after ${batches}; nothing was written`, 'run it again to see the whole run');
        throw interruptedError(interrupt, `run ${summary.runId} stopped after ${batches} of this sync, each committed`);
      }
      profile?.recorder.mark('synced');
      if (profile) await writeProfile(profile.path, profile.recorder);
      process.stdout.write(formatSummary(summary));
      return summary;
    } finally {
      await prepared.close();
    }
  } finally {
    interrupt.dispose();
  }
}
