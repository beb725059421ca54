import { InvalidArgumentError } from 'commander';
import { z } from 'zod';

export const BenchCommandOptions = z.object({
  cases: z.int().min(1).max(1_000_000),
  pageSize: z.int().min(1).max(1000),
  seed: z.string().min(1),
});
export type BenchCommandOptions = z.infer<typeof BenchCommandOptions>;

export function parseCaseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new InvalidArgumentError('expected a whole number from 1 to 1000000');
  return n;
}
