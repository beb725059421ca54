import { Command } from 'commander';
import { createLogger } from '../../../lib/log/logger.ts';
import { BenchCommandOptions } from './options.ts';
import { wholeNumber } from '../../../lib/cli/option-parsers.ts';
import { parsePageSize } from '../../../lib/cli/commands/sync/options.ts';
import { milliseconds, PLAUSIBLE_LATENCY } from '../sim/latency-options.ts';

/** `primero-ona bench`: full and incremental sync speed and memory against measured floors. */
export function benchCommand(): Command {
  return new Command('bench')
    .description('benchmark the sync against the simulator and a fresh database (DATABASE_URL, else embedded); the last line is JSON')
    .option('--cases <n>', 'generated cases', wholeNumber(1, 1_000_000), 100_000)
    .option('--page-size <n>', 'cases per Primero page (production: 1000)', parsePageSize, 1000)
    .option('--seed <seed>', 'generator seed', 'bench')
    .option('--latency-ms <ms>', 'latency runs: fixed delay of every Primero answer, ms (the default: a plausible Primero under load)', milliseconds, PLAUSIBLE_LATENCY.latencyMs)
    .option('--per-record-ms <ms>', 'latency runs: added delay per record served, ms', milliseconds, PLAUSIBLE_LATENCY.perRecordMs)
    .option('--no-latency', 'skip the latency runs (a full sync and the latency floor against the slowed simulator: minutes at 100000 cases)')
    .option('--no-embedded', 'skip the full sync on the embedded default (PGlite inside the sync process)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      const logger = createLogger({ level: verbose ? 'debug' : 'info' });
      // Loaded when the command runs: each command pulls in only its own dependencies.
      const { benchHandler } = await import('./handler.ts');
      await benchHandler(
        BenchCommandOptions.parse({
          cases: opts.cases,
          pageSize: opts.pageSize,
          seed: opts.seed,
          latencyMs: opts.latencyMs,
          perRecordMs: opts.perRecordMs,
          latency: opts.latency,
          embedded: opts.embedded,
        }),
        logger,
      );
    });
}
