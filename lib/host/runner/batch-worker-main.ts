import { parentPort, workerData } from 'node:worker_threads';
import type { Logger, LogLevel } from '../../log/logger.ts';
import { routeConsoleTo } from '../../log/adaptor-console.ts';
import { isUserError } from '../../errors.ts';
import { createRunner } from './runner.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.ts';

/**
 * The worker thread side of an isolated runner (built into
 * dist/cli/batch-worker.js): the runner, set up once per worker and executed
 * once per message. The adaptors are imported here alone, and they log
 * through `console` as the official ones do: it is routed to the main
 * thread's logger.
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

/** Read by the PostgreSQL stand-in (adaptors/@openfn/language-postgresql/connection.ts) when it opens a pool. */
const POOL_MAX_ENV = 'PRIMERO_ONA_DATABASE_POOL_MAX';

const describe = (e: unknown) => ({ message: e instanceof Error ? e.message : String(e), hint: isUserError(e) ? e.hint : undefined, userError: isUserError(e) });

const logger = forwardingLogger();
routeConsoleTo(logger.child('adaptor'));

try {
  const runner = await createRunner({ workflowPath: setup.workflowPath, logger, timeoutMs: setup.timeoutMs, stateLimitMb: setup.stateLimitMb });
  // While the host still opens its database: the first run then finds everything loaded.
  await runner.warm();
  port.on('message', (message: ToWorker) => {
    const { id, input, start, end, only, credentials } = message;
    // This thread's environment: the stand-in reads it, a job cannot.
    if (message.databasePoolMax !== undefined) process.env[POOL_MAX_ENV] = String(message.databasePoolMax);
    runner
      .execute(input, {
        start,
        end,
        only,
        credentials,
        onEvent: (event) => post({ type: 'event', id, event }),
        ...(message.stepOutputs ? { onStepOutput: (stepId: string, state: Record<string, unknown>) => post({ type: 'step-output', id, stepId, state }) } : {}),
      })
      .then(
        (result) => post({ type: 'result', id, result }),
        (e: unknown) => post({ type: 'execute-error', id, ...describe(e) }),
      );
  });
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'setup-error', ...describe(e) });
}
