import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadDashboardSettings } from '../../../config/settings.ts';
import type { Logger } from '../../../log/logger.ts';
import type { Lang } from '../../../report/labels.ts';
import { openIndicatorDatabase } from '../../../report/open.ts';
import { readCells, readQuarters } from '../../../report/queries.ts';
import { quarterWithoutFigures, resolveQuarter, type QuarterChoice } from '../../../report/quarter-choice.ts';
import { latestCompleteQuarter } from '../../../core/quarters.ts';
import { readModel } from '../../../report/read-model.ts';
import { selfContainedPage } from '../../../report/dashboard/page.ts';
import { hasCompletedSync, NO_COMPLETED_SYNC } from '../../../status/completed-sync.ts';
import { UserError } from '../../../errors.ts';
import { INDICATORS } from '../../../core/indicators/declared.ts';
import { bySource } from '../../../report/indicators.ts';
import { renderCsv } from './render-csv.ts';
import { renderSummary, renderTrend } from './render-summary.ts';
import { renderIndicator } from './render-table.ts';

export type Language = Lang;

export interface ReportOptions {
  lang: Language;
  /** A database to read instead of DATABASE_URL / the embedded default (the demo's). */
  databaseUrl?: string | undefined;
  /** `latest-complete` (default), `current`, `all`, or a quarter such as 2025-Q1. */
  quarter?: QuarterChoice | undefined;
  /** Every cell of the views (one row per place, sex, age band) instead of the summary. */
  detail?: boolean | undefined;
  format?: 'text' | 'csv' | undefined;
  /** Write the self-contained HTML report to this file instead. */
  html?: string | undefined;
  credentials?: string | undefined;
  /** "Now", for the quarter choices (tests). */
  now?: Date | undefined;
}

export async function reportHandler(
  options: ReportOptions,
  logger: Logger,
  write: (text: string) => void = (t) => process.stdout.write(t),
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const dashboard = await loadDashboardSettings(env, options.credentials);
  // Read-only: the same settings as sync (TLS included), no migrations, one read-only transaction.
  const db = await openIndicatorDatabase({ databaseUrl: options.databaseUrl, credentials: options.credentials, logger, env });
  // Which database the figures are from: on stderr, so that the report itself (CSV included) stays as it is.
  logger.info(`database: ${db.description}`);
  const client = await db.connect({ readOnly: true }).catch(async (e: unknown) => {
    await db.close();
    throw e;
  });
  try {
    if (!(await hasCompletedSync(client))) {
      write(`${NO_COMPLETED_SYNC}\n`);
      return;
    }
    const now = options.now ?? new Date();
    const choice = options.quarter ?? 'latest-complete';
    const quarter = resolveQuarter(choice, now);
    // A quarter named by hand (not one the clock names) may be mistyped or still to come.
    if (quarter && quarter === choice) {
      const problem = quarterWithoutFigures(quarter, now, await readQuarters(client));
      if (problem) throw new UserError(problem, "give --quarter 'latest-complete', 'current' or a quarter the views hold");
    }
    const threshold = dashboard.smallCellThreshold;
    if (options.html) {
      // The page is one quarter beside the one before it (with every quarter's trend): 'all' is not one quarter.
      if (!quarter) throw new UserError('--html shows one quarter beside the one before it, with the trend of every quarter; --quarter all is not one quarter', "give --quarter 'latest-complete' (the default), 'current' or a quarter such as 2025-Q1");
      const model = await readModel(client, { quarter: quarter ?? latestCompleteQuarter(now), threshold, now });
      const file = path.resolve(options.html);
      try {
        await writeFile(file, await selfContainedPage(model, options.lang));
      } catch (e) {
        throw new UserError(`could not write ${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
      write(`${options.lang === 'km' ? 'របាយការណ៍ HTML' : 'HTML report'}: ${file}\n`);
      return;
    }
    if (options.format === 'csv') {
      const indicators = [];
      for (const ind of INDICATORS) indicators.push({ id: ind.code, cells: await readCells(client, ind.id, quarter ? [quarter] : null, bySource(ind)) });
      write(renderCsv(indicators, options.lang));
      return;
    }
    if (options.detail) {
      if (quarter) write(`${options.lang === 'km' ? 'ត្រីមាស' : 'Quarter'} ${quarter}\n\n`);
      for (const indicator of INDICATORS) {
        const rows = await readCells(client, indicator.id, quarter ? [quarter] : null, bySource(indicator));
        write(`${renderIndicator(indicator, rows as unknown as Record<string, string | number | null>[], options.lang)}\n\n`);
      }
      return;
    }
    const model = await readModel(client, { quarter: quarter ?? latestCompleteQuarter(now), threshold, now });
    write(quarter ? renderSummary(model, options.lang) : renderTrend(model, options.lang));
  } finally {
    await client.end().catch(() => {});
    await db.close();
  }
}
