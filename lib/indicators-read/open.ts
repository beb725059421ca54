import pg from 'pg';
import { describeDatabase, openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import type { Logger } from '../log/logger.ts';
import { UserError } from '../cli/user-error.ts';

/**
 * The one way `report` and `dashboard` open the database they read: the
 * configured one (or the embedded default), with the views in place (a fresh
 * database gets them, and empty tables, first).
 */
export async function openIndicatorDatabase(url: string | undefined, logger: Logger): Promise<DatabaseHandle> {
  const db = await openDatabase({ url });
  const client = new pg.Client({ connectionString: db.url });
  try {
    await client.connect();
    await migrate(client, { logger });
  } catch (e) {
    await db.close();
    const why = e instanceof Error ? e.message : String(e);
    throw new UserError(`could not open ${describeDatabase(db)}: ${why}`, 'check DATABASE_URL, or run `primero-ona migrate`');
  } finally {
    await client.end().catch(() => {});
  }
  return db;
}
