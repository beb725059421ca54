import { Command, InvalidArgumentError } from 'commander';
import { createLogger } from '../../../log/logger.ts';

/** `primero-ona demo` (npm start): simulator + embedded database + full sync + report. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('run a full sync from the Primero simulator into an in-memory embedded PostgreSQL, then print the indicator report')
    .option('--cases <n>', 'generated cases', parseCount, 3000)
    .option('--seed <seed>', 'generator seed', 'demo')
    .option('--lang <lang>', 'report language: en or km', parseLang, 'en')
    .option('--dashboard [port]', 'then serve the dashboard on the demo data until Ctrl-C (default port 8090)', parsePort)
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

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new InvalidArgumentError('expected a whole number from 1 to 1000000');
  return n;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

function parseLang(value: string): 'en' | 'km' {
  if (value !== 'en' && value !== 'km') throw new InvalidArgumentError('expected en or km');
  return value;
}
