import { INDICATORS } from './indicators.ts';
import type { Db } from '../db/queryable.ts';
import { buildModel, type DashboardModel } from './model.ts';
import { readCells, readColumnLabels, readNoteCounts, readRuns, readTrend, readUnknownCodes } from './queries.ts';
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
      view: ind.view,
      title: ind.title,
      bySource: ind.bySource,
      cells: await readCells(db, ind.view, [options.quarter, previous], ind.bySource),
      trend: await readTrend(db, ind.view),
    });
  }
  const runs = await readRuns(db, options.runs ?? 10);
  const runIds = runs.map((r) => r.run_id);
  const notes = await readNoteCounts(db, runIds);
  const unknownCodes = await readUnknownCodes(db, runIds);
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
