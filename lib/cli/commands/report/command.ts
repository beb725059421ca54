import { Command, InvalidArgumentError } from 'commander';
import { createLogger } from '../../../log/logger.ts';
import { reportHandler, type Language } from './handler.ts';

/** `primero-ona report [--lang en|km]`: prints the indicator views as tables. */
export function reportCommand(): Command {
  return new Command('report')
    .description('print indicators 4.8 and 4.11a (distinct children per quarter, province, district, sex, age band) as tables')
    .option('--lang <lang>', "labels in English ('en') or Khmer ('km')", parseLanguage, 'en')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: { lang: Language }, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals().verbose);
      await reportHandler({ lang: opts.lang }, createLogger(verbose ? { level: 'debug' } : {}));
    });
}

function parseLanguage(value: string): Language {
  if (value !== 'en' && value !== 'km') throw new InvalidArgumentError("expected 'en' or 'km'");
  return value;
}
