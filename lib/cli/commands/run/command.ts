import { Command } from 'commander';
import { createLogger } from '../../../log/logger.ts';
import { wholeNumber } from '../../option-parsers.ts';

/** `primero-ona run <workflow.json>`: run a workflow once, like `openfn <workflow.json>`. */
export function runCommand(): Command {
  return new Command('run')
    .description('run a workflow.json through the OpenFn runtime (like `openfn`), exiting non-zero if any step failed')
    .argument('<workflow>', 'workflow.json in the OpenFn CLI format')
    .option('-s, --state <path>', 'input state JSON (default {"data": {}, "configuration": {}})')
    .option('-o, --output <path>', 'where to write the final state (default: output.json next to the workflow)')
    .option('-O, --output-stdout', 'print the final state on stdout instead of writing a file')
    .option('-c, --credentials <path>', 'credential map JSON: {"<credential id>": {...configuration}}')
    .option('--cache-steps', "keep each step's output in .cli-cache/<workflow>/<step>.json next to the workflow (cleared first; holds case data); env OPENFN_ALWAYS_CACHE_STEPS")
    .option('--start <step>', "start at this step (without -s: on the upstream step's cached output)")
    .option('--end <step>', 'stop after this step')
    .option('--only <step>', 'run only this step')
    .option('-t, --timeout <ms>', 'per-step timeout in ms when the workflow sets none (default 300000); the whole run stops at BATCH_TIMEOUT_SECONDS (default 300)', wholeNumber(1, undefined, 'a whole number of milliseconds'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (workflowPath: string, opts: Record<string, unknown>, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      const logger = createLogger(verbose ? { level: 'debug' } : {});
      // Loaded when the command runs: each command pulls in only its own dependencies.
      const { runHandler } = await import('./handler.ts');
      await runHandler(
        {
          workflowPath,
          statePath: opts.state as string | undefined,
          outputPath: opts.output as string | undefined,
          outputStdout: opts.outputStdout as boolean | undefined,
          credentialsPath: opts.credentials as string | undefined,
          start: opts.start as string | undefined,
          end: opts.end as string | undefined,
          only: opts.only as string | undefined,
          timeoutMs: opts.timeout as number | undefined,
          cacheSteps: Boolean(opts.cacheSteps) || Boolean(process.env.OPENFN_ALWAYS_CACHE_STEPS),
        },
        logger,
      );
    });
}

