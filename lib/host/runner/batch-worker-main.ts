import { parentPort, workerData } from 'node:worker_threads';
import type { Logger, LogLevel } from '../../log/logger.ts';
import { routeConsoleTo } from '../../log/adaptor-console.ts';
import { ioTotals, type IoKind, type IoTotal } from '../../profile/io-timer.ts';
import { isUserError } from '../../errors.ts';
import { setLogger as setDatabaseLogger, setPoolSettings as setDatabasePoolSettings } from '../../../adaptors/postgres-host.ts';
import { setLogger as setPrimeroLogger } from '../../../adaptors/primero-host.ts';
import { createRunner } from './runner.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.ts';

/**
 * The worker thread side of an isolated runner: the same runner as in-process
 * (createRunner), set up once per worker and executed once per message. Its
 * adaptors' module state (the PostgreSQL stand-in's pools, the loggers) is this
 * thread's own, so it is set up here as the sync command sets it up in-process.
 */
const port = parentPort;
if (!port) throw new Error('batch-worker-main.ts runs only as a worker thread');
const setup = workerData as WorkerSetup;
const post = (message: FromWorker) => port.postMessage(message);

/** A logger whose lines are written by the main thread's logger (which filters levels and masks credentials). */
function forwardingLogger(names: string[] = []): Logger {
  const at = (level: Exclude<LogLevel, 'silent'>) => (message: string) => post({ type: 'log', level, names, message });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (name) => forwardingLogger([...names, name]) };
}

let seen = ioTotals();
/** I/O timed in this thread since the last message, for the main thread's profile. */
function ioSinceLast(): Record<IoKind, IoTotal> {
  const now = ioTotals();
  const delta = {
    primero: { ms: now.primero.ms - seen.primero.ms, calls: now.primero.calls - seen.primero.calls },
    database: { ms: now.database.ms - seen.database.ms, calls: now.database.calls - seen.database.calls },
  };
  seen = now;
  return delta;
}

const describe = (e: unknown) => ({ message: e instanceof Error ? e.message : String(e), hint: isUserError(e) ? e.hint : undefined, userError: isUserError(e) });

const logger = forwardingLogger();
setDatabaseLogger(logger.child('postgres'));
setPrimeroLogger(logger.child('primero'));
if (setup.databasePoolMax !== undefined) setDatabasePoolSettings({ max: setup.databasePoolMax });
routeConsoleTo(logger.child('adaptor'));

try {
  const runner = await createRunner({
    workflowPath: setup.workflowPath,
    logger,
    credentials: setup.credentials,
    adaptors: setup.adaptors,
    timeoutMs: setup.timeoutMs,
    stateLimitMb: setup.stateLimitMb,
  });
  port.on('message', (message: ToWorker) => {
    const { id, input, start, end, only } = message;
    runner
      .execute(input, { start, end, only, onEvent: (event) => post({ type: 'event', id, event, io: ioSinceLast() }) })
      .then(
        (result) => post({ type: 'result', id, result, io: ioSinceLast() }),
        (e: unknown) => post({ type: 'execute-error', id, ...describe(e) }),
      );
  });
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'setup-error', ...describe(e) });
}
