import { openDatabase } from '../../../db/database.ts';
import type { Logger } from '../../../log/logger.ts';
import { startSimulator } from '../../../../sim/server.ts';
import { reportHandler, type Language } from '../report/handler.ts';
import { syncHandler } from '../sync/handler.ts';
import { DEFAULT_WORKFLOW } from '../../../build/default-workflow.ts';

export interface DemoOptions {
  cases: number;
  seed: string;
  lang: Language;
}

/**
 * `npm start`: the whole thing on a machine with nothing but Node — the Primero
 * simulator with generated cases, an embedded PostgreSQL in memory, migrations,
 * a full sync through the real runtime and inbox, then the indicator report.
 */
export async function demoHandler(options: DemoOptions, logger: Logger, jobLogger: Logger): Promise<void> {
  const sim = await startSimulator({ cases: options.cases, seed: options.seed });
  // In memory: the demo never touches a database the user configured.
  const db = await openDatabase({ env: {}, dataDir: 'memory://' });
  try {
    logger.info(`Primero simulator at ${sim.url} with ${options.cases} generated cases`);
    logger.info(`embedded PostgreSQL (PGlite, in memory) served at 127.0.0.1:${new URL(db.url).port}`);
    await syncHandler({ pageSize: 500, dryRun: false, workflow: DEFAULT_WORKFLOW }, logger, jobLogger, {
      PRIMERO_URL: sim.url,
      PRIMERO_USER: sim.options.user,
      PRIMERO_PASSWORD: sim.options.password,
      DATABASE_URL: db.url,
    });
    process.stdout.write('\n');
    await reportHandler({ lang: options.lang, databaseUrl: db.url }, logger);
  } finally {
    await sim.stop();
    await db.close();
  }
}
