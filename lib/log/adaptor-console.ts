import { formatWithOptions } from 'node:util';
import type { Logger } from './logger.ts';

/**
 * Adaptor packages are loaded as ordinary modules, so their `console` is the
 * process's: @openfn/language-common logs every HTTP request
 * (`POST http://127.0.0.1:…/inbox - 202 in 2ms`) straight to stdout, beside the
 * progress and the summary. While a sync runs, the process console goes
 * through the project's logger instead (masking credentials): its chatter at
 * debug level (seen with --verbose), warnings and errors as warnings.
 * Returns the function that puts the original console back.
 */
export function routeConsoleTo(logger: Logger): () => void {
  const format = (args: unknown[]) => formatWithOptions({ depth: 4, breakLength: Infinity }, ...args);
  const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn, error: console.error, trace: console.trace };
  const debug = (...args: unknown[]) => logger.debug(format(args));
  const warn = (...args: unknown[]) => logger.warn(format(args));
  Object.assign(console, { log: debug, info: debug, debug, trace: debug, warn, error: warn });
  return () => {
    Object.assign(console, saved);
  };
}
