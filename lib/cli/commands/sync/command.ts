import { Command } from 'commander';
import { createLogger, type Logger } from '../../../log/logger.ts';
import { parsePageSize, parseSince } from './options.ts';

import { DEFAULT_WORKFLOW } from '../../../build/default-workflow.ts';

async function startRunner(workflowPath: string, logger: Logger, jobLogger: Logger) {
  const [{ createSyncRunner }, { loadBatchLimits }] = await Promise.all([import('../../../host/sync-runner.ts'), import('../../../config/batch-limits.ts')]);
  return createSyncRunner({ workflowPath, logger, jobLogger, batchLimits: loadBatchLimits(process.env) });
}

/** `primero-ona sync`: one complete sync run (or the rest of an unfinished one). */
export function syncCommand(): Command {
  return new Command('sync')
    .description('copy the Primero cases behind indicators 4.8 and 4.11a into the ONA database; exits 0 only when the run completed')
    .option('--since <iso>', 'start the window here (first run or backfill) instead of where the last completed run ended', parseSince)
    .option('--page-size <n>', 'cases per Primero page, 1 to 1000', parsePageSize, 1000)
    .option('--dry-run', 'read and map everything, write nothing to the ONA tables, report what would be written', false)
    .option('-c, --credentials <path>', 'credentials file: {"primero": {"url","user","password"}, "database": {"connectionString","ssl"}}')
    .option('-w, --workflow <path>', 'workflow.json to run', DEFAULT_WORKFLOW)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      const logger = createLogger({ level: verbose ? 'debug' : 'info' });
      const jobLogger = createLogger({ level: verbose ? 'debug' : 'warn' });
      // The workflow's worker first: it loads the runtime, the jobs and their adaptors while the rest loads.
      const runner = await startRunner(opts.workflow as string, logger, jobLogger);
      // Loaded when the command runs: each command pulls in only its own dependencies.
      const { syncHandler } = await import('./handler.ts').catch(async (e: unknown) => {
        await runner.close();
        throw e;
      });
      await syncHandler(
        {
          since: opts.since as string | undefined,
          pageSize: opts.pageSize as number,
          dryRun: Boolean(opts.dryRun),
          credentials: opts.credentials as string | undefined,
          workflow: opts.workflow as string,
          runner,
        },
        logger,
        jobLogger,
      );
    });
}
