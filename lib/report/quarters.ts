/**
 * Calendar quarters as the indicator views name them ('2025-Q1'), in
 * Cambodian local time (UTC+7, no daylight saving time). Pure.
 */
export type Quarter = `${number}-Q${1 | 2 | 3 | 4}`;

/** What `--quarter` and the dashboard's `?quarter=` accept. */
export type QuarterChoice = 'latest-complete' | 'current' | 'all' | Quarter;

const CAMBODIA_OFFSET_MS = 7 * 3_600_000;
const QUARTER = /^(\d{4})-Q([1-4])$/;

export function isQuarter(value: string): value is Quarter {
  return QUARTER.test(value);
}

export function isQuarterChoice(value: string): value is QuarterChoice {
  return value === 'latest-complete' || value === 'current' || value === 'all' || isQuarter(value);
}

function parts(q: Quarter): { year: number; n: number } {
  const m = QUARTER.exec(q)!;
  return { year: Number(m[1]), n: Number(m[2]) };
}

function make(year: number, n: number): Quarter {
  return `${year}-Q${n}` as Quarter;
}

/** The quarter running at `now` in Cambodia. */
export function currentQuarter(now: Date): Quarter {
  const local = new Date(now.getTime() + CAMBODIA_OFFSET_MS);
  return make(local.getUTCFullYear(), Math.floor(local.getUTCMonth() / 3) + 1);
}

export function previousQuarter(q: Quarter): Quarter {
  const { year, n } = parts(q);
  return n === 1 ? make(year - 1, 4) : make(year, n - 1);
}

/** The last quarter that has ended in Cambodia at `now` (on 1 January: Q4 of last year). */
export function latestCompleteQuarter(now: Date): Quarter {
  return previousQuarter(currentQuarter(now));
}

/** One quarter for a choice, or null for 'all'. */
export function resolveQuarter(choice: QuarterChoice, now: Date): Quarter | null {
  if (choice === 'all') return null;
  if (choice === 'current') return currentQuarter(now);
  if (choice === 'latest-complete') return latestCompleteQuarter(now);
  return choice;
}

/** Orders quarters by time (their names sort the same way; this says so). */
export function compareQuarters(a: Quarter, b: Quarter): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
