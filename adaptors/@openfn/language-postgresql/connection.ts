/**
 * The PostgreSQL stand-in's connections.
 *
 * The official 8.1.2 opens one `pg.Client` per `execute` from the credential's
 * `host, port, database, user, password, ssl, allowSelfSignedCert, ca, key,
 * cert`, does not await its connect (pg queues the first query), and ends it
 * when the step ends or fails. What a job can see of that is kept: one
 * connection for every operation of a step (so `sql('BEGIN') … sql('COMMIT')`
 * is a transaction), opened at the first query, gone on failure, and a step
 * that ends inside a transaction is rolled back. What it cannot see is
 * different: the connection comes from a pool keyed by the configuration and
 * goes back to it for the next step (keep-alive), unless it failed or is still
 * inside a transaction, in which case it is destroyed (the server rolls back).
 * The host sizes the pool through the environment (no job can read it):
 * PRIMERO_ONA_DATABASE_POOL_MAX, 1 for the embedded database.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import pg from 'pg';

/** What an operation needs of a connection: pg's `query(text | config, values?)`. */
export interface Queryable {
  query(query: unknown, values?: unknown[]): Promise<pg.QueryResult>;
}

// ---- log lines -------------------------------------------------------------

/** The official's lines, to the console as it writes them (values never included); a host routes the console. */
export const log = {
  info: (line: string) => console.log(line),
  error: (line: string) => console.error(line),
};

// ---- configuration ---------------------------------------------------------

/** The official `newClient`'s mapping from the credential to pg's client config (no connectionString). */
export function clientConfig(configuration: unknown): pg.ClientConfig {
  const c = (configuration ?? {}) as Record<string, any>;
  const ssl = c.ssl ? { rejectUnauthorized: !c.allowSelfSignedCert, cert: c.cert, ca: c.ca, key: c.key } : false;
  return { host: c.host, port: c.port, database: c.database, user: c.user, password: c.password, ssl };
}

// ---- pools (keep-alive, invisible to a job) ---------------------------------

/** Connections one configuration's pool may hold at once (concurrent steps): the host's setting, else 10. */
function poolMax(): number {
  const n = Number(process.env.PRIMERO_ONA_DATABASE_POOL_MAX);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

const pools = new Map<string, pg.Pool>();

function poolFor(configuration: unknown): pg.Pool {
  const config = clientConfig(configuration);
  // A digest, so the map holds no password in its keys.
  const key = createHash('sha256').update(JSON.stringify(config)).digest('hex');
  let pool = pools.get(key);
  if (!pool) {
    // allowExitOnIdle: a process that never calls shutdownPools() still exits.
    pool = new pg.Pool({ ...config, max: poolMax(), idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    pool.on('error', (e) => console.warn(`idle database connection failed: ${e.message}`));
    pools.set(key, pool);
  }
  return pool;
}

/** Ends every pooled connection (tests; a host ends the worker thread, and with it the connections). */
export async function shutdownPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end().catch(() => {})));
}

// ---- one step's connection ---------------------------------------------------

/** The connection of one `execute`: checked out at its first query, as the official's unawaited connect. */
export class StepConnection implements Queryable {
  /** What setMockClient gave during this step: the official's module-level client is replaced for the rest of it. */
  replacement: Queryable | null = null;
  private client: Promise<pg.PoolClient> | undefined;
  private broken = false;
  private readonly onError = () => {
    // A connection dropped between statements emits 'error' on the checked-out
    // client; unheard, that would crash the process. The next query fails anyway.
    this.broken = true;
  };

  constructor(private readonly configuration: unknown) {}

  private connection(): Promise<pg.PoolClient> {
    if (!this.client) {
      this.client = poolFor(this.configuration)
        .connect()
        .then((c) => {
          c.on('error', this.onError);
          return c;
        });
      // The failure reaches the query that waits on it; this only keeps it from being "unhandled".
      this.client.catch(() => {});
    }
    return this.client;
  }

  async query(query: unknown, values?: unknown[]): Promise<pg.QueryResult> {
    const c = await this.connection();
    return values ? c.query(query as string, values) : c.query(query as string);
  }

  /**
   * Gives the connection back for the next step, or destroys it when the step
   * failed, the connection broke, or a transaction is still open (ROLLBACK by
   * the server, as the official's `client.end()` gives).
   */
  async end(failed: boolean): Promise<void> {
    const pending = this.client;
    this.client = undefined;
    if (!pending) return;
    let c: pg.PoolClient;
    try {
      c = await pending;
    } catch {
      return;
    }
    c.off('error', this.onError);
    const idle = c.getTransactionStatus() === 'I';
    c.release(failed || this.broken || !idle ? true : undefined);
  }
}

const current = new AsyncLocalStorage<StepConnection>();
/** The official's module-level client as `setMockClient` leaves it: used outside `execute`. */
let outside: Queryable | null = null;

/** The official's `setMockClient`: replaces the client until the next `execute` opens its own. */
export function setOutsideClient(client: unknown): void {
  outside = client as Queryable | null;
  const step = current.getStore();
  if (step) step.replacement = outside;
}

export function runWithConnection<T>(connection: StepConnection, work: () => Promise<T>): Promise<T> {
  return current.run(connection, work);
}

/** The connection of the running step; outside a step, what setMockClient gave (the official's module-level client). */
export function currentClient(): Queryable {
  const step = current.getStore();
  const c = step ? (step.replacement ?? step) : outside;
  // As the official, whose module-level client is null until the first execute.
  if (!c) throw new TypeError("Cannot read properties of null (reading 'query')");
  return c;
}
