/**
 * The database credential in the keys @openfn/language-postgresql 8.1.2 reads
 * (`host, port, database, user, password, ssl, allowSelfSignedCert, ca, key,
 * cert`; it has no connectionString), built from the project's settings: a
 * connection URL and the optional `ssl` setting (its PEM files read here, as
 * the official passes ca/key/cert to pg as PEM text). Pure but for reading
 * those files.
 */
import { resolveDatabaseConfig, DatabaseConfigError } from './config.ts';

export interface OfficialDatabaseCredential {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  ssl: boolean;
  allowSelfSignedCert?: boolean;
  ca?: string;
  key?: string;
  cert?: string;
}

export type SslSetting = boolean | { rejectUnauthorized?: boolean; ca?: string; cert?: string; key?: string };

/** TLS as pg reads `sslmode` from a URL: disable -> none; no-verify -> unverified; anything else -> verified. */
function sslFromUrl(mode: string | null): { ssl: boolean; allowSelfSignedCert?: boolean } {
  if (mode === null || mode === 'disable') return { ssl: false };
  if (mode === 'no-verify') return { ssl: true, allowSelfSignedCert: true };
  return { ssl: true };
}

export function officialDatabaseCredential(url: string, ssl?: SslSetting): OfficialDatabaseCredential {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DatabaseConfigError('invalid database configuration: the connection string is not a URL');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new DatabaseConfigError(`invalid database configuration: expected a postgres:// URL, got ${u.protocol}`);
  }
  const user = decodeURIComponent(u.username);
  const credential: OfficialDatabaseCredential = {
    host: u.searchParams.get('host') ?? decodeURIComponent(u.hostname),
    port: u.port ? Number(u.port) : 5432,
    database: decodeURIComponent(u.pathname.slice(1)) || user,
    user,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...sslFromUrl(u.searchParams.get('sslmode')),
  };
  if (ssl === undefined) return credential;
  // The settings' ssl wins over sslmode; resolveDatabaseConfig reads PEM files and validates.
  const tls = resolveDatabaseConfig({ host: credential.host, ssl }).pool.ssl;
  if (!tls) return { ...credential, ssl: false, allowSelfSignedCert: undefined };
  const o = tls === true ? {} : tls;
  return {
    ...credential,
    ssl: true,
    allowSelfSignedCert: o.rejectUnauthorized === false,
    ...(typeof o.ca === 'string' ? { ca: o.ca } : {}),
    ...(typeof o.key === 'string' ? { key: o.key } : {}),
    ...(typeof o.cert === 'string' ? { cert: o.cert } : {}),
  };
}
