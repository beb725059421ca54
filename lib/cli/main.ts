import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isUserError } from '../errors.ts';
import { runCommand } from './commands/run/command.ts';
import { simCommand } from './commands/sim/command.ts';
import { syncCommand } from './commands/sync/command.ts';
import { serveCommand } from './commands/serve/command.ts';
import { demoCommand } from './commands/demo/command.ts';
import { migrateCommand } from './commands/migrate/command.ts';
import { reportCommand } from './commands/report/command.ts';
import { benchCommand } from './commands/bench/command.ts';
import { buildCommand } from './commands/build/command.ts';
import { statusCommand } from './commands/status/command.ts';
import { quietOnClosedPipe } from './closed-pipe.ts';

/** The version in package.json: what an operator quotes in a bug report. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}
import { dashboardCommand } from './commands/dashboard/command.ts';

/**
 * The `primero-ona` program. Each command lives in its own folder under
 * commands/ (options, handler, small steps), as in OpenFn's CLI.
 */
export function buildProgram(): Command {
  const program = new Command('primero-ona')
    .description('Primero -> ONA indicator sync (UNICEF Cambodia indicators 4.8 and 4.11a)')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--verbose', 'print stack traces and debug logs')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(runCommand());
  program.addCommand(simCommand());
  program.addCommand(syncCommand());
  program.addCommand(serveCommand());
  program.addCommand(demoCommand());
  program.addCommand(migrateCommand());
  program.addCommand(reportCommand());
  program.addCommand(statusCommand());
  program.addCommand(benchCommand());
  program.addCommand(buildCommand());
  program.addCommand(dashboardCommand());
  return program;
}

export async function main(argv: string[]): Promise<void> {
  quietOnClosedPipe(process.stdout, process.stderr);
  const program = buildProgram();
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv);
  } catch (e) {
    process.exitCode = reportFailure(e, verbose);
  }
}

/** Prints one readable line (and a hint) for a failure and returns the exit code. */
export function reportFailure(e: unknown, verbose: boolean): number {
  if (e instanceof CommanderError) {
    // commander already printed usage errors; --help and --version exit 0.
    return e.exitCode;
  }
  if (isUserError(e)) {
    process.stderr.write(`primero-ona: ${e.message}\n`);
    if (e.hint) process.stderr.write(`  ${e.hint}\n`);
    if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`primero-ona: unexpected error: ${message.split('\n')[0]}\n`);
  if (verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write('  run again with --verbose for details\n');
  return 1;
}
