import { compareQuarters, currentQuarter, isQuarter, latestCompleteQuarter, type Quarter } from '../core/quarters.ts';

/**
 * Which quarter a report or the dashboard shows: what `--quarter` and the
 * dashboard's `?quarter=` accept. The quarters themselves are lib/core/quarters.ts.
 */
export type QuarterChoice = 'latest-complete' | 'current' | 'all' | Quarter;

export function isQuarterChoice(value: string): value is QuarterChoice {
  return value === 'latest-complete' || value === 'current' || value === 'all' || isQuarter(value);
}

/** One quarter for a choice, or null for 'all'. */
export function resolveQuarter(choice: QuarterChoice, now: Date): Quarter | null {
  if (choice === 'all') return null;
  if (choice === 'current') return currentQuarter(now);
  if (choice === 'latest-complete') return latestCompleteQuarter(now);
  return choice;
}

/**
 * Why a quarter has no figures to show, or null: one that has not begun, or
 * one outside the quarters the views hold (`held`, oldest first). Zeros would
 * read as "no children" when the quarter was mistyped or is still to come.
 */
export function quarterWithoutFigures(q: Quarter, now: Date, held: readonly Quarter[]): string | null {
  const current = currentQuarter(now);
  if (compareQuarters(q, current) > 0) return `${q} has not begun: the current quarter is ${current}`;
  if (held.includes(q)) return null;
  const range = held.length ? `the indicator views hold ${held[0]} to ${held.at(-1)}` : 'the indicator views hold no quarter yet';
  return `no figures for ${q}: ${range}`;
}
