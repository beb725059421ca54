import { loadDatabaseSettings } from '../../../config/settings.ts';
import { openConfiguredDatabase } from '../../../db/connect.ts';
import { migrate } from '../../../db/migrate.ts';
import type { Logger } from '../../../log/logger.ts';
import { UserError } from '../../../errors.ts';

export interface MigrateCommandOptions {
  credentials?: string | undefined;
}

/** `primero-ona migrate`, step by step: read the database settings, open the database (TLS as configured), apply what is pending. */
export async function migrateHandler(
  options: MigrateCommandOptions,
  logger: Logger,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  const source = await loadDatabaseSettings(env, options.credentials);
  const db = await openConfiguredDatabase({ source, logger, env });
  try {
    const client = await db.connect();
    let applied: string[];
    try {
      // One line for what was applied, below; each migration's own line only with --verbose.
      ({ applied } = await migrate(client, { logger: { ...logger, info: (m) => logger.debug(m) } }));
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw new UserError(`could not migrate ${db.description}: ${why}`, 'fix the cause and run migrate again; each migration is applied whole or not at all');
    } finally {
      await client.end().catch(() => {});
    }
    write(
      applied.length
        ? `Applied ${applied.length} migration(s) to ${db.description}: ${applied.join(', ')}`
        : `${db.description} is up to date; nothing to apply.`,
    );
    return applied;
  } finally {
    await db.close();
  }
}
