import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { officialDatabaseCredential } from '../../lib/db/official-credential.ts';
import { officialPrimeroCredential } from '../../lib/host/primero/official-credential.ts';

describe('officialDatabaseCredential (the keys language-postgresql 8.1.2 reads)', () => {
  it('splits a URL into host, port, database, user, password; sslmode disable or absent means no TLS', () => {
    expect(officialDatabaseCredential('postgres://ona%40x:p%3Ass@db.example.org:6543/ona?sslmode=disable')).toEqual({
      host: 'db.example.org', port: 6543, database: 'ona', user: 'ona@x', password: 'p:ss', ssl: false,
    });
    expect(officialDatabaseCredential('postgresql://postgres@127.0.0.1/')).toEqual({ host: '127.0.0.1', port: 5432, database: 'postgres', user: 'postgres', ssl: false });
  });

  it('maps sslmode and the ssl setting to ssl/allowSelfSignedCert/ca/key/cert, reading PEM files', () => {
    expect(officialDatabaseCredential('postgres://u@h/d?sslmode=require')).toMatchObject({ ssl: true });
    expect(officialDatabaseCredential('postgres://u@h/d?sslmode=no-verify')).toMatchObject({ ssl: true, allowSelfSignedCert: true });
    const dir = mkdtempSync(path.join(tmpdir(), 'cred-'));
    const ca = path.join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n');
    expect(officialDatabaseCredential('postgres://u@h/d', { rejectUnauthorized: false, ca })).toMatchObject({
      ssl: true, allowSelfSignedCert: true, ca: '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n',
    });
    expect(officialDatabaseCredential('postgres://u@h/d?sslmode=require', false)).toMatchObject({ ssl: false });
  });

  it('refuses what is not a postgres URL, without echoing it', () => {
    expect(() => officialDatabaseCredential('mysql://u:secret@h/d')).toThrow(/expected a postgres:\/\/ URL/);
    expect(() => officialDatabaseCredential('not a url secret')).toThrow(/not a URL$/);
  });
});

describe('officialPrimeroCredential (the keys language-primero 4.1.2 reads)', () => {
  it('turns authMode basic (the default) into basicAuth: true and token into false', () => {
    expect(officialPrimeroCredential({ url: 'https://p.example.org/', user: 'u', password: 'p' })).toEqual({ url: 'https://p.example.org', user: 'u', password: 'p', basicAuth: true });
    expect(officialPrimeroCredential({ url: 'https://p.example.org', user: 'u', password: 'p', authMode: 'token' }).basicAuth).toBe(false);
  });
});
