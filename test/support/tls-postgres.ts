import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL cluster that REQUIRES TLS, as a hosted ONA database
 * does: `ssl = on`, pg_hba with `hostssl` lines only (a plain connection is
 * refused by the server), a self-signed certificate made by openssl whose file
 * is the CA a client must be given, and a password (scram) for the user.
 * Started by the test on a free port and stopped after it.
 */
export interface TlsPostgres {
  port: number;
  /** The CA file (the server's self-signed certificate). */
  caFile: string;
  password: string;
  /** postgres://postgres:<password>@127.0.0.1:<port>/<database>; without TLS options (the caller adds them). */
  url(database?: string): string;
  /** A new empty database on the cluster. */
  createDatabase(): Promise<string>;
  /** Runs statements on a database over TLS with the CA. */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(database: string, text: string, values?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const PASSWORD = 'Tls-Cluster-Pa55word';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** initdb and postgres refuse to run as root: run them as the postgres OS user then. */
async function asPostgres(command: string, args: string[]): Promise<void> {
  if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', command, ...args]);
  else await run(command, args);
}

export async function startTlsPostgres(): Promise<TlsPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pos-tls-pg-'));
  const data = path.join(dir, 'data');
  const caFile = path.join(dir, 'server.crt');
  const keyFile = path.join(dir, 'server.key');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', caFile,
  ]);
  const pwfile = path.join(dir, 'pw');
  await writeFile(pwfile, PASSWORD);
  await chmod(keyFile, 0o600);
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    for (const p of [dir, keyFile, caFile, pwfile]) await chown(p, Number(stdout), Number(gid));
  }
  await asPostgres(path.join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  await appendFile(
    path.join(data, 'postgresql.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      'ssl = on',
      `ssl_cert_file = '${caFile}'`,
      `ssl_key_file = '${keyFile}'`,
      'fsync = off',
      'max_connections = 40',
      '',
    ].join('\n'),
  );
  // TLS only over TCP: a plain-text connection finds no pg_hba line and is refused.
  await writeFile(path.join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n');
  const log = path.join(dir, 'postgres.log');
  const ctl = (action: 'start' | 'stop') =>
    asPostgres(path.join(BIN, 'pg_ctl'), action === 'start' ? ['-D', data, '-l', log, '-w', '-t', '30', 'start'] : ['-D', data, '-m', 'immediate', '-w', 'stop']);
  try {
    await ctl('start');
  } catch (e) {
    const text = await readFile(log, 'utf8').catch(() => '');
    throw new Error(`TLS PostgreSQL did not start: ${e instanceof Error ? e.message : String(e)}\n${text}`);
  }
  const url = (database = 'postgres') => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const ca = await readFile(caFile, 'utf8');
  const query = async <T extends pg.QueryResultRow>(database: string, text: string, values: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url(database), ssl: { ca, rejectUnauthorized: true } });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  let n = 0;
  let running = true;
  return {
    port,
    caFile,
    password: PASSWORD,
    url,
    query,
    createDatabase: async () => {
      const name = `pos_tls_${process.pid}_${++n}`;
      await query('postgres', `CREATE DATABASE ${name}`);
      return name;
    },
    start: async () => {
      if (!running) await ctl('start');
      running = true;
    },
    stop: async () => {
      if (running) await ctl('stop').catch(() => {});
      running = false;
    },
  } satisfies TlsPostgres & { start(): Promise<void> };
}

/** Stops the cluster and removes its directory. */
export async function removeTlsPostgres(server: TlsPostgres): Promise<void> {
  await server.stop();
  await rm(path.dirname(server.caFile), { recursive: true, force: true });
}
