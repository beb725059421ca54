/**
 * Calendar quarters in Cambodian time (UTC+7 all year, no daylight saving
 * time), the one rule for the quarterly run, the status and the indicators:
 * a quarter begins at local midnight on 1 January, April, July and October,
 * and is named as the indicator views name it ('2025-Q1'). Pure.
 */
export type Quarter = `${number}-Q${1 | 2 | 3 | 4}`;

const CAMBODIA_OFFSET_MS = 7 * 3_600_000;
const QUARTER = /^(\d{4})-Q([1-4])$/;

export function isQuarter(value: string): value is Quarter {
  return QUARTER.test(value);
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

export function nextQuarter(q: Quarter): Quarter {
  const { year, n } = parts(q);
  return n === 4 ? make(year + 1, 1) : make(year, n + 1);
}

/** The last quarter that has ended in Cambodia at `now` (on 1 January: Q4 of last year). */
export function latestCompleteQuarter(now: Date): Quarter {
  return previousQuarter(currentQuarter(now));
}

/** Orders quarters by time (their names sort the same way; this says so). */
export function compareQuarters(a: Quarter, b: Quarter): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The instant a quarter begins: local midnight of its first day. */
export function startOfQuarter(q: Quarter): Date {
  const { year, n } = parts(q);
  return new Date(Date.UTC(year, (n - 1) * 3, 1) - CAMBODIA_OFFSET_MS);
}

/** The first instant of the quarter `now` falls in. */
export function quarterStart(now: Date): Date {
  return startOfQuarter(currentQuarter(now));
}

/** The first instant of the quarter after the one `now` falls in. */
export function nextQuarterStart(now: Date): Date {
  return startOfQuarter(nextQuarter(currentQuarter(now)));
}

/** The quarter's run is due when no completed run's window reaches into this quarter (a missed quarter included). */
export function quarterRunDue(lastCompletedTo: string | Date | null, now: Date): boolean {
  return lastCompletedTo === null || new Date(lastCompletedTo).getTime() < quarterStart(now).getTime();
}
