import { InvalidArgumentError } from 'commander';
import type { IsolatedRunner } from '../../../host/runner/isolated-runner.ts';

export interface SyncCommandOptions {
  since?: string | undefined;
  pageSize: number;
  dryRun: boolean;
  credentials?: string | undefined;
  workflow: string;
  /** Started by the command before the handler loaded (prepare-sync.ts starts one otherwise). */
  runner?: IsolatedRunner | undefined;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Whether the date and time exist: JavaScript reads 2024-02-30 as 1 March and 24:00 as the next day. */
function exists(m: RegExpExecArray): boolean {
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  return m[4] === undefined || (Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6] ?? 0) <= 59);
}

export function parseSince(value: string): string {
  const m = ISO_DATE.exec(value);
  if (!m || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('expected an ISO date or date-time, e.g. 2024-01-01 or 2024-01-01T00:00:00Z');
  }
  if (!exists(m)) throw new InvalidArgumentError(`${value} is not a date that exists`);
  const at = new Date(value);
  // A window starting after now would read nothing and then be taken as the next run's start.
  if (at.getTime() > Date.now()) throw new InvalidArgumentError(`${at.toISOString()} is in the future; give a date in the past`);
  return at.toISOString();
}

export function parsePageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000 (Primero caps pages at 1000)');
  return n;
}
