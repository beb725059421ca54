import { Command, InvalidArgumentError } from 'commander';
import { createLogger } from '../../../log/logger.ts';
import { isQuarterChoice, type QuarterChoice } from '../../../report/quarter-choice.ts';
import type { Language } from './handler.ts';
import { oneOf } from '../../option-parsers.ts';

/** `primero-ona report`: a summary of indicators 4.8 and 4.11a, the full breakdown, CSV, or a one-file HTML report. */
export function reportCommand(): Command {
  return new Command('report')
    .description('summarise indicators 4.8 and 4.11a for a quarter against the one before (--detail: every cell; --format csv; --html FILE)')
    .option('--lang <lang>', "labels in English ('en') or Khmer ('km')", oneOf('en', 'km'), 'en')
    .option('--quarter <quarter>', "'latest-complete' (the last ended quarter, UTC+7), 'current', 'all', or a quarter such as 2025-Q1", parseQuarter, 'latest-complete')
    .option('--detail', 'every cell of the views: quarter, province, district, sex, age band (and source), exact counts')
    .option('--format <format>', "'text' (default) or 'csv' (the detailed breakdown for a spreadsheet, exact counts)", oneOf('text', 'csv'), 'text')
    .option('--html <file>', 'write the dashboard as one self-contained HTML file (data and scripts inline, small cells suppressed)')
    .option('-c, --credentials <path>', 'credentials file; its "database" and "dashboard" parts are read (see sync --help)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: { lang: Language; quarter: QuarterChoice; detail?: boolean; format: 'text' | 'csv'; html?: string; credentials?: string }, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      // Loaded when the command runs: each command pulls in only its own dependencies.
      const { reportHandler } = await import('./handler.ts');
      await reportHandler(
        { lang: opts.lang, quarter: opts.quarter, detail: opts.detail, format: opts.format, html: opts.html, credentials: opts.credentials },
        createLogger(verbose ? { level: 'debug' } : {}),
      );
    });
}

function parseQuarter(value: string): QuarterChoice {
  if (isQuarterChoice(value)) return value;
  throw new InvalidArgumentError("expected 'latest-complete', 'current', 'all' or a quarter such as 2025-Q1");
}


