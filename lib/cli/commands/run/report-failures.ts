import { UserError } from '../../../errors.ts';
import type { StepFailure } from '../../../host/runner/execute-plan.ts';

/**
 * Turns failed steps into the one line the user sees and a non-zero exit
 * (where `openfn` would exit 0): `step "fetch" failed: <first line of the message>`.
 */
export function reportFailures(failures: StepFailure[], outputLocation: string): void {
  const [first] = failures;
  if (!first) return;
  const others = failures.slice(1).map((f) => `"${f.stepId}"`);
  const also = others.length ? ` (also failed: ${others.join(', ')})` : '';
  const stopped = first.severity === 'fail' ? '' : ' (run aborted)';
  throw new UserError(
    `step "${first.stepId}" failed${stopped}: ${oneLine(first.message)}${also}`,
    outputLocation === 'stdout' ? `details in state.errors["${first.stepId}"]` : `details in state.errors["${first.stepId}"] of ${outputLocation}`,
  );
}

/** Whitespace collapsed and bounded: adaptor and zod errors span lines and carry whole bodies. */
export function oneLine(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
