import { currentQuarter, isQuarter, latestCompleteQuarter, type Quarter } from '../core/quarters.ts';

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
