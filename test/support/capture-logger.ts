import { formatWithOptions } from 'node:util';
import { createLogger, type Logger } from '../../lib/log/logger.ts';

/** A real logger whose lines are kept in memory, so tests can read what was logged. */
export function captureLogger(level: 'debug' | 'info' = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level, write: (line) => lines.push(line) }), lines };
}

export const fixture = (...parts: string[]): string => ['test/fixtures/runner', ...parts].join('/');

/**
 * The process console's lines, kept in memory from now on: what an adaptor
 * prints (to the console, as the official ones do). console.warn's and
 * console.error's lines start with `WARN ` and `ERROR `.
 */
export function captureConsole(): string[] {
  const lines: string[] = [];
  const keep = (prefix: string) => (...args: unknown[]) => void lines.push(prefix + formatWithOptions({ depth: 4, breakLength: Infinity }, ...args));
  Object.assign(console, { log: keep(''), info: keep(''), debug: keep(''), warn: keep('WARN '), error: keep('ERROR ') });
  return lines;
}
