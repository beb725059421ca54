import { z } from 'zod';

export const BenchCommandOptions = z.object({
  cases: z.int().min(1).max(1_000_000),
  pageSize: z.int().min(1).max(1000),
  seed: z.string().min(1),
  latencyMs: z.number().min(0),
  perRecordMs: z.number().min(0),
  /** Run the latency runs (--no-latency skips them). */
  latency: z.boolean(),
  /** Measure the embedded default too (--no-embedded skips it). */
  embedded: z.boolean(),
});
export type BenchCommandOptions = z.infer<typeof BenchCommandOptions>;

