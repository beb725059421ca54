import { afterEach, describe, expect, it } from 'vitest';
import { createRunner, type RunnerEvent } from '../../../lib/host/runner/runner.ts';
import { BatchLimitError, createIsolatedRunner, type IsolatedRunner } from '../../../lib/host/runner/isolated-runner.ts';
import { loadCredentialMap } from '../../../lib/host/runner/apply-credentials.ts';
import { captureLogger, fixture } from '../../support/capture-logger.ts';

/**
 * Each workflow run in a worker thread with a heap and a time limit: the same
 * results, events and log lines as in-process, and a run that hangs or grows
 * without bound is that run's failure while the next run goes on.
 */
const limits = fixture('limits/workflow.json');
let runner: IsolatedRunner | undefined;
afterEach(async () => {
  await runner?.close();
  runner = undefined;
});

describe('createIsolatedRunner', () => {
  it('gives the in-process runner\'s state, events and log lines', async () => {
    const workflowPath = fixture('two-step/workflow.json');
    const credentials = await loadCredentialMap(fixture('two-step/creds.json'));
    const inProcess = captureLogger();
    const events: RunnerEvent[] = [];
    const expected = await (await createRunner({ workflowPath, logger: inProcess.logger })).execute({ data: { start: 4 } }, { credentials });
    const isolated = captureLogger();
    runner = await createIsolatedRunner({ workflowPath, logger: isolated.logger, limits: { memoryMb: 128, timeoutSeconds: 60 } });
    const result = await runner.execute({ data: { start: 4 } }, { credentials, onEvent: (e) => void events.push(e) });
    expect(result).toEqual(expected);
    expect(events.map((e) => `${e.type}:${e.stepId}`)).toEqual(['step-start:first', 'step-complete:first', 'step-start:second', 'step-complete:second']);
    expect(isolated.lines).toEqual(inProcess.lines);
    expect(isolated.lines).toContain('[second] doubling 4');
  });

  for (const mode of ['wait', 'spin'] as const) {
    it(`stops a run that ${mode === 'wait' ? 'waits' : 'spins'} forever at its time limit, and runs the next one`, async () => {
      const { logger } = captureLogger();
      runner = await createIsolatedRunner({ workflowPath: limits, logger, limits: { memoryMb: 128, timeoutSeconds: 3 } });
      expect((await runner.execute({ data: { mode: 'ok', n: 1 } })).state.data).toEqual({ done: 'ok', n: 1 });
      const started = Date.now();
      const stopped = await runner.execute({ data: { mode } }).catch((e: unknown) => e);
      expect(stopped).toBeInstanceOf(BatchLimitError);
      expect((stopped as BatchLimitError).message).toBe('stopped after 3 s in step "work" (BATCH_TIMEOUT_SECONDS)');
      expect(Date.now() - started).toBeLessThan(6000);
      expect((await runner.execute({ data: { mode: 'ok', n: 2 } })).state.data).toEqual({ done: 'ok', n: 2 });
    });
  }

  it('fails a run that outgrows its memory limit, not the process, and runs the next one', async () => {
    const { logger } = captureLogger();
    runner = await createIsolatedRunner({ workflowPath: limits, logger, limits: { memoryMb: 64, timeoutSeconds: 60 } });
    const failed = await runner.execute({ data: { mode: 'grow' } }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(BatchLimitError);
    expect((failed as BatchLimitError).message).toBe('ran out of its 64 MB memory limit in step "work" (BATCH_MEMORY_MB)');
    expect((await runner.execute({ data: { mode: 'ok', n: 3 } })).state.data).toEqual({ done: 'ok', n: 3 });
  });

  it('reuses one worker while runs end cleanly', async () => {
    const { logger, lines } = captureLogger('debug');
    runner = await createIsolatedRunner({ workflowPath: limits, logger, limits: { memoryMb: 128, timeoutSeconds: 60 } });
    for (let n = 0; n < 3; n++) await runner.execute({ data: { mode: 'ok', n } });
    // The workflow is loaded (and its jobs instantiated) once per worker.
    expect(lines.filter((l) => /loaded workflow/.test(l))).toHaveLength(1);
  });

  it('starts its worker at once: it has loaded the workflow before the first run is asked for', async () => {
    const { logger, lines } = captureLogger('debug');
    runner = await createIsolatedRunner({ workflowPath: limits, logger, limits: { memoryMb: 128, timeoutSeconds: 60 } });
    await expect.poll(() => lines.some((l) => /loaded workflow/.test(l)), { timeout: 20_000 }).toBe(true);
    expect((await runner.execute({ data: { mode: 'ok', n: 1 } })).state.data).toEqual({ done: 'ok', n: 1 });
  });

});
