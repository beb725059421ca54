import { Command } from 'commander';
import { createLogger } from '../../../log/logger.ts';

/** `primero-ona migrate`: applies pending schema migrations to DATABASE_URL or the embedded database. */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('apply pending database migrations (DATABASE_URL, or the embedded database by default); safe to run again')
    .option('-c, --credentials <path>', 'credentials file; only its "database" part is read (see sync --help)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: { credentials?: string }, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      // Loaded when the command runs: each command pulls in only its own dependencies.
      const { migrateHandler } = await import('./handler.ts');
      await migrateHandler({ credentials: opts.credentials }, createLogger(verbose ? { level: 'debug' } : {}));
    });
}
