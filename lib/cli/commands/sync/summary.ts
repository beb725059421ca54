import type { SyncSummary } from '../../../orchestrator/run-sync.ts';

/** The lines printed when a run ends: what was loaded, and where to look for the rest. */
export function formatSummary(s: SyncSummary): string {
  if (s.skipped) return `No run started: ${s.skipped}.\n`;
  const verb = s.dryRun ? 'would load' : 'loaded';
  const lines = [
    `${s.dryRun ? 'Dry run' : 'Run'} ${s.runId} ${s.resumed ? '(resumed) ' : ''}complete in ${s.seconds.toFixed(1)}s, ${s.batches} batch${s.batches === 1 ? '' : 'es'}.`,
    `  window (Primero last_updated_at): ${s.window.from} .. ${s.window.to}`,
    // Rows written per batch: a case in both indicators can be written in two batches.
    `  ${verb}: ${s.totals.cases} case rows, ${s.totals.services} service rows`,
    `  ${s.dryRun ? 'would remove' : 'removed'}: ${s.totals.removed} cases that left both indicators`,
    `  rejected: ${s.totals.rejects} records; ${s.totals.notes} values loaded as NULL or as unknown codes`,
  ];
  if (!s.dryRun && s.totals.rejects + s.totals.notes > 0) lines.push(`  details: SELECT * FROM sync_rejects WHERE run_id = '${s.runId}'`);
  if (s.dryRun) lines.push('  nothing was written to the ONA tables.');
  return `${lines.join('\n')}\n`;
}
