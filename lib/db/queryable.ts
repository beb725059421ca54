/** What the read-only code (report, dashboard) needs of a connection: pg.Client and PoolClient fit. */
export interface Db {
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount?: number | null }>;
}
