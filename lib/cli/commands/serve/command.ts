import { Command } from 'commander';
import { createLogger } from '../../../log/logger.ts';
import { DEFAULT_WORKFLOW } from '../../../build/default-workflow.ts';
import { parsePageSize } from '../sync/options.ts';
import { port } from '../../option-parsers.ts';

/** `primero-ona serve`: the inbox plus the quarterly schedule declared in workflow.json. */
export function serveCommand(): Command {
  return new Command('serve')
    .description("stay up with the inbox and run the sync on workflow.json's cron trigger (UTC) until Ctrl-C")
    .option('-c, --credentials <path>', 'credentials file (see sync --help)')
    .option('--page-size <n>', 'cases per Primero page, 1 to 1000', parsePageSize, 1000)
    .option('--inbox-port <port>', 'inbox port on 127.0.0.1 (0 = any free port)', port, 0)
    .option('--health-port <port>', 'port of GET /healthz (the status as JSON; 0 = any free port); env HEALTH_PORT', port, process.env.HEALTH_PORT ? port(process.env.HEALTH_PORT) : 0)
    .option('--health-host <host>', 'address /healthz listens on; env HEALTH_HOST', process.env.HEALTH_HOST || '127.0.0.1')
    .option('--dashboard-port <port>', 'dashboard port (0 = any free port)', port, 8090)
    .option('--dashboard-host <host>', 'dashboard address; anything but loopback needs DASHBOARD_PASSWORD', '127.0.0.1')
    .option('-w, --workflow <path>', 'workflow.json to run', DEFAULT_WORKFLOW)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      // Loaded when the command runs: each command pulls in only its own dependencies.
      const { serveHandler } = await import('./handler.ts');
      await serveHandler(
        {
          workflow: opts.workflow as string,
          credentials: opts.credentials as string | undefined,
          pageSize: opts.pageSize as number,
          inboxPort: opts.inboxPort as number,
          healthPort: opts.healthPort as number,
          healthHost: opts.healthHost as string,
          dashboardPort: opts.dashboardPort as number,
          dashboardHost: opts.dashboardHost as string,
        },
        createLogger({ level: verbose ? 'debug' : 'info' }),
        createLogger({ level: verbose ? 'debug' : 'warn' }),
      );
    });
}

