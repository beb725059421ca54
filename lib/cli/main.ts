import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { runCommand } from './commands/run/command.ts';
import { syncCommand } from './commands/sync/command.ts';
import { serveCommand } from './commands/serve/command.ts';
import { migrateCommand } from './commands/migrate/command.ts';
import { reportCommand } from './commands/report/command.ts';
import { buildCommand } from './commands/build/command.ts';
import { statusCommand } from './commands/status/command.ts';
import { dashboardCommand } from './commands/dashboard/command.ts';
import { reportFailure } from './report-failure.ts';
import { quietOnClosedPipe } from './closed-pipe.ts';

/** The version in package.json: what an operator quotes in a bug report. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** The development tools share the launcher but not this program (dev/cli.ts). */
export const DEV_TOOLS_HELP = `Development tools (dev/, their own entry):
  demo [options]  what \`npm start\` runs: simulator + embedded database + full sync + report
  sim [options]   the Primero v2 API simulator, until Ctrl-C
  bench [options] the benchmark (README, Performance)
Run primero-ona <tool> --help for their options.`;

/** The frame of a `primero-ona` program: this one, and the development tools' (dev/cli.ts). */
export function programFrame(description: string): Command {
  return new Command('primero-ona')
    .description(description)
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--verbose', 'print stack traces and debug logs')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

/**
 * The `primero-ona` program. Each command lives in its own folder under
 * commands/ (options, handler, small steps), as in OpenFn's CLI.
 */
export function buildProgram(): Command {
  const program = programFrame('Primero -> ONA indicator sync (UNICEF Cambodia indicators 4.8 and 4.11a)');
  program.addCommand(runCommand());
  program.addCommand(syncCommand());
  program.addCommand(serveCommand());
  program.addCommand(migrateCommand());
  program.addCommand(reportCommand());
  program.addCommand(statusCommand());
  program.addCommand(buildCommand());
  program.addCommand(dashboardCommand());
  program.addHelpText('after', `\n${DEV_TOOLS_HELP}`);
  return program;
}

/** Runs a program on argv; a failure is one line (and a hint), and the exit code. */
export async function runProgram(program: Command, argv: string[]): Promise<void> {
  quietOnClosedPipe(process.stdout, process.stderr);
  const verbose = argv.includes('--verbose');
  // Stack traces name the TypeScript sources (dist/cli/*.js.map) when they are printed.
  if (verbose) process.setSourceMapsEnabled(true);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    process.exitCode = reportFailure(e, verbose);
  }
}

export const main = (argv: string[]): Promise<void> => runProgram(buildProgram(), argv);
