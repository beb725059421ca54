import { CommanderError } from 'commander';
import { isUserError } from '../errors.ts';

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
