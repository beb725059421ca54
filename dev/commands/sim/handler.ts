import type { Logger } from '../../../lib/log/logger.ts';
import { UserError } from '../../../lib/errors.ts';
import { startSimulator, type Simulator } from '../../sim/server.ts';

export interface SimArgs {
  cases: number;
  seed: string;
  port: number;
  user: string;
  password: string;
  auth: 'basic' | 'token';
  asOf?: string;
  /** Latency model (sim/server.ts): ms per answer plus ms per record served. */
  latencyMs: number;
  perRecordMs: number;
}

/** A value as one shell word: quoted when it holds anything but letters, digits and `-_.:/@`. */
const shellWord = (v: string): string => (/^[\w.:/@-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`);

/** Starts the simulator, prints its URL on stdout, and resolves once SIGINT/SIGTERM stopped it. */
export async function simHandler(args: SimArgs, logger: Logger): Promise<void> {
  if (args.asOf !== undefined && Number.isNaN(Date.parse(args.asOf))) {
    throw new UserError(`--as-of is not a date: ${args.asOf}`, 'use an ISO date such as 2026-01-01');
  }
  let sim: Simulator;
  try {
    const started = performance.now();
    sim = await startSimulator({
      cases: args.cases,
      seed: args.seed,
      port: args.port,
      user: args.user,
      password: args.password,
      auth: args.auth,
      latencyMs: args.latencyMs,
      perRecordMs: args.perRecordMs,
      ...(args.asOf === undefined ? {} : { asOf: args.asOf }),
    });
    logger.info(`generated ${args.cases} case(s) with seed ${args.seed} in ${Math.round(performance.now() - started)} ms; auth ${args.auth}; latency ${args.latencyMs} ms + ${args.perRecordMs} ms a record`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UserError(`port ${args.port} is already in use`, 'pick another --port, or 0 for any free port');
    }
    throw e;
  }
  // The URL first (scripts read that line), then the settings that reach it, credentials included:
  // a simulator's user and password are whatever this command was given.
  process.stdout.write(`${sim.url}\n`);
  process.stdout.write(`export PRIMERO_URL=${sim.url} PRIMERO_USER=${shellWord(args.user)} PRIMERO_PASSWORD=${shellWord(args.password)}${args.auth === 'token' ? ' PRIMERO_AUTH_MODE=token' : ''}\n`);
  logger.info('Primero simulator running; press Ctrl-C to stop');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void sim.stop().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  logger.info('Primero simulator stopped');
}
