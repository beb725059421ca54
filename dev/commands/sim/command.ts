import { Command } from 'commander';
import { oneOf, port, wholeNumber } from '../../../lib/cli/option-parsers.ts';
import { createLogger } from '../../../lib/log/logger.ts';
import { milliseconds, PLAUSIBLE_LATENCY } from './latency-options.ts';

/** `primero-ona sim`: a Primero v2 API simulator on loopback with generated cases, until stopped. */
export function simCommand(): Command {
  return new Command('sim')
    .description('start the Primero v2 API simulator with seeded Cambodia cases; prints its URL and the settings that reach it (user and password included), and runs until Ctrl-C')
    .option('--cases <n>', 'number of generated cases', wholeNumber(0, 1_000_000), 1000)
    .option('--seed <seed>', 'generator seed (same seed, same data)', '1')
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', port, 0)
    .option('--user <name>', 'user name the simulator accepts', 'primero')
    .option('--password <password>', 'password the simulator accepts', 'primero')
    .option('--auth <mode>', "'basic' (current Primero) or 'token' (legacy JWT login)", oneOf('basic', 'token'), 'basic')
    .option('--as-of <date>', "the data set's 'now' (ISO date; default: start of today, UTC)")
    .option('--latency-ms <ms>', 'fixed delay of every answer, ms (the default: a plausible Primero under load; 0 = instant)', milliseconds, PLAUSIBLE_LATENCY.latencyMs)
    .option('--per-record-ms <ms>', 'added delay per record served, ms', milliseconds, PLAUSIBLE_LATENCY.perRecordMs)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      const logger = createLogger(verbose ? { level: 'debug' } : {});
      // Loaded when the command runs: each command pulls in only its own dependencies.
      const { simHandler } = await import('./handler.ts');
      await simHandler(
        {
          cases: opts.cases as number,
          seed: opts.seed as string,
          port: opts.port as number,
          user: opts.user as string,
          password: opts.password as string,
          auth: opts.auth as 'basic' | 'token',
          asOf: opts.asOf as string | undefined,
          latencyMs: opts.latencyMs as number,
          perRecordMs: opts.perRecordMs as number,
        },
        logger,
      );
    });
}


