import type { SyncSummary } from '../../../host/run-sync.ts';

/** Shown in full up to this many; the rest are in sync_rejects. */
const MAX_CODES_SHOWN = 20;

/**
 * Unknown option and location codes by field, with how many cases carry each:
 * what an operator needs to fix data_dictionary, locations_lookup or the form.
 * Codes are not personal data and no case id goes with them.
 */
function unknownCodeLines(codes: SyncSummary['unknownCodes']): string[] {
  if (codes === null || codes.length === 0) return [];
  const shown = codes.slice(0, MAX_CODES_SHOWN); // most cases first
  const lines = [`  unknown codes (kept as they are; field, code, cases):`];
  for (const u of shown) lines.push(`    ${u.field}  ${JSON.stringify(u.code)}  ${u.cases} case${u.cases === 1 ? '' : 's'}`);
  if (codes.length > shown.length) lines.push(`    … and ${codes.length - shown.length} more (sync_rejects, kind unknown_code)`);
  return lines;
}

/** The lines printed when a run ends: what was loaded, and where to look for the rest. */
export function formatSummary(s: SyncSummary): string {
  if (s.skipped) return `No run started: ${s.skipped}.\n`;
  const verb = s.dryRun ? 'would load' : 'loaded';
  const t = s.totals;
  const lines = [
    `${s.dryRun ? 'Dry run' : 'Run'} ${s.runId} ${s.resumed ? '(resumed) ' : ''}complete in ${s.seconds.toFixed(1)}s, ${s.batches} batch${s.batches === 1 ? '' : 'es'} this time.`,
    `  window (Primero last_updated_at): ${s.window.from} .. ${s.window.to}`,
    // The run's counts, run-wide (a resumed run's earlier batches too), each case once: what status and sync_runs say.
    `  ${verb}: ${t.cases} cases, ${t.services} services`,
    `  ${s.dryRun ? 'would remove' : 'removed'}: ${t.removed} cases that left both indicators, ${t.removedDisabled} cases disabled in Primero (with their services)`,
    `  not loaded: ${t.rejects} records; loaded with a value set to NULL: ${t.nulled} values`,
    ...unknownCodeLines(s.unknownCodes),
  ];
  if (!s.dryRun && t.rejects + t.nulled > 0) lines.push(`  details: SELECT * FROM sync_rejects WHERE run_id = '${s.runId}'`);
  if (s.dryRun) lines.push('  nothing was written to the ONA tables.');
  return `${lines.join('\n')}\n`;
}
