import pg from 'pg';
import { describeDatabase, openDatabase } from '../../../db/database.ts';
import { migrate } from '../../../db/migrate.ts';
import type { Logger } from '../../../log/logger.ts';
import { UserError } from '../../user-error.ts';
import { INDICATORS, readIndicator } from './read-indicator.ts';
import { renderIndicator } from './render-table.ts';

export type Language = 'en' | 'km';

export interface ReportOptions {
  lang: Language;
}

export async function reportHandler(options: ReportOptions, logger: Logger, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const db = await openDatabase();
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
    for (const indicator of INDICATORS) {
      const rows = await readIndicator(client, indicator);
      write(`${renderIndicator(indicator, rows, options.lang)}\n\n`);
    }
  } finally {
    await client.end().catch(() => {});
    await db.close();
  }
}
