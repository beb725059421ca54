import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../log/logger.ts';
import { UserError } from '../../errors.ts';
import { PROJECT_ROOT } from '../../build/default-workflow.ts';
import type { CredentialMap } from './apply-credentials.ts';
import type { ExecuteResult } from './execute-plan.ts';
import type { ExecuteOptions, RunnerOptions } from './runner.ts';
import type { State } from './types.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.ts';

/**
 * The runner: each workflow run in a worker thread with a heap limit and a
 * wall-clock limit, as OpenFn's engine runs each run. The thread alone loads
 * @openfn/runtime, the jobs and the adaptors, and only it needs
 * `--experimental-vm-modules` (vm.SourceTextModule), given to it as its own
 * flag: no command starts a second process for it. The runtime's own step
 * timeout gives up on a step but leaves it running, and a step that grows
 * without bound would take the whole process down. Here a run past its time
 * is stopped (`terminate()` ends the thread, its timers and its sockets: an
 * open transaction's connection closes and the server rolls it back), and a
 * run out of memory ends its thread only. Either is that run's failure, a
 * BatchLimitError; the next execution gets a fresh worker.
 *
 * The first worker starts at once and, while its host still opens the
 * database, imports the runtime and every adaptor the workflow names and
 * instantiates its jobs, so the first run does not wait for them. A worker
 * whose run ended cleanly is kept for the next one: that start-up is paid
 * once per process (`serve` keeps one for all its runs), not per batch.
 */
export interface BatchLimits {
  /** The worker's old-generation heap (MB): `resourceLimits.maxOldGenerationSizeMb`. */
  memoryMb: number;
  /** The longest one workflow run may take (seconds); a new worker's start-up has its own limit. */
  timeoutSeconds: number;
}

export interface IsolatedRunnerOptions extends RunnerOptions {
  limits: BatchLimits;
}

export interface IsolatedExecuteOptions extends ExecuteOptions {
  /** Credential id -> configuration for the steps that name one (never logged, never in state). */
  credentials?: CredentialMap | undefined;
  /**
   * Connections the PostgreSQL stand-in may pool per configuration (the
   * embedded database takes one): set in the worker's environment before the
   * run, where no job can read it.
   */
  databasePoolMax?: number | undefined;
}

export interface IsolatedRunner {
  execute(input?: State, options?: IsolatedExecuteOptions): Promise<ExecuteResult>;
  /** Ends the worker (its pooled connections with it). */
  close(): Promise<void>;
}

/** A workflow run stopped at its time limit or out of its memory: the run's failure, not worth an immediate retry. */
export class BatchLimitError extends Error {
  override readonly name = 'BatchLimitError';
  constructor(
    message: string,
    readonly limit: 'time' | 'memory' | 'crash',
  ) {
    super(message);
  }
}

/** batch-worker-main.ts as `npm run build` bundles it (lib/build/bundle-cli.ts). */
export const WORKER_ENTRY = path.join(PROJECT_ROOT, 'dist', 'cli', 'batch-worker.js');
const YOUNG_GENERATION_MB = 24;
const STARTUP_TIMEOUT_MS = 120_000;

interface Pending {
  id: number;
  options: IsolatedExecuteOptions;
  resolve: (result: ExecuteResult) => void;
  reject: (e: Error) => void;
  /** The step under way, for the one line that says where the run stopped. */
  step: string | null;
  /** Step outputs handed on so far, in order. */
  outputs: Promise<void>;
}

interface Live {
  worker: Worker;
  ready: Promise<void>;
  pending: Pending | null;
  /** Set once the worker is stopped or has died: it is not reused. */
  dead: boolean;
}

export async function createIsolatedRunner(options: IsolatedRunnerOptions): Promise<IsolatedRunner> {
  const { limits } = options;
  const setup: WorkerSetup = { workflowPath: options.workflowPath, timeoutMs: options.timeoutMs, stateLimitMb: options.stateLimitMb };
  const loggers = new Map<string, Logger>();
  const loggerFor = (names: string[]): Logger => {
    const key = names.join('\0');
    let l = loggers.get(key);
    if (!l) {
      l = names.reduce((parent, name) => parent.child(name), options.logger);
      loggers.set(key, l);
    }
    return l;
  };
  let nextId = 0;

  function spawn(): Live {
    const worker = new Worker(WORKER_ENTRY, {
      workerData: setup,
      execArgv: ['--experimental-vm-modules', '--no-warnings'],
      // The young generation as the sync's own --max-semi-space-size=8: V8 makes it 3 semi-spaces.
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    // Idle (warming, or between runs): a kept worker must not keep the process alive on its own.
    worker.unref();
    let settleReady: { resolve: () => void; reject: (e: Error) => void } = { resolve: () => {}, reject: () => {} };
    const ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
    ready.catch(() => {}); // observed by execute
    const self: Live = { worker, ready, pending: null, dead: false };

    const fail = (e: Error) => {
      self.dead = true;
      settleReady.reject(e);
      const p = self.pending;
      self.pending = null;
      p?.reject(e);
    };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'log') {
        loggerFor(m.names)[m.level](m.message);
        return;
      }
      if (m.type === 'ready') return settleReady.resolve();
      if (m.type === 'setup-error') return fail(m.userError ? new UserError(m.message, m.hint) : new Error(m.message));
      const p = self.pending;
      if (!p || p.id !== m.id) return;
      if (m.type === 'event') {
        if (m.event.type === 'step-start') p.step = m.event.stepId;
        void Promise.resolve(p.options.onEvent?.(m.event)).catch((e: unknown) => options.logger.warn(`step event: ${e instanceof Error ? e.message : String(e)}`));
      } else if (m.type === 'step-output') {
        p.outputs = p.outputs.then(() => p.options.onStepOutput?.(m.stepId, m.state));
      } else if (m.type === 'result') {
        self.pending = null;
        // Step outputs written (run --cache-steps) before the run is reported done.
        p.outputs.then(() => p.resolve(m.result), p.reject);
      } else {
        self.pending = null;
        p.reject(m.userError ? new UserError(m.message, m.hint) : new Error(m.message));
      }
    });
    worker.on('error', (e: Error & { code?: string }) => {
      const where = self.pending?.step ? ` in step "${self.pending.step}"` : '';
      fail(
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new BatchLimitError(`ran out of its ${limits.memoryMb} MB memory limit${where} (BATCH_MEMORY_MB)`, 'memory')
          : new BatchLimitError(`stopped${where}: ${e.message.split('\n')[0]}`, 'crash'),
      );
    });
    worker.on('exit', (code) => {
      const where = self.pending?.step ? ` in step "${self.pending.step}"` : '';
      fail(new BatchLimitError(`stopped${where}: its worker thread exited (code ${code})`, 'crash'));
    });
    return self;
  }

  /** Rejects with a BatchLimitError after `ms`, terminating the worker; `cancel` when the work ended first. */
  function limit(current: Live, ms: number, why: () => string): { expired: Promise<never>; cancel: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const message = why();
        current.dead = true;
        // Ends the thread at once: its timers, its sockets (an uncommitted transaction is rolled back by the server).
        void current.worker.terminate();
        reject(new BatchLimitError(message, 'time'));
      }, ms);
    });
    expired.catch(() => {});
    return { expired, cancel: () => clearTimeout(timer) };
  }

  // Started now: it warms up while the caller gets on with its own start-up.
  let live: Live | null = spawn();

  async function execute(input: State = { data: {}, configuration: {} }, selection: IsolatedExecuteOptions = {}): Promise<ExecuteResult> {
    if (!live || live.dead) live = spawn();
    const current = live;
    const id = ++nextId;
    current.worker.ref();
    try {
      // A new worker's start-up (the runtime, the jobs, the adaptors: under a second, more on a busy
      // machine) is not the run's time; it has its own, generous, limit.
      const startup = limit(current, STARTUP_TIMEOUT_MS, () => `stopped: its worker thread did not start within ${STARTUP_TIMEOUT_MS / 1000} s`);
      try {
        await Promise.race([current.ready, startup.expired]);
      } finally {
        startup.cancel();
      }
      const run = new Promise<ExecuteResult>((resolve, reject) => {
        if (current.dead) return reject(new BatchLimitError('stopped: its worker thread ended before the run began', 'crash'));
        current.pending = { id, options: selection, resolve, reject, step: null, outputs: Promise.resolve() };
        const { start, end, only, databasePoolMax } = selection;
        const credentials = selection.credentials ?? options.credentials;
        const message: ToWorker = { type: 'execute', id, input, start, end, only, credentials, databasePoolMax, stepOutputs: selection.onStepOutput !== undefined };
        current.worker.postMessage(message);
      });
      run.catch(() => {});
      const timeout = limit(current, limits.timeoutSeconds * 1000, () => {
        const where = current.pending?.step ? ` in step "${current.pending.step}"` : '';
        return `stopped after ${limits.timeoutSeconds} s${where} (BATCH_TIMEOUT_SECONDS)`;
      });
      try {
        return await Promise.race([run, timeout.expired]);
      } finally {
        timeout.cancel();
      }
    } finally {
      if (!current.dead) current.worker.unref();
    }
  }

  return {
    execute,
    async close() {
      const l = live;
      live = null;
      if (!l) return;
      l.dead = true;
      await l.worker.terminate();
    },
  };
}
