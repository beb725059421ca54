import type { Settings } from '../config/settings.ts';
import type { CredentialMap } from './runner/runner.ts';
import { officialDatabaseCredential } from '../db/official-credential.ts';
import { officialPrimeroCredential } from './primero/official-credential.ts';
import { DatabaseConfigError } from '../db/config.ts';
import { UserError } from '../errors.ts';

/**
 * The credential map the workflow's steps name (dist/workflow.json
 * `configuration`), in the official adaptors' keys, as an integration engineer
 * creates them on Lightning: `primero` (language-primero: url, user, password,
 * basicAuth, plus the job's retry budget), `ona` (language-postgresql: host,
 * port, database, user, password, ssl, ca…) and `ona-inbox` (the batch
 * webhook's URL and API key, for the two post steps). Built in memory; never
 * written anywhere.
 */
export interface InboxAccess {
  url: string;
  apiKey: string;
}

export function buildCredentialMap(settings: Settings, databaseUrl: string, inbox: InboxAccess): CredentialMap {
  const { timeoutMs, maxAttempts, maxRetryMs } = settings.primero;
  let ona: Record<string, unknown>;
  try {
    ona = { ...officialDatabaseCredential(databaseUrl, settings.database.ssl) };
  } catch (e) {
    if (e instanceof DatabaseConfigError) throw new UserError(e.message, 'check DATABASE_URL (postgres://user:password@host:port/database) and the TLS settings');
    throw e;
  }
  return {
    primero: {
      ...officialPrimeroCredential(settings.primero),
      // Read by the fetch job's retries (lib/core/primero-calls.ts); the official adaptor ignores them.
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
      ...(maxRetryMs !== undefined ? { maxRetryMs } : {}),
    },
    ona,
    'ona-inbox': { inboxUrl: inbox.url, inboxApiKey: inbox.apiKey },
  };
}
