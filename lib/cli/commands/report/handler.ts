import { loadDatabaseSettings } from '../../../config/settings.ts';
import { openConfiguredDatabase } from '../../../db/connect.ts';
import type { Logger } from '../../../log/logger.ts';
import { hasCompletedSync, NO_COMPLETED_SYNC } from '../../../status/completed-sync.ts';
import { INDICATORS, latestQuarter, readIndicator } from './read-indicator.ts';
import { renderIndicator } from './render-table.ts';

export type Language = 'en' | 'km';

export interface ReportOptions {
  lang: Language;
  /** A database to read instead of DATABASE_URL / the embedded default (the demo's). */
  databaseUrl?: string | undefined;
  /** `latest` (default), `all`, or a quarter such as 2025-Q1. */
  quarter?: string | undefined;
  credentials?: string | undefined;
}

export async function reportHandler(
  options: ReportOptions,
  logger: Logger,
  write: (text: string) => void = (t) => process.stdout.write(t),
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  // Read-only: the same settings as sync (TLS included), no migrations, every transaction read-only.
  const source = options.databaseUrl
    ? { database: { connectionString: options.databaseUrl }, setting: 'DATABASE_URL' as const, sslSetting: 'database.ssl' as const }
    : await loadDatabaseSettings(env, options.credentials);
  const db = await openConfiguredDatabase({ source, logger, env });
  const client = await db.connect({ readOnly: true }).catch(async (e: unknown) => {
    await db.close();
    throw e;
  });
  try {
    if (!(await hasCompletedSync(client))) {
      write(`${NO_COMPLETED_SYNC}\n`);
      return;
    }
    const wanted = options.quarter ?? 'latest';
    const quarter = wanted === 'all' ? undefined : wanted === 'latest' ? ((await latestQuarter(client)) ?? undefined) : wanted;
    if (quarter) write(`${options.lang === 'km' ? 'ត្រីមាស' : 'Quarter'} ${quarter}\n\n`);
    for (const indicator of INDICATORS) {
      const rows = await readIndicator(client, indicator, quarter);
      write(`${renderIndicator(indicator, rows, options.lang)}\n\n`);
    }
  } finally {
    await client.end().catch(() => {});
    await db.close();
  }
}
