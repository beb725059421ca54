import { Command } from 'commander';
import { packageVersion } from '../lib/cli/main.ts';
import { reportFailure } from '../lib/cli/report-failure.ts';
import { benchCommand } from './commands/bench/command.ts';
import { demoCommand } from './commands/demo/command.ts';
import { simCommand } from './commands/sim/command.ts';

/**
 * The development tools: `demo` (npm start), `sim` and `bench`. The launcher
 * (bin/primero-ona.mjs) routes these command names here, so the product CLI
 * (lib/cli/main.ts) never imports the simulator or the benchmark.
 */
export function buildDevProgram(): Command {
  const program = new Command('primero-ona')
    .description('Primero -> ONA indicator sync: development tools (the product commands: primero-ona --help)')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--verbose', 'print stack traces and debug logs')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(demoCommand());
  program.addCommand(simCommand());
  program.addCommand(benchCommand());
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const verbose = argv.includes('--verbose');
  if (verbose) process.setSourceMapsEnabled(true);
  try {
    await buildDevProgram().parseAsync(argv);
  } catch (e) {
    process.exitCode = reportFailure(e, verbose);
  }
}
