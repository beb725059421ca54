import { createLogger, type Logger } from '../../lib/log/logger.ts';

/** A real logger whose lines are kept in memory, so tests can read what was logged. */
export function captureLogger(level: 'debug' | 'info' = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level, write: (line) => lines.push(line) }), lines };
}

export const fixture = (...parts: string[]): string => ['test/fixtures/runner', ...parts].join('/');
