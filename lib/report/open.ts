import { loadDatabaseSettings } from '../config/settings.ts';
import { openConfiguredDatabase, type OpenedDatabase } from '../db/connect.ts';
import type { Logger } from '../log/logger.ts';

/**
 * The one way `report` and `dashboard` open the database they read: the same
 * settings as sync (TLS included), or an explicit URL (the demo's); they then
 * read through `connect({ readOnly: true })` and never migrate, nor create an
 * embedded database that does not exist.
 */
export async function openIndicatorDatabase(options: { databaseUrl?: string | undefined; credentials?: string | undefined; logger: Logger; env?: NodeJS.ProcessEnv }): Promise<OpenedDatabase> {
  const env = options.env ?? process.env;
  const source = options.databaseUrl
    ? { database: { connectionString: options.databaseUrl }, setting: 'DATABASE_URL' as const, sslSetting: 'database.ssl' as const }
    : await loadDatabaseSettings(env, options.credentials);
  return openConfiguredDatabase({ source, logger: options.logger, env, existingOnly: true });
}
