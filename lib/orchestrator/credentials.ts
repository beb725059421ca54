import type { Settings } from '../config/settings.ts';
import type { CredentialMap } from '../runner/runner.ts';

/**
 * The credential map the workflow's steps name (workflow.json `configuration`):
 * `primero` for fetch, `ona` for upsert, `ona-inbox` for init and next-batch,
 * which also post to the inbox. Built in memory; never written anywhere.
 */
export interface InboxAccess {
  url: string;
  secret: string;
}

export function buildCredentialMap(settings: Settings, databaseUrl: string, inbox: InboxAccess): CredentialMap {
  const database = {
    connectionString: databaseUrl,
    ...(settings.database.ssl !== undefined ? { ssl: settings.database.ssl } : {}),
  };
  return {
    primero: { ...settings.primero },
    ona: database,
    'ona-inbox': { ...database, inboxUrl: inbox.url, inboxSecret: inbox.secret },
  };
}
