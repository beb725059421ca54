import cliProgress from 'cli-progress';

/**
 * Progress per batch: batch n of m, cases and services loaded, elapsed time and
 * an estimate of what is left. A bar (cli-progress) on a terminal; one plain
 * line per batch otherwise, so logs and CI output stay readable.
 */
export interface BatchProgress {
  batch: number;
  /** Batches expected in all, from Primero's totals so far. */
  of: number;
  cases: number;
  services: number;
  rejects: number;
}

export interface ProgressDisplay {
  update(p: BatchProgress): void;
  stop(): void;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function createProgressDisplay(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): ProgressDisplay {
  const started = now();
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: 'batch {value}/{total} |{bar}| {cases} cases, {services} services, {rejects} rejects | elapsed {duration_formatted} | left ~{eta_formatted}',
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    let started_ = false;
    return {
      update(p) {
        const payload = { cases: p.cases, services: p.services, rejects: p.rejects };
        if (!started_) {
          bar.start(p.of, p.batch, payload);
          started_ = true;
        } else {
          bar.setTotal(p.of);
          bar.update(p.batch, payload);
        }
      },
      stop: () => bar.stop(),
    };
  }
  return {
    update(p) {
      const elapsed = now() - started;
      const left = p.batch > 0 ? (elapsed / p.batch) * Math.max(0, p.of - p.batch) : 0;
      stream.write(
        `batch ${p.batch} of ${p.of}: ${p.cases} cases, ${p.services} services, ${p.rejects} rejects loaded; elapsed ${formatDuration(elapsed)}, about ${formatDuration(left)} left\n`,
      );
    },
    stop() {},
  };
}
