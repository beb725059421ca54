import type { Logger } from '../../../lib/log/logger.ts';
import { runBench } from '../../bench/run-bench.ts';
import { renderPhases, renderProfile, renderResult, resultLine } from '../../bench/report.ts';
import type { BenchCommandOptions } from './options.ts';

/** Share of the cases changed before the incremental sync. */
const CHANGED_FRACTION = 0.01;

/**
 * `primero-ona bench`, step by step: run the benchmark, print the figures and
 * the per-batch profile, then the JSON line (always the last line of stdout).
 */
export async function benchHandler(options: BenchCommandOptions, logger: Logger): Promise<void> {
  const { latencyMs, perRecordMs, latency, ...rest } = options;
  const report = await runBench({ ...rest, changedFraction: CHANGED_FRACTION, latency: latency ? { latencyMs, perRecordMs } : null }, logger);
  const out = [
    renderResult(report.result, report.notes),
    '',
    `Full sync, where the time goes: ${renderProfile(report.profile)}`,
    '',
    `Incremental sync: ${renderProfile(report.incrementalProfile)}`,
    '',
    `Incremental sync, process start to exit:\n${renderPhases(report.incrementalProfile)}`,
    '',
    ...(report.latencyProfile ? [`Full sync with latency, where the time goes: ${renderProfile(report.latencyProfile)}`, ''] : []),
    resultLine(report.result),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
