import { INDICATORS } from '../core/indicators/declared.ts';
import { bySource, indicatorTitle } from './indicators.ts';
import type { Db } from '../db/queryable.ts';
import { buildModel, type DashboardModel } from './model.ts';
import { readCells, readColumnLabels, readNoteCounts, readTrend, readUnknownCodeCounts } from './queries.ts';
import { readRuns } from '../status/read-ledger.ts';
import { previousQuarter, type Quarter } from '../core/quarters.ts';

export interface ReadModelOptions {
  quarter: Quarter;
  threshold: number;
  now?: Date;
  /** Runs shown under data quality (their rejects and notes are counted). */
  runs?: number;
}

/** Reads the views and the ledger for one quarter (and the one before) into the suppressed model. */
export async function readModel(db: Db, options: ReadModelOptions): Promise<DashboardModel> {
  const previous = previousQuarter(options.quarter);
  const indicators = [];
  for (const ind of INDICATORS) {
    indicators.push({
      id: ind.code,
      view: ind.id,
      title: indicatorTitle(ind),
      bySource: bySource(ind),
      // A rule that does not read the age counts every age: adults and unknown ages are in the figure.
      anyAge: !ind.reads.includes('age'),
      cells: await readCells(db, ind.id, [options.quarter, previous], bySource(ind)),
      trend: await readTrend(db, ind.id),
    });
  }
  const runs = await readRuns(db, options.runs ?? 10);
  const runIds = runs.map((r) => r.runId);
  const notes = await readNoteCounts(db, runIds);
  const unknownCodes = await readUnknownCodeCounts(db, runIds);
  return buildModel({
    quarter: options.quarter,
    previous,
    now: options.now ?? new Date(),
    threshold: options.threshold,
    indicators,
    runs,
    notes,
    unknownCodes,
    columnLabels: await readColumnLabels(db),
  });
}
