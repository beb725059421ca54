import { describeDatabase, openDatabase } from '../../../db/database.ts';
import { migrate } from '../../../db/migrate.ts';
import type { Logger } from '../../../log/logger.ts';
import { UserError } from '../../user-error.ts';

export async function migrateHandler(logger: Logger, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<string[]> {
  const db = await openDatabase();
  try {
    let applied: string[];
    try {
      ({ applied } = await migrate(db.url, { logger }));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new UserError(`could not migrate ${describeDatabase(db)}: ${why}`, 'check DATABASE_URL and that the database is reachable');
    }
    write(
      applied.length
        ? `Applied ${applied.length} migration(s) to ${describeDatabase(db)}: ${applied.join(', ')}`
        : `${describeDatabase(db)} is up to date; nothing to apply.`,
    );
    return applied;
  } finally {
    await db.close();
  }
}
