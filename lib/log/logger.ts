/**
 * The project's logger: plain lines on stderr, levels, and a last line of defence
 * that masks anything that looks like a credential. Personal data must never be
 * handed to it in the first place: callers log ids and counts, never case fields.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger whose lines are prefixed with `[name]`. */
  child(name: string): Logger;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Masks `user:password@` in URLs, Basic/Bearer tokens and `password=`/`secret=` pairs. */
export function redactSecrets(line: string): string {
  return line
    .replace(/(\/\/[^/\s:@]+):[^@\s/]+@/g, '$1:***@')
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._-]+/g, '$1 ***')
    .replace(/\b(password|passwd|secret|token|api_key)(["']?\s*[=:]\s*["']?)[^\s"'&,}]+/gi, '$1$2***');
}

export interface LoggerOptions {
  level?: LogLevel;
  name?: string;
  write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? ((process.env.PRIMERO_ONA_LOG_LEVEL as LogLevel | undefined) ?? 'info');
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const prefix = options.name ? `[${options.name}] ` : '';
  const at = (l: LogLevel) => (message: string) => {
    if (order[l] < order[level]) return;
    const tag = l === 'info' ? '' : `${l.toUpperCase()} `;
    write(redactSecrets(`${tag}${prefix}${message}`));
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (name) => createLogger({ level, write, name: options.name ? `${options.name}:${name}` : name }),
  };
}

/** A logger that drops everything (tests, library defaults). */
export const silentLogger: Logger = createLogger({ level: 'silent' });
