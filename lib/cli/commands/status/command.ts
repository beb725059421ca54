import { Command } from 'commander';
import { createLogger } from '../../../log/logger.ts';
import { DEFAULT_WORKFLOW } from '../../../build/default-workflow.ts';
import { number, wholeNumber } from '../../option-parsers.ts';

/** `primero-ona status`: how the sync stands, for a person or (--json, exit status) a monitor. */
export function statusCommand(): Command {
  return new Command('status')
    .description('last runs from the ledger, the next scheduled run, rejects of the last run; exits 0 healthy, 1 failed or overdue, 2 database unreachable')
    .option('--json', 'print the status as JSON (for monitoring)', false)
    .option('--runs <n>', 'how many recent runs to show', wholeNumber(1, 100), 5)
    .option('--grace-hours <n>', "how long after its scheduled time the quarter's run may take before it is overdue", number(0, 24 * 90, 'a number of hours'), 24)
    .option('-c, --credentials <path>', 'credentials file; only its "database" part is read (see sync --help)')
    .option('-w, --workflow <path>', 'workflow.json whose cron trigger is the schedule', DEFAULT_WORKFLOW)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: { json: boolean; runs: number; graceHours: number; credentials?: string; workflow: string }, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      // Loaded when the command runs: each command pulls in only its own dependencies.
      const { statusHandler } = await import('./handler.ts');
      const status = await statusHandler(opts, createLogger({ level: verbose ? 'debug' : 'warn' }));
      process.exitCode = status.exitCode;
    });
}


