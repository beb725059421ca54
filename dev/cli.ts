import type { Command } from 'commander';
import { programFrame, runProgram } from '../lib/cli/main.ts';
import { benchCommand } from './commands/bench/command.ts';
import { demoCommand } from './commands/demo/command.ts';
import { simCommand } from './commands/sim/command.ts';

/**
 * The development tools: `demo` (npm start), `sim` and `bench`. The launcher
 * (bin/primero-ona.mjs) routes these command names here, so the product CLI
 * (lib/cli/main.ts) never imports the simulator or the benchmark.
 */
export function buildDevProgram(): Command {
  const program = programFrame('Primero -> ONA indicator sync: development tools (the product commands: primero-ona --help)');
  program.addCommand(demoCommand());
  program.addCommand(simCommand());
  program.addCommand(benchCommand());
  return program;
}

export const main = (argv: string[]): Promise<void> => runProgram(buildDevProgram(), argv);
