import pg from 'pg';
import { describeDatabase, openDatabase } from '../../../db/database.ts';
import { migrate } from '../../../db/migrate.ts';
import type { Logger } from '../../../log/logger.ts';
import { UserError } from '../../user-error.ts';
import { INDICATORS, latestQuarter, readIndicator } from './read-indicator.ts';
import { renderIndicator } from './render-table.ts';

export type Language = 'en' | 'km';

export interface ReportOptions {
  lang: Language;
  /** A database to read instead of DATABASE_URL / the embedded default (the demo's). */
  databaseUrl?: string | undefined;
  /** `latest` (default), `all`, or a quarter such as 2025-Q1. */
  quarter?: string | undefined;
}

export async function reportHandler(options: ReportOptions, logger: Logger, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const db = await openDatabase({ url: options.databaseUrl });
  const client = new pg.Client({ connectionString: db.url });
  try {
    try {
      await client.connect();
      // The views are part of the schema: a fresh database gets them (and empty tables) first.
      await migrate(client, { logger });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new UserError(`could not open ${describeDatabase(db)}: ${why}`, 'check DATABASE_URL, or run `primero-ona migrate`');
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
