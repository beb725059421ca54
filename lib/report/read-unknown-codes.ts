import pg from 'pg';

/**
 * A run's unknown option and location codes as its summary shows them: one per
 * field and code with the number of cases, read from sync_rejects (so a resumed
 * run lists its earlier batches' codes too). Codes only, no case id.
 */
export interface UnknownCodeCount {
  field: string;
  code: string;
  cases: number;
}

export const RUN_UNKNOWN_CODES = `
  SELECT field, code, case_count AS cases FROM sync_rejects
  WHERE run_id = $1 AND kind = 'unknown_code' AND code IS NOT NULL
  ORDER BY case_count DESC, field, code`;

export async function readUnknownCodes(connection: pg.ClientConfig, runId: string): Promise<UnknownCodeCount[]> {
  const client = new pg.Client(connection);
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ field: string; code: string; cases: number }>(RUN_UNKNOWN_CODES, [runId]);
    return rows.map((r) => ({ field: r.field, code: r.code, cases: Number(r.cases) }));
  } finally {
    await client.end().catch(() => {});
  }
}
