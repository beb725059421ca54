import pg from 'pg';
import { readUnknownCodeCounts, type UnknownCode } from './queries.ts';

/**
 * A run's unknown option and location codes for the sync's summary, over a
 * connection of their own: every code, with the number of cases, read from
 * sync_rejects (so a resumed run lists its earlier batches' codes too).
 */
export type UnknownCodeCount = UnknownCode;

export async function readUnknownCodes(connection: pg.ClientConfig, runId: string): Promise<UnknownCodeCount[]> {
  const client = new pg.Client(connection);
  client.on('error', () => {});
  try {
    await client.connect();
    return await readUnknownCodeCounts(client, [runId], null);
  } finally {
    await client.end().catch(() => {});
  }
}
