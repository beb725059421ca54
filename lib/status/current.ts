import type { OpenedDatabase } from '../db/connect.ts';
import { computeStatus, unreachableStatus, type SyncStatus } from './compute.ts';
import { readLedger } from './read-ledger.ts';

/**
 * The status now, over one read-only connection of an opened database; a
 * database that cannot be reached is a status (exit 2), not an exception.
 */
export async function currentStatus(
  db: OpenedDatabase,
  options: { cron: string | null; now?: Date; runs?: number; graceHours?: number; readOnly?: boolean },
): Promise<SyncStatus> {
  const now = options.now ?? new Date();
  let client;
  try {
    // serve's /healthz reads beside a running sync without a transaction (readOnly: false): on the
    // embedded database all clients share one session. Its statements are SELECTs either way.
    client = await db.connect({ readOnly: options.readOnly ?? true });
  } catch (e) {
    return unreachableStatus(e instanceof Error ? e.message : String(e), now, options.cron);
  }
  try {
    const ledger = await readLedger(client, options.runs ?? 5);
    return computeStatus({ ...ledger, cron: options.cron, now, ...(options.graceHours !== undefined ? { graceHours: options.graceHours } : {}) });
  } catch (e) {
    return unreachableStatus(`cannot read the ledger of ${db.description}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, now, options.cron);
  } finally {
    await client.end().catch(() => {});
  }
}
