import type pg from 'pg';
import { loadDashboardSettings } from '../../../config/settings.ts';
import type { Logger } from '../../../log/logger.ts';
import { openIndicatorDatabase } from '../../../report/open.ts';
import { checkBinding, startDashboard, type Dashboard } from '../../../report/dashboard/server.ts';

export interface DashboardCommandOptions {
  port: number;
  host: string;
  credentials?: string | undefined;
}

/** `primero-ona dashboard`: serves the dashboard until SIGINT/SIGTERM, reading the database read-only. */
export async function dashboardHandler(options: DashboardCommandOptions, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const settings = await loadDashboardSettings(env, options.credentials);
  // Before anything opens: a refused binding is one line and nothing else.
  checkBinding(options.host, settings.password);
  const db = await openIndicatorDatabase({ credentials: options.credentials, logger, env });
  let dashboard: Dashboard | undefined;
  try {
    dashboard = await startDashboard({
      connect: () => db.connect({ readOnly: true }),
      host: options.host,
      port: options.port,
      password: settings.password,
      threshold: settings.smallCellThreshold,
      logger: logger.child('dashboard'),
    });
    logger.info(`reading ${db.description}`);
    process.stdout.write(`Dashboard: ${dashboard.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  } finally {
    await dashboard?.stop();
    await db.close();
  }
}

/**
 * The dashboard beside `serve`'s schedule. A port already taken does not stop
 * the sync service: it is logged and the service runs without a dashboard.
 */
export async function startServeDashboard(
  options: { host: string; port: number; credentials?: string | undefined; connect: () => Promise<pg.Client> },
  logger: Logger,
  env: NodeJS.ProcessEnv,
): Promise<Dashboard | null> {
  const settings = await loadDashboardSettings(env, options.credentials);
  checkBinding(options.host, settings.password);
  try {
    return await startDashboard({ host: options.host, port: options.port, connect: options.connect, password: settings.password, threshold: settings.smallCellThreshold, logger });
  } catch (e) {
    logger.warn(`no dashboard: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}
