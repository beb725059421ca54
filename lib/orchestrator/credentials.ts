import { readFileSync } from 'node:fs';
import type { Settings } from '../config/settings.ts';
import type { CredentialMap } from '../runner/runner.ts';
import { UserError } from '../cli/user-error.ts';

/**
 * The credential map the workflow's steps name (dist/workflow.json
 * `configuration`), in the official adaptors' keys, as an integration engineer
 * creates them on Lightning: `primero` (language-primero: url, user, password,
 * basicAuth), `ona` (language-postgresql: host, port, database, user,
 * password, ssl, ca) and `ona-inbox` (the batch webhook's URL and API key, for
 * the http steps). Built in memory; never written anywhere.
 */
export interface InboxAccess {
  url: string;
  apiKey: string;
}

/** DATABASE_URL and the TLS settings as the official postgresql adaptor's configuration. */
export function databaseCredential(databaseUrl: string, ssl: Settings['database']['ssl']): Record<string, unknown> {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new UserError('DATABASE_URL is not a valid URL', 'expected postgres://user:password@host:port/database');
  }
  const sslMode = url.searchParams.get('sslmode');
  const tls = typeof ssl === 'object' ? ssl : {};
  const wantsTls = ssl === true || typeof ssl === 'object' || (sslMode !== null && sslMode !== 'disable');
  const credential: Record<string, unknown> = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password),
    ssl: wantsTls,
  };
  if (wantsTls) {
    if (tls.rejectUnauthorized === false || sslMode === 'require' || sslMode === 'prefer') credential.allowSelfSignedCert = true;
    for (const key of ['ca', 'cert', 'key'] as const) {
      const value = tls[key];
      if (value) credential[key] = pemText(value, key);
    }
  }
  return credential;
}

/** A PEM given as text or as a file path: the official adaptor takes the text. */
function pemText(value: string, what: string): string {
  if (value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch {
    throw new UserError(`the database TLS ${what} file cannot be read: ${value}`, 'set DATABASE_SSL_CA (or database.ssl.ca) to a readable PEM file');
  }
}

export function buildCredentialMap(settings: Settings, databaseUrl: string, inbox: InboxAccess): CredentialMap {
  const { authMode, readAhead, ...primero } = settings.primero;
  return {
    // basicAuth: a current Primero has no token login (openfn-deployability.md §2).
    primero: { ...primero, basicAuth: authMode !== 'token', ...(readAhead !== undefined ? { readAhead } : {}) },
    ona: databaseCredential(databaseUrl, settings.database.ssl),
    'ona-inbox': { inboxUrl: inbox.url, inboxApiKey: inbox.apiKey },
  };
}
