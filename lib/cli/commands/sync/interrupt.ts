import { UserError } from '../../../errors.ts';

/**
 * Ctrl-C (SIGINT) or SIGTERM during `sync`: the first asks the run to stop
 * after the batch under way, which commits with its bookmark; a second stops
 * the process at once (the batch under way rolls back with its connection).
 * Either way the sync says so, and that the next `sync` resumes the run.
 */
export interface Interrupt {
  /** Aborted by the first signal: runSync's stopAfterBatch. */
  signal: AbortSignal;
  /** The exit code the signal asks for (130 for SIGINT, 143 for SIGTERM). */
  exitCode(): number;
  dispose(): void;
}

const EXIT_CODE: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/**
 * A terminal's Ctrl-C reaches every process of its group, and the launcher
 * (bin/primero-ona.mjs) forwards it as well: one key press can arrive twice.
 */
const SAME_PRESS_MS = 1000;

export const RESUME_HINT = 'the next `primero-ona sync` resumes the run from its last committed batch (each batch commits its bookmark with its rows)';

export function watchInterrupt(
  write: (text: string) => void = (t) => process.stderr.write(t),
  exit: (code: number) => void = (code) => process.exit(code),
  now: () => number = Date.now,
): Interrupt {
  const controller = new AbortController();
  let first: { signal: string; at: number } | null = null;
  const on = (signal: string) => {
    if (!first) {
      first = { signal, at: now() };
      write(`primero-ona: ${signal === 'SIGINT' ? 'interrupted' : `${signal} received`}: stopping after the batch under way (press Ctrl-C again to stop at once)\n`);
      controller.abort();
      return;
    }
    if (now() - first.at < SAME_PRESS_MS) return;
    write(`primero-ona: sync stopped at once; the batch under way was not committed\n  ${RESUME_HINT}\n`);
    exit(EXIT_CODE[first.signal] ?? 130);
  };
  const listeners = SIGNALS.map((s) => [s, () => on(s)] as const);
  for (const [s, l] of listeners) process.on(s, l);
  return {
    signal: controller.signal,
    exitCode: () => (first ? (EXIT_CODE[first.signal] ?? 130) : 0),
    dispose() {
      for (const [s, l] of listeners) process.off(s, l);
    },
  };
}

/** What the sync ends with once interrupted: one line, a hint (by default how it resumes), the signal's exit code. */
export function interruptedError(interrupt: Interrupt, what: string, hint = RESUME_HINT): UserError {
  return new UserError(`sync interrupted: ${what}`, hint, interrupt.exitCode());
}
