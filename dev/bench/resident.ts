import { DEFAULT_WORKFLOW } from '../../lib/build/default-workflow.ts';
import { prepareSync } from '../../lib/cli/commands/sync/prepare-sync.ts';
import { startInbox } from '../../lib/host/inbox/server.ts';
import { newSecret } from '../../lib/host/inbox/secret.ts';
import { probePrimero } from '../../lib/host/primero/probe.ts';
import { runSync } from '../../lib/host/run-sync.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import type { Simulator } from '../sim/server.ts';
import { changeCases } from './change-cases.ts';

/**
 * An incremental sync in a resident `serve`: the process, its inbox and its
 * worker thread (runtime, jobs and adaptors loaded) are already up, as they
 * are for every run after serve's first. Done as serve does it (probe
 * Primero, then one run through the kept inbox and runner), in this process,
 * once to warm up and once, after `fraction` of the cases changed, timed.
 */
export async function residentIncremental(sim: Simulator, primero: { url: string; user: string; password: string }, databaseUrl: string, pageSize: number, fraction: number): Promise<number> {
  const env = { PRIMERO_URL: primero.url, PRIMERO_USER: primero.user, PRIMERO_PASSWORD: primero.password, DATABASE_URL: databaseUrl };
  const prepared = await prepareSync({ workflow: DEFAULT_WORKFLOW }, silentLogger, silentLogger, env);
  const secret = newSecret();
  const inbox = await startInbox({ secret, logger: silentLogger });
  const quiet = { update: () => {}, stop: () => {} };
  const run = async () => {
    await probePrimero(prepared.runOptions.settings.primero, silentLogger);
    const summary = await runSync({ ...prepared.runOptions, pageSize, inbox: { inbox, secret }, progress: quiet, when: 'now' });
    if (!summary.runId) throw new Error(`resident sync: no run (${summary.skipped ?? 'unknown'})`);
  };
  try {
    await run();
    changeCases(sim, fraction);
    const started = performance.now();
    await run();
    return (performance.now() - started) / 1000;
  } finally {
    await inbox.stop();
    await prepared.close();
  }
}
