import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from '../../../lib/db/database.ts';
import type { Logger } from '../../../lib/log/logger.ts';
import { startSimulator } from '../../sim/server.ts';
import { reportHandler, type Language } from '../../../lib/cli/commands/report/handler.ts';
import { syncHandler } from '../../../lib/cli/commands/sync/handler.ts';
import { DEFAULT_WORKFLOW } from '../../../lib/build/default-workflow.ts';

export interface DemoOptions {
  cases: number;
  seed: string;
  lang: Language;
  /** Keep serving the dashboard on the demo's data until Ctrl-C (this port; 0 = any). */
  dashboardPort?: number | undefined;
}

/** Where `npm start` leaves its HTML report (git-ignored). */
export const DEMO_REPORT = '.data/demo-report.html';

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
    await mkdir(path.dirname(path.resolve(DEMO_REPORT)), { recursive: true });
    await reportHandler({ lang: options.lang, databaseUrl: db.url, html: DEMO_REPORT }, logger);
    if (options.dashboardPort === undefined) {
      process.stdout.write('Live dashboard: `npm start -- --dashboard` serves this demo\'s data at http://127.0.0.1:8090/ until Ctrl-C; `npm run dashboard` serves the configured database.\n');
      return;
    }
    const { startDashboard } = await import('../../../lib/report/dashboard/server.ts');
    const { openIndicatorDatabase } = await import('../../../lib/report/open.ts');
    const reading = await openIndicatorDatabase({ databaseUrl: db.url, logger, env: {} });
    const dashboard = await startDashboard({
      connect: () => reading.connect({ readOnly: true }),
      port: options.dashboardPort,
      portOption: '--dashboard <port> (npm start -- --dashboard 8091)',
      threshold: 5,
      logger: logger.child('dashboard'),
    }).catch(async (e: unknown) => {
      await reading.close();
      throw e;
    });
    process.stdout.write(`Live dashboard: ${dashboard.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await dashboard.stop();
    await reading.close();
  } finally {
    await sim.stop();
    await db.close();
  }
}
