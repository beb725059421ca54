import { formatWithOptions } from 'node:util';
import type { Options } from '@openfn/runtime';
import type { Logger } from '../../log/logger.ts';

/** The logger type @openfn/runtime expects (OpenFn's logger, a Console superset). */
export type RuntimeLogger = NonNullable<Options['logger']>;

const format = (args: unknown[]): string => formatWithOptions({ depth: 4, breakLength: Infinity }, ...args);

/**
 * The runtime's own log lines (step started, adaptor resolved, error reports) go
 * to our logger at debug level: callers report progress and failures themselves
 * through events and results, so these are for --verbose. Warnings stay warnings.
 */
export function createEngineLogger(logger: Logger): RuntimeLogger {
  const timers = new Map<string, number>();
  const debug = (...args: unknown[]) => logger.debug(format(args));
  const bridge = {
    options: {},
    log: debug,
    info: debug,
    debug,
    success: debug,
    always: debug,
    print: debug,
    error: debug,
    warn: (...args: unknown[]) => logger.warn(format(args)),
    break: () => {},
    proxy: () => {},
    confirm: async () => false,
    // Runtime contract: first call starts a timer, second returns the elapsed time as text.
    timer: (name: string): string | undefined => {
      const started = timers.get(name);
      if (started === undefined) {
        timers.set(name, Date.now());
        return undefined;
      }
      timers.delete(name);
      return `${Date.now() - started}ms`;
    },
  };
  return bridge as unknown as RuntimeLogger;
}

/**
 * The `console` a job sees. Lines are prefixed with the running step's id
 * (`currentStep()`), and pass through our logger, which masks credentials.
 */
export function createJobLogger(logger: Logger, currentStep: () => string): RuntimeLogger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => logger.child(currentStep())[level](format(args));
  const bridge = {
    options: {},
    log: at('info'),
    info: at('info'),
    success: at('info'),
    always: at('info'),
    print: at('info'),
    dir: at('info'),
    table: at('info'),
    debug: at('debug'),
    trace: at('debug'),
    warn: at('warn'),
    error: at('error'),
    break: () => {},
    proxy: () => {},
    time: () => {},
    timeEnd: () => {},
    timer: () => undefined,
    confirm: async () => false,
  };
  return bridge as unknown as RuntimeLogger;
}
