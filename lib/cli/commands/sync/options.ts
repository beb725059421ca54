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

export function parseSince(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('expected an ISO date or date-time, e.g. 2024-01-01 or 2024-01-01T00:00:00Z');
  }
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
