/** Where the Primero stand-in's log lines go (the official's console.log lines); the host may route them. */
import { createLogger, type Logger } from '../../../lib/log/logger.ts';

let logger: Logger = createLogger({ name: 'primero' });

export function setAdaptorLogger(next: Logger): void {
  logger = next;
}

export function say(line: string): void {
  logger.info(line);
}
