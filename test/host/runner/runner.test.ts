import path from 'node:path';
import { getModuleEntryPoint } from '@openfn/runtime';
import { describe, expect, it } from 'vitest';
import { createRunner, type RunnerEvent } from '../../../lib/host/runner/runner.ts';
import { adaptorModules, type AdaptorModules } from '../../../lib/host/runner/adaptor-modules.ts';
import { loadCredentialMap } from '../../../lib/host/runner/apply-credentials.ts';
import { isUserError } from '../../../lib/errors.ts';
import { captureLogger, fixture } from '../../support/capture-logger.ts';

const twoStep = fixture('two-step/workflow.json');

describe('createRunner + execute through @openfn/runtime', () => {
  it('passes state from step to step along a true condition, with credentials and the adaptor execute', async () => {
    const { logger, lines } = captureLogger();
    const runner = await createRunner({ workflowPath: twoStep, logger });
    const events: RunnerEvent[] = [];
    const credentials = await loadCredentialMap(fixture('two-step/creds.json'));
    const result = await runner.execute({ data: { start: 4 } }, { credentials, onEvent: (e) => void events.push(e) });

    expect(result.failures).toEqual([]);
    expect(result.steps).toEqual(['first', 'second']);
    expect(result.state).toEqual({
      // first: read input + credential; the fixture adaptor's execute wrapped its operations
      data: { count: 4, hadCredential: true, adaptorExecute: 'entered', doubled: 8 },
      adaptorExecute: 'completed',
      // second never sees the credential: the runtime strips configuration after each step
      secondSawConfiguration: false,
    });
    expect(result.state).not.toHaveProperty('configuration');
    expect(events.map((e) => `${e.type}:${e.stepId}`)).toEqual(['step-start:first', 'step-complete:first', 'step-start:second', 'step-complete:second']);
    expect(events[1]).toMatchObject({ type: 'step-complete', next: ['second'] });
    // the job's console goes to our logger, prefixed with the step id
    expect(lines).toContain('[second] doubling 4');
    expect(lines.join('\n')).not.toContain('fixture-secret');
  });

  it('follows the other conditional edge when its condition holds', async () => {
    const runner = await createRunner({ workflowPath: twoStep, logger: captureLogger().logger });
    const result = await runner.execute({ data: { start: 0 } });
    expect(result.steps).toEqual(['first', 'empty']);
    expect(result.state.data).toMatchObject({ count: 0, empty: true, hadCredential: false });
  });

  it('executes the same runner many times with independent inputs', async () => {
    const runner = await createRunner({ workflowPath: twoStep, logger: captureLogger().logger });
    const input = { data: { start: 2 } };
    const results = await Promise.all([1, 2, 3].map((n) => runner.execute({ data: { start: n } })));
    expect(results.map((r) => (r.state.data as { doubled: number }).doubled)).toEqual([2, 4, 6]);
    await runner.execute(input);
    expect(input).toEqual({ data: { start: 2 } });
  });

  it("passes its state limit to the runtime: over it a step fails; 0 turns the runtime's check off", async () => {
    // Top level: the fixture's first step keeps what it does not replace.
    const big = { data: { start: 3 }, padding: 'x'.repeat(64 * 1024) };
    const limited = await createRunner({ workflowPath: twoStep, logger: captureLogger().logger, stateLimitMb: 0.01 });
    const refused = await limited.execute(big);
    expect(refused.failures[0]).toMatchObject({ stepId: 'first', name: 'StateTooLargeError' });
    const unchecked = await createRunner({ workflowPath: twoStep, logger: captureLogger().logger, stateLimitMb: 0 });
    const passed = await unchecked.execute(big);
    expect(passed.failures).toEqual([]);
    expect((passed.state.data as { doubled: number }).doubled).toBe(6);
  });

  it('honours --only, --start and --end', async () => {
    const runner = await createRunner({ workflowPath: twoStep, logger: captureLogger().logger });
    const only = await runner.execute({ data: { count: 21 } }, { only: 'second' });
    expect(only.steps).toEqual(['second']);
    expect(only.state.data).toEqual({ count: 21, doubled: 42 });
    const end = await runner.execute({ data: { start: 1 } }, { end: 'first' });
    expect(end.steps).toEqual(['first']);
    await expect(runner.execute({}, { start: 'nope' })).rejects.toSatisfy(isUserError);
  });

  it('records a throwing step in state.errors and failures, and follows on_job_failure', async () => {
    const runner = await createRunner({ workflowPath: fixture('failing/workflow.json'), logger: captureLogger().logger });
    const events: RunnerEvent[] = [];
    const result = await runner.execute({ data: {} }, { onEvent: (e) => void events.push(e) });
    expect(result.failures).toEqual([{ stepId: 'boom', name: 'JobError', message: 'no cases could be fetched', severity: 'fail' }]);
    expect(result.steps).toEqual(['boom', 'recover']);
    expect(result.state).toMatchObject({ recovered: true, errors: { boom: { name: 'JobError', message: 'no cases could be fetched', severity: 'fail' } } });
    expect(events.find((e) => e.type === 'step-error')).toMatchObject({ stepId: 'boom', next: ['recover'], failure: { message: 'no cases could be fetched' } });
  });

  it('reports a crash (the runtime aborts the run) as a failure of that step, keeping state.errors', async () => {
    const runner = await createRunner({ workflowPath: fixture('crash/workflow.json'), logger: captureLogger().logger });
    const result = await runner.execute();
    expect(result.steps).toEqual(['first', 'crash']);
    expect(result.failures).toEqual([{ stepId: 'crash', name: 'ImportError', message: 'Failed to import module "@openfn/language-missing"', severity: 'crash' }]);
    expect(result.state).toMatchObject({ data: { first: 'ran' }, errors: { crash: { name: 'ImportError', severity: 'crash' } } });
  });

  it('stops a step that runs past its timeout without keeping the process busy', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const dir = await mkdtemp(path.join((await import('node:os')).tmpdir(), 'runner-timeout-'));
    await writeFile(path.join(dir, 'slow.js'), 'export default [(s) => new Promise((r) => setTimeout(() => r(s), 1500))];\n');
    await writeFile(path.join(dir, 'workflow.json'), JSON.stringify({ steps: [{ id: 'slow', expression: './slow.js' }] }));
    const runner = await createRunner({ workflowPath: path.join(dir, 'workflow.json'), logger: captureLogger().logger, timeoutMs: 100 });
    const started = Date.now();
    const result = await runner.execute();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.failures).toEqual([{ stepId: 'slow', name: 'TimeoutError', message: 'Job took longer than 100ms to complete', severity: 'kill' }]);
  });

  it('resolves the installed common and http adaptors through the linker', async () => {
    const runner = await createRunner({ workflowPath: fixture('installed-adaptors/workflow.json'), logger: captureLogger().logger });
    const result = await runner.execute({ data: { value: 'from state' } });
    expect(result.failures).toEqual([]);
    expect(result.state.data).toEqual({ fromCommon: 'from state', httpPost: 'function' });
  });

  it('instantiates the jobs when warmed, once for every run; a job that cannot load is its run\'s failure', async () => {
    const { logger, lines } = captureLogger();
    const runner = await createRunner({ workflowPath: fixture('warm/workflow.json'), logger });
    await runner.warm();
    expect(lines).toEqual(['[loaded] job module evaluated']);
    for (let n = 0; n < 2; n++) {
      const result = await runner.execute({ data: {} });
      expect(result.steps).toEqual(['loaded', 'missing']);
      expect(result.failures).toMatchObject([{ stepId: 'missing', name: 'ImportError', message: 'Failed to import module "@openfn/language-missing"' }]);
    }
    expect(lines.filter((l) => l.includes('job module evaluated'))).toHaveLength(1);
  });

  it('passes through trigger steps, and starts at a given step (the sync starts at fetch)', async () => {
    const runner = await createRunner({ workflowPath: fixture('triggers/workflow.json'), logger: captureLogger().logger });
    expect(runner.plan.triggers.find((t) => t.type === 'cron')?.cron).toBe('0 2 1 1,4,7,10 *');
    const fromCron = await runner.execute({ data: {} });
    expect(fromCron.steps).toEqual(['init', 'fetch']);
    expect(fromCron.state.data).toEqual({ init: true, fetched: true });
    const fromInbox = await runner.execute({ data: { page: 2 } }, { start: 'fetch' });
    expect(fromInbox.steps).toEqual(['fetch']);
    expect(fromInbox.state.data).toEqual({ page: 2, fetched: true });
  });
});

describe('adaptorModules', () => {
  // The runtime's own entry-point lookup, as the linker performs it.
  const entry = async (modules: AdaptorModules, name: string) => (await getModuleEntryPoint(name, modules[name]?.path))?.path;
  const root = process.cwd();

  it('links the pre-linked build of all four adaptors by default', async () => {
    const modules = adaptorModules();
    for (const name of ['primero', 'postgresql', 'common', 'http']) {
      expect(await entry(modules, `@openfn/language-${name}`)).toBe(path.join(root, `dist/linked-adaptors/@openfn/language-${name}/index.js`));
    }
  });

  it('as installed: the stand-ins as built packages, the official ones from node_modules', async () => {
    const modules = adaptorModules({}, 'installed');
    expect(await entry(modules, '@openfn/language-primero')).toBe(path.join(root, 'dist/adaptors/@openfn/language-primero/index.js'));
    expect(await entry(modules, '@openfn/language-postgresql')).toBe(path.join(root, 'dist/adaptors/@openfn/language-postgresql/index.js'));
    expect(await entry(modules, '@openfn/language-common')).toBe(path.join(root, 'node_modules/@openfn/language-common/dist/index.js'));
    expect(await entry(modules, '@openfn/language-http')).toBe(path.join(root, 'node_modules/@openfn/language-http/dist/index.js'));
  });

  it('lets overrides replace or add adaptors', () => {
    expect(adaptorModules({ '@openfn/language-primero': 'test/x' })['@openfn/language-primero']).toEqual({ path: path.resolve('test/x') });
  });
});
