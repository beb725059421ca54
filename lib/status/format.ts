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
/** `2026-04-01 02:14Z`: to the minute, as a person reads a run's start. */
const minute = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z` : '');
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '…');

/** How long a run took (or has been going), `1h02m`, `14m`, `35s`. */
function took(from: string, to: string | null, now: string): string {
  const s = Math.max(0, Math.round((Date.parse(to ?? now) - Date.parse(from)) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Width the tables fit in: a wider terminal's, else 100 columns (the runs table needs about 95). */
export const DEFAULT_WIDTH = 100;

/** Columns two spaces apart, no borders: as `git` and `kubectl` print tables. */
const PLAIN = {
  chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
  style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [] },
};

type Cell = string | number;
const text = (v: Cell) => String(v);
const cell = (v: Cell) => (typeof v === 'number' ? { content: String(v), hAlign: 'right' as const } : v);

/** Column widths that fit the content; the last column, if `wrapLast`, takes what is left of `width`. */
function widths(head: string[], rows: Cell[][], width: number, wrapLast: boolean): number[] {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => text(r[i]!).length)));
  if (wrapLast) w[w.length - 1] = Math.max(16, width - w.slice(0, -1).reduce((a, b) => a + b + 2, 0));
  return w;
}

/** Text wrapped at word boundaries to `width`, each line indented by two spaces (a long word is cut). */
function indented(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => `  ${l}`).join('\n');
}

/** Pure: the status as a person reads it in a terminal, its tables within `width` columns. */
export function formatStatus(s: SyncStatus, database?: string, width = DEFAULT_WIDTH): string {
  const fit = Math.max(DEFAULT_WIDTH, width);
  const out = [`Sync status: ${LABEL[s.state]}: ${s.summary}`];
  if (database) out.push(`Database: ${database}`);
  if (s.schedule) out.push(`Schedule: "${s.schedule.cron}" (UTC); last due ${short(s.schedule.lastDue) || 'never'}; next ${short(s.schedule.next) || 'never'}`);
  if (s.runs.length > 0) {
    // Services and NULL values are in --json and the ledger; a run's error goes on its own lines below it.
    const head = ['run', 'status', 'window', 'started', 'took', 'batches', 'cases', 'rejects'];
    const rows: Cell[][] = s.runs.map((r) => [
      r.runId.slice(0, 8),
      r.status,
      `${day(r.windowFrom)}..${day(r.windowTo)}`,
      minute(r.startedAt),
      took(r.startedAt, r.finishedAt ?? (r.status === 'running' ? null : r.lastProgressAt), s.checkedAt),
      r.batches,
      r.cases,
      r.rejects,
    ]);
    const colWidths = widths(head, rows, fit, false);
    const table = new Table({ head, colWidths, wordWrap: true, ...PLAIN });
    s.runs.forEach((r, i) => {
      table.push(rows[i]!.map(cell));
      const error = (r.error ?? '').split('\n')[0]!.slice(0, 400);
      if (error) table.push([{ content: indented(`error: ${error}`, colWidths.reduce((a, b) => a + b + 2, -2) - 2), colSpan: head.length }]);
    });
    out.push('', 'Last runs, newest first (run ids shortened; whole, with every count, in --json):', table.toString());
  }
  if (s.runs[0]) {
    if (s.lastRunRejects.length === 0) out.push('', `Run ${s.runs[0].runId}: nothing rejected.`);
    else {
      // One word per thing counted: records not loaded, values set to NULL, cases carrying an unknown code.
      const unit: Record<string, string> = { rejected: 'records', nulled: 'values', unknown_code: 'cases' };
      const head = ['kind', 'field', 'how many', 'reason'];
      const rows: Cell[][] = s.lastRunRejects.map((g) => [g.kind, g.field ?? '', `${g.count} ${unit[g.kind] ?? ''}`.trim(), g.reason]);
      const table = new Table({ head, colWidths: widths(head, rows, fit, true), wordWrap: true, ...PLAIN });
      for (const r of rows) table.push(r.map(cell));
      out.push('', `Rejects of run ${s.runs[0].runId} by field and reason:`, table.toString());
    }
  }
  // cli-table3 pads every line to the table's width: trailing spaces help no one.
  return `${out.join('\n').replace(/ +$/gm, '')}\n`;
}
