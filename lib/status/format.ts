import Table from 'cli-table3';
import type { SyncStatus } from './compute.ts';

const LABEL: Record<SyncStatus['state'], string> = {
  ok: 'OK',
  running: 'RUNNING',
  stopped: 'STOPPED',
  failed: 'FAILED',
  overdue: 'OVERDUE',
  'never-run': 'NEVER RUN',
  unreachable: 'DATABASE UNREACHABLE',
};

const short = (iso: string | null) => (iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '');

/** Pure: the status as a person reads it in a terminal. */
export function formatStatus(s: SyncStatus, database?: string): string {
  const out = [`Sync status: ${LABEL[s.state]}: ${s.summary}`];
  if (database) out.push(`Database: ${database}`);
  if (s.schedule) out.push(`Schedule: "${s.schedule.cron}" (UTC); last due ${short(s.schedule.lastDue) || 'never'}; next ${short(s.schedule.next) || 'never'}`);
  if (s.runs.length > 0) {
    const table = new Table({
      head: ['run', 'status', 'window (last_updated_at)', 'started', 'finished', 'batches', 'cases', 'services', 'rejects', 'notes', 'error'],
      style: { head: [], border: [] },
    });
    for (const r of s.runs) {
      table.push([
        r.runId,
        r.status,
        `${short(r.windowFrom)} .. ${short(r.windowTo)}`,
        short(r.startedAt),
        short(r.finishedAt),
        r.batches,
        r.cases,
        r.services,
        r.rejects,
        r.notes,
        (r.error ?? '').split('\n')[0]!.slice(0, 80),
      ]);
    }
    out.push('', 'Last runs (newest first):', table.toString());
  }
  if (s.runs[0]) {
    if (s.lastRunRejects.length === 0) out.push('', `Run ${s.runs[0].runId}: nothing rejected.`);
    else {
      const table = new Table({ head: ['kind', 'field', 'reason', 'records'], style: { head: [], border: [] } });
      for (const g of s.lastRunRejects) table.push([g.kind, g.field ?? '', g.reason, g.count]);
      out.push('', `Rejects of run ${s.runs[0].runId} by field and reason:`, table.toString());
    }
  }
  return `${out.join('\n')}\n`;
}
