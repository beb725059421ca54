import Table from 'cli-table3';
import type { BatchProfile } from './batch-profile.ts';

/** The benchmark's figures, and the two ways it prints them: a table for people, one JSON line for machines. */
export interface BenchResult {
  cases: number;
  services: number;
  sync_s: number;
  fetch_floor_s: number;
  write_floor_s: number;
  ratio: number;
  incremental_s: number;
  peak_rss_mb: number;
}

/** The exact keys of the last line, in order (the smoke test checks them). */
export const RESULT_KEYS = ['cases', 'services', 'sync_s', 'fetch_floor_s', 'write_floor_s', 'ratio', 'incremental_s', 'peak_rss_mb'] as const;

const round = (x: number, digits: number) => Number(x.toFixed(digits));

export function benchResult(figures: Omit<BenchResult, 'ratio'>): BenchResult {
  const floor = figures.fetch_floor_s + figures.write_floor_s;
  return {
    cases: figures.cases,
    services: figures.services,
    sync_s: round(figures.sync_s, 2),
    fetch_floor_s: round(figures.fetch_floor_s, 2),
    write_floor_s: round(figures.write_floor_s, 2),
    ratio: round(floor > 0 ? figures.sync_s / floor : 0, 3),
    incremental_s: round(figures.incremental_s, 2),
    peak_rss_mb: round(figures.peak_rss_mb, 1),
  };
}

export function resultLine(r: BenchResult): string {
  return JSON.stringify(Object.fromEntries(RESULT_KEYS.map((k) => [k, r[k]])));
}

export function renderResult(r: BenchResult, notes: Record<string, string>): string {
  const t = new Table({ head: ['measure', 'value', 'note'], style: { head: [], border: [] } });
  t.push(
    ['cases', String(r.cases), notes.cases ?? ''],
    ['services', String(r.services), notes.services ?? ''],
    ['sync_s', r.sync_s.toFixed(2), notes.sync ?? 'full sync, empty database, sync CLI child process'],
    ['fetch_floor_s', r.fetch_floor_s.toFixed(2), notes.fetch ?? 'same pages, bare HTTP loop + JSON.parse'],
    ['write_floor_s', r.write_floor_s.toFixed(2), notes.write ?? 'same rows, COPY into empty copies'],
    ['ratio', r.ratio.toFixed(3), 'sync_s / (fetch_floor_s + write_floor_s); target <= 1.25'],
    ['incremental_s', r.incremental_s.toFixed(2), notes.incremental ?? 'second sync after 1% of cases changed'],
    ['peak_rss_mb', r.peak_rss_mb.toFixed(1), 'sync process peak resident memory'],
  );
  return t.toString();
}

export function renderProfile(p: BatchProfile): string {
  const t = new Table({ head: ['per batch', 'ms / batch', 'total s'], style: { head: [], border: [] } });
  for (const l of p.lines) t.push([l.part, l.msPerBatch.toFixed(1), l.seconds.toFixed(2)]);
  return `${p.batches} batches (init ${p.initSeconds.toFixed(2)} s)\n${t.toString()}`;
}
