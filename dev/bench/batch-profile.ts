import type { SyncProfile } from '../../lib/profile/sync-profile.ts';

/**
 * Where a batch's time goes, from the sync's profile: Primero requests inside
 * fetch, the rest of fetch (runtime step setup, validation, merging), database
 * statements inside upsert, the rest of upsert (mapping, planning), next-batch,
 * and what the runtime spends between steps.
 */
export interface ProfileLine {
  part: string;
  /** Mean over the batches, milliseconds. */
  msPerBatch: number;
  /** Sum over the batches, seconds. */
  seconds: number;
}

export interface BatchProfile {
  batches: number;
  /** Seconds in init (its own workflow run). */
  initSeconds: number;
  lines: ProfileLine[];
}

const PARTS = [
  'fetch: Primero requests',
  'fetch: runtime + job code',
  'upsert: database statements',
  'upsert: runtime + map + plan',
  'next-batch (post the message)',
  'runtime between steps',
] as const;

export function summarizeProfile(profile: SyncProfile): BatchProfile {
  const sums = new Map<string, number>(PARTS.map((p) => [p, 0]));
  const add = (part: (typeof PARTS)[number], ms: number) => sums.set(part, (sums.get(part) ?? 0) + Math.max(0, ms));
  let batches = 0;
  let initMs = 0;
  for (const run of profile.runs) {
    if (run.steps.some((s) => s.stepId === 'init')) {
      initMs += run.ms;
      continue;
    }
    batches++;
    let inSteps = 0;
    for (const s of run.steps) {
      inSteps += s.ms;
      if (s.stepId === 'fetch') {
        add('fetch: Primero requests', s.primeroMs);
        add('fetch: runtime + job code', s.ms - s.primeroMs);
      } else if (s.stepId === 'upsert') {
        add('upsert: database statements', s.databaseMs);
        add('upsert: runtime + map + plan', s.ms - s.databaseMs);
      } else {
        add('next-batch (post the message)', s.ms);
      }
    }
    add('runtime between steps', run.ms - inSteps);
  }
  const n = Math.max(1, batches);
  return {
    batches,
    initSeconds: initMs / 1000,
    lines: PARTS.map((part) => ({ part, msPerBatch: (sums.get(part) ?? 0) / n, seconds: (sums.get(part) ?? 0) / 1000 })),
  };
}
