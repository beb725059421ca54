import { Command, InvalidArgumentError } from 'commander';
import { createLogger } from '../../../log/logger.ts';
import type { Language } from './handler.ts';

/** `primero-ona report [--lang en|km]`: prints the indicator views as tables. */
export function reportCommand(): Command {
  return new Command('report')
    .description('print indicators 4.8 and 4.11a (distinct children per quarter, province, district, sex, age band) as tables')
    .option('--lang <lang>', "labels in English ('en') or Khmer ('km')", parseLanguage, 'en')
    .option('--quarter <quarter>', "'latest', 'all', or a quarter such as 2025-Q1", parseQuarter, 'latest')
    .option('-c, --credentials <path>', 'credentials file; only its "database" part is read (see sync --help)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: { lang: Language; quarter: string; credentials?: string }, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      // Loaded when the command runs: each command pulls in only its own dependencies.
      const { reportHandler } = await import('./handler.ts');
      await reportHandler({ lang: opts.lang, quarter: opts.quarter, credentials: opts.credentials }, createLogger(verbose ? { level: 'debug' } : {}));
    });
}

function parseQuarter(value: string): string {
  if (value === 'latest' || value === 'all' || /^\d{4}-Q[1-4]$/.test(value)) return value;
  throw new InvalidArgumentError("expected 'latest', 'all' or a quarter such as 2025-Q1");
}

function parseLanguage(value: string): Language {
  if (value !== 'en' && value !== 'km') throw new InvalidArgumentError("expected 'en' or 'km'");
  return value;
}
