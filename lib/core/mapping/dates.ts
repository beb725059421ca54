/**
 * Dates and date-times as Primero sends them, checked without building a Date
 * where the text already is what we store (a sync reads several hundred
 * thousand of them). Pure.
 */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
/** What Primero's API emits, and what we store: `2024-03-05T06:07:08.123Z`. */
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const num = (s: string, from: number, to: number) => Number(s.slice(from, to));

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The `YYYY-MM-DD` at the start of `s` names a real day (no 2024-02-30: JavaScript would roll it over). */
function realDay(s: string): boolean {
  const year = num(s, 0, 4);
  const month = num(s, 5, 7);
  const day = num(s, 8, 10);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The `HH:MM:SS` at `from` is a time of day. */
function realTime(s: string, from: number): boolean {
  return num(s, from, from + 2) <= 23 && num(s, from + 3, from + 5) <= 59 && num(s, from + 6, from + 8) <= 59;
}

/** A real calendar day written `YYYY-MM-DD`. */
export function validDate(s: string): boolean {
  return DATE_ONLY.test(s) && realDay(s);
}

/**
 * An ISO 8601 date-time with an offset, as UTC `…T…Z` with milliseconds; null
 * when it is not one or names a day or time that does not exist.
 */
export function normaliseDatetime(s: string): string | null {
  if (CANONICAL_UTC.test(s)) return realDay(s) && realTime(s, 11) ? s : null;
  if (!DATETIME.test(s) || !realDay(s) || !realTime(s, 11)) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
