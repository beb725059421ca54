import { Command } from 'commander';
import { createLogger } from '../../../log/logger.ts';
import { port } from '../../option-parsers.ts';

export const DEFAULT_DASHBOARD_PORT = 8090;

/** `primero-ona dashboard [--port P] [--host H]`: the indicator dashboard on its own, until Ctrl-C. */
export function dashboardCommand(): Command {
  return new Command('dashboard')
    .description('serve the bilingual indicator dashboard (aggregates only, small cells suppressed) until Ctrl-C')
    .option('--port <port>', `port (0 = any free port)`, port, DEFAULT_DASHBOARD_PORT)
    .option('--host <host>', 'address to bind; anything but loopback needs DASHBOARD_PASSWORD', '127.0.0.1')
    .option('-c, --credentials <path>', 'credentials file (database, dashboard.password, dashboard.smallCellThreshold)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: { port: number; host: string; credentials?: string }, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      // Loaded when the command runs: each command pulls in only its own dependencies.
      const { dashboardHandler } = await import('./handler.ts');
      await dashboardHandler(opts, createLogger({ level: verbose ? 'debug' : 'info' }));
    });
}

