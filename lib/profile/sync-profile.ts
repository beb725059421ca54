import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { RunnerEvent } from '../host/runner/runner.ts';

/**
 * Where a sync's time goes: each workflow run and its steps, when each began
 * (ms since the process started), and the moments the command reached its
 * phases (marks: settings and database opened, migrations applied, the run
 * over). Written as JSON when the sync runs with PRIMERO_ONA_PROFILE=<file>
 * (the benchmark reads it, and adds what it measured from outside: Primero's
 * serving time, the database's). Ids and timings only, never state.
 */
export const PROFILE_ENV = 'PRIMERO_ONA_PROFILE';

export const StepProfile = z.object({
  stepId: z.string(),
  /** When the step began, ms since the process started. */
  at: z.number(),
  ms: z.number(),
});
export type StepProfile = z.infer<typeof StepProfile>;

export const SyncProfile = z.object({
  /** When the process started, ms since the epoch: `at` + this is a wall-clock time. */
  origin: z.number(),
  /** Every workflow run (the start, then one per batch), in order. */
  runs: z.array(z.object({ at: z.number(), ms: z.number(), steps: z.array(StepProfile) })),
  /** Phase name -> when it was reached, ms since the process started. */
  marks: z.record(z.string(), z.number()),
  /** This process's peak resident memory at the end (VmHWM), in MiB. */
  maxRssMb: z.number(),
});
export type SyncProfile = z.infer<typeof SyncProfile>;

export interface ProfileRecorder {
  onEvent(event: RunnerEvent): void;
  mark(phase: string): void;
  snapshot(): SyncProfile;
}

export function createProfileRecorder(): ProfileRecorder {
  const runs: SyncProfile['runs'] = [];
  const marks: Record<string, number> = {};
  let current: { at: number; steps: StepProfile[] } | null = null;
  let stepStart: number | null = null;
  const close = () => {
    if (current) runs.push({ at: current.at, ms: performance.now() - current.at, steps: current.steps });
    current = null;
  };
  return {
    onEvent(event) {
      const now = performance.now();
      if (event.type === 'step-start') {
        current ??= { at: now, steps: [] };
        stepStart = now;
        return;
      }
      if (!current || stepStart === null) return;
      current.steps.push({ stepId: event.stepId, at: stepStart, ms: now - stepStart });
      stepStart = null;
      // A step with nowhere to go ends its workflow run.
      if (event.next.length === 0) close();
    },
    mark(phase) {
      marks[phase] = performance.now();
    },
    snapshot() {
      close();
      return { origin: performance.timeOrigin, runs: [...runs], marks: { ...marks }, maxRssMb: peakRssMb() };
    },
  };
}

/**
 * This process's own peak resident memory, MiB: the kernel's VmHWM, which
 * starts afresh when a program is exec'd. Not getrusage's maxRSS (the fallback
 * where there is no /proc): Linux carries it over from the parent that forked
 * the process, so a sync started by a benchmark holding an embedded database
 * reported the benchmark's memory as its own.
 */
export function peakRssMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // no /proc: below
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** A recorder when the environment asks for a profile, else null. */
export function profileRequested(env: NodeJS.ProcessEnv): { path: string; recorder: ProfileRecorder } | null {
  const path = env[PROFILE_ENV];
  return path ? { path, recorder: createProfileRecorder() } : null;
}

export async function writeProfile(path: string, recorder: ProfileRecorder): Promise<void> {
  await writeFile(path, JSON.stringify(recorder.snapshot()));
}
