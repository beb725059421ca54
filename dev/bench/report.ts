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
  /** The incremental sync in a process that stays up (`serve`): worker, runtime and adaptors already loaded. */
  incremental_resident_s: number;
  /** Median wall time of `primero-ona --version` (target <= 250)... */
  cli_start_ms: number;
  /** ...and of `status` against the benchmark's database (target <= 600). */
  status_ms: number;
  peak_rss_mb: number;
  /** The embedded default (no DATABASE_URL: PGlite inside the sync process), full sync; null when skipped (--no-embedded). */
  sync_s_embedded: number | null;
  peak_rss_mb_embedded: number | null;
  /** `migrate` on a fresh folder: PGlite's initdb and the migrations, once per installation. */
  peak_rss_mb_embedded_first_start: number | null;
  /** Against the simulator with latency (null when skipped, --no-latency): the same pages one after another, waiting for each... */
  latency_floor_s: number | null;
  /** ...the full sync... */
  sync_latency_s: number | null;
  /** ...and the one over the other (target <= 1.05). */
  latency_ratio: number | null;
  /** Per step of a batch: @openfn/runtime compiling and instantiating the built job afresh, adaptors already imported. */
  platform_batch_ms: number;
  /** The same in a fresh process, each adaptor imported by its first step (a fresh worker thread). */
  platform_batch_cold_ms: number;
  /** The four built jobs (dist/jobs/*.js), together and the largest: what OpenFn compiles on every run. */
  dist_kb_total: number;
  dist_kb_largest: number;
}

/** The exact keys of the last line, in order (the smoke test checks them). */
export const RESULT_KEYS = [
  'cases',
  'services',
  'sync_s',
  'fetch_floor_s',
  'write_floor_s',
  'ratio',
  'incremental_s',
  'incremental_resident_s',
  'cli_start_ms',
  'status_ms',
  'peak_rss_mb',
  'sync_s_embedded',
  'peak_rss_mb_embedded',
  'peak_rss_mb_embedded_first_start',
  'latency_floor_s',
  'sync_latency_s',
  'latency_ratio',
  'platform_batch_ms',
  'platform_batch_cold_ms',
  'dist_kb_total',
  'dist_kb_largest',
] as const;

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const roundOrNull = (x: number | null, digits: number) => (x === null ? null : round(x, digits));

export function benchResult(figures: Omit<BenchResult, 'ratio' | 'latency_ratio'>): BenchResult {
  const floor = figures.fetch_floor_s + figures.write_floor_s;
  const latencyRatio = figures.latency_floor_s && figures.sync_latency_s !== null ? figures.sync_latency_s / figures.latency_floor_s : null;
  return {
    cases: figures.cases,
    services: figures.services,
    sync_s: round(figures.sync_s, 2),
    fetch_floor_s: round(figures.fetch_floor_s, 2),
    write_floor_s: round(figures.write_floor_s, 2),
    ratio: round(floor > 0 ? figures.sync_s / floor : 0, 3),
    incremental_s: round(figures.incremental_s, 2),
    incremental_resident_s: round(figures.incremental_resident_s, 2),
    cli_start_ms: round(figures.cli_start_ms, 0),
    status_ms: round(figures.status_ms, 0),
    peak_rss_mb: round(figures.peak_rss_mb, 1),
    sync_s_embedded: roundOrNull(figures.sync_s_embedded, 2),
    peak_rss_mb_embedded: roundOrNull(figures.peak_rss_mb_embedded, 1),
    peak_rss_mb_embedded_first_start: roundOrNull(figures.peak_rss_mb_embedded_first_start, 1),
    latency_floor_s: roundOrNull(figures.latency_floor_s, 2),
    sync_latency_s: roundOrNull(figures.sync_latency_s, 2),
    latency_ratio: roundOrNull(latencyRatio, 3),
    platform_batch_ms: round(figures.platform_batch_ms, 1),
    platform_batch_cold_ms: round(figures.platform_batch_cold_ms, 1),
    dist_kb_total: round(figures.dist_kb_total, 1),
    dist_kb_largest: round(figures.dist_kb_largest, 1),
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
    ['incremental_s', r.incremental_s.toFixed(2), `${notes.incremental ?? 'second sync after 1% of cases changed'}; target <= 5% of sync_s`],
    ['incremental_resident_s', r.incremental_resident_s.toFixed(2), notes.resident ?? 'the same in a resident process (serve)'],
    ['cli_start_ms', r.cli_start_ms.toFixed(0), 'median of 5 runs of primero-ona --version; target <= 250'],
    ['status_ms', r.status_ms.toFixed(0), "median of 5 runs of primero-ona status on the benchmark's database; target <= 600"],
    ['peak_rss_mb', r.peak_rss_mb.toFixed(1), notes.rss ?? 'sync process peak resident memory; target <= 256'],
    ['sync_s_embedded', fixed(r.sync_s_embedded, 2), notes.embedded ?? 'skipped (--no-embedded)'],
    ['peak_rss_mb_embedded', fixed(r.peak_rss_mb_embedded, 1), 'the same, PGlite inside the sync process; target <= 256'],
    ['peak_rss_mb_embedded_first_start', fixed(r.peak_rss_mb_embedded_first_start, 1), 'migrate on a fresh folder: PGlite initdb + migrations, once per installation'],
    ['latency_floor_s', fixed(r.latency_floor_s, 2), notes.latencyFloor ?? 'skipped (--no-latency)'],
    ['sync_latency_s', fixed(r.sync_latency_s, 2), notes.latencySync ?? 'skipped (--no-latency)'],
    ['latency_ratio', fixed(r.latency_ratio, 3), 'sync_latency_s / latency_floor_s; target <= 1.05'],
    ['platform_batch_ms', r.platform_batch_ms.toFixed(1), notes.platform ?? 'per step, job compiled and instantiated afresh; target <= 50'],
    ['platform_batch_cold_ms', r.platform_batch_cold_ms.toFixed(1), notes.platformCold ?? 'per step, in a fresh process (adaptor imports included)'],
  );
  return t.toString();
}

const fixed = (x: number | null, digits: number) => (x === null ? '-' : x.toFixed(digits));

export function renderProfile(p: BatchProfile): string {
  const t = new Table({ head: ['per batch', 'ms / batch', 'total s'], style: { head: [], border: [] } });
  for (const l of p.lines) t.push([l.part, l.msPerBatch.toFixed(1), l.seconds.toFixed(2)]);
  return `${p.batches} batches (start workflow ${p.initSeconds.toFixed(2)} s)\n${t.toString()}`;
}

/** The sync process from start to exit, phase by phase: where a short (incremental) sync's time goes. */
export function renderPhases(p: BatchProfile): string {
  const t = new Table({ head: ['phase', 's'], style: { head: [], border: [] } });
  for (const x of p.phases) t.push([x.phase, x.seconds.toFixed(3)]);
  return t.toString();
}
