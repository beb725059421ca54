import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { RunnerEvent } from '../host/runner/runner.ts';
import { ioTotals, type IoKind } from './io-timer.ts';

/**
 * Where a sync's time goes, batch by batch: each job step's duration and the
 * Primero and database time inside it. Written as JSON when the sync runs with
 * PRIMERO_ONA_PROFILE=<file> (the benchmark reads it); events carry ids and
 * timings only, never state.
 */
export const PROFILE_ENV = 'PRIMERO_ONA_PROFILE';

export const StepProfile = z.object({
  stepId: z.string(),
  ms: z.number(),
  primeroMs: z.number(),
  databaseMs: z.number(),
});
export type StepProfile = z.infer<typeof StepProfile>;

export const SyncProfile = z.object({
  /** Every workflow run (init, then one per batch), in order. */
  runs: z.array(z.object({ ms: z.number(), steps: z.array(StepProfile) })),
  /** This process's peak resident memory at the end (VmHWM), in MiB. */
  maxRssMb: z.number(),
});
export type SyncProfile = z.infer<typeof SyncProfile>;

export interface ProfileRecorder {
  onEvent(event: RunnerEvent): void;
  /** Closes the current workflow run (the orchestrator calls execute once per run). */
  snapshot(): SyncProfile;
}

export function createProfileRecorder(): ProfileRecorder {
  const runs: SyncProfile['runs'] = [];
  let current: { started: number; steps: StepProfile[] } | null = null;
  let stepStart: { at: number; io: Record<IoKind, number> } | null = null;
  const ioMs = () => {
    const t = ioTotals();
    return { primero: t.primero.ms, database: t.database.ms };
  };
  const close = () => {
    if (current) runs.push({ ms: performance.now() - current.started, steps: current.steps });
    current = null;
  };
  return {
    onEvent(event) {
      if (event.type === 'step-start') {
        // init and fetch each open a workflow run; later steps continue it.
        if (event.stepId === 'init' || event.stepId === 'fetch') {
          close();
          current = { started: performance.now(), steps: [] };
        }
        stepStart = { at: performance.now(), io: ioMs() };
        return;
      }
      if (!current || !stepStart) return;
      const io = ioMs();
      current.steps.push({
        stepId: event.stepId,
        ms: performance.now() - stepStart.at,
        primeroMs: io.primero - stepStart.io.primero,
        databaseMs: io.database - stepStart.io.database,
      });
      stepStart = null;
    },
    snapshot() {
      close();
      return { runs: [...runs], maxRssMb: peakRssMb() };
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
