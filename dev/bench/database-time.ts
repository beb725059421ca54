import pg from 'pg';

/**
 * The server's own time executing statements in one database
 * (pg_stat_database.active_time, ms; PostgreSQL 14+), for the benchmark's
 * profile: read before and after a sync, the difference is its statements'.
 * A session reports its share when it ends, so the reading after waits for the
 * sync's sessions to be gone. Null for the embedded database, which keeps no
 * such statistics.
 */
export async function activeTimeMs(url: string, kind: 'server' | 'embedded'): Promise<number | null> {
  if (kind !== 'server') return null;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let waited = 0; waited < 3000; waited += 50) {
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { rows } = await client.query<{ ms: number | null }>('SELECT active_time AS ms FROM pg_stat_database WHERE datname = current_database()');
    return rows[0]?.ms ?? null;
  } catch {
    return null; // a server without the statistic: the profile goes without the line
  } finally {
    await client.end();
  }
}
