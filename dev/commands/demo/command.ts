import { Command } from 'commander';
import { createLogger } from '../../../lib/log/logger.ts';
import { oneOf, port, wholeNumber } from '../../../lib/cli/option-parsers.ts';

/** `primero-ona demo` (npm start): simulator + embedded database + full sync + report. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('run a full sync from the Primero simulator into an in-memory embedded PostgreSQL, then print the indicator report')
    .option('--cases <n>', 'generated cases', wholeNumber(1, 1_000_000), 3000)
    .option('--seed <seed>', 'generator seed', 'demo')
    .option('--lang <lang>', 'report language: en or km', oneOf('en', 'km'), 'en')
    .option('--dashboard [port]', 'then serve the dashboard on the demo data until Ctrl-C (default port 8090)', port)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      // Loaded when the command runs: each command pulls in only its own dependencies.
      const { demoHandler } = await import('./handler.ts');
      await demoHandler(
        { cases: opts.cases as number, seed: opts.seed as string, lang: opts.lang as 'en' | 'km', dashboardPort: opts.dashboard === true ? 8090 : (opts.dashboard as number | undefined) },
        createLogger({ level: verbose ? 'debug' : 'info' }),
        createLogger({ level: verbose ? 'debug' : 'warn' }),
      );
    });
}



