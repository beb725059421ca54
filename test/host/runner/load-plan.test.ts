import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../../lib/host/runner/load-plan.ts';
import { applyCredentials, loadCredentialMap } from '../../../lib/host/runner/apply-credentials.ts';
import { resolveStepRange } from '../../../lib/host/runner/step-range.ts';
import { parseAdaptorSpecifier } from '../../../lib/host/runner/adaptor-specifier.ts';
import { isUserError, type UserError } from '../../../lib/errors.ts';
import { captureLogger, fixture } from '../../support/capture-logger.ts';

async function tempWorkflow(content: unknown, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'runner-plan-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  const file = path.join(dir, 'workflow.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** The UserError message a load fails with (one line, no stack). */
async function loadError(file: string): Promise<string> {
  const error = await loadPlan(file, captureLogger().logger).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUserError(error)).toBe(true);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('loadPlan', () => {
  it('reads the {workflow, options} shape and resolves paths against the workflow folder', async () => {
    const plan = await loadPlan(fixture('two-step/workflow.json'), captureLogger().logger);
    expect(plan.name).toBe('two-step');
    expect(plan.steps.map((s) => s.id)).toEqual(['first', 'second', 'empty']);
    const first = plan.steps[0];
    expect(first?.kind).toBe('job');
    if (first?.kind !== 'job') throw new Error('unreachable');
    expect(first.expressionPath).toBe(path.resolve(fixture('two-step/first.js')));
    expect(first.adaptors).toEqual(['@openfn/language-fixture']);
    expect(first.configuration).toBe('fixture-credential');
    expect(plan.adaptorPaths['@openfn/language-fixture']).toBe(path.resolve(fixture('adaptors/language-fixture')));
  });

  it('reads the bare {steps} shape, names anonymous steps, loads state and configuration files', async () => {
    const file = await tempWorkflow(
      { start: 'b', options: { timeout: 1000 }, steps: [{ expression: './a.js', next: 'b' }, { id: 'b', expression: './b.mjs', state: './defaults.json', configuration: './config.json' }] },
      { 'a.js': 'export default [];', 'b.mjs': 'export default [];', 'defaults.json': '{"data":{"x":1}}', 'config.json': '{"url":"http://x"}' },
    );
    const plan = await loadPlan(file, captureLogger().logger);
    expect(plan.steps.map((s) => s.id)).toEqual(['job-1', 'b']);
    expect(plan.options).toEqual({ start: 'b', timeout: 1000 });
    const [a, b] = plan.steps;
    expect(a?.kind === 'job' && a.expressionPath).toBe(path.join(path.dirname(file), 'a.js'));
    expect(b?.kind === 'job' && b.state).toEqual({ data: { x: 1 } });
    expect(b?.kind === 'job' && b.configuration).toEqual({ url: 'http://x' });
  });

  it('runs built JavaScript only: an inline expression or a TypeScript job is refused, naming the step and the way out', async () => {
    expect(await loadError(await tempWorkflow({ steps: [{ id: 'inline', expression: 'export default []' }] }))).toMatch(
      /step "inline" in .*workflow\.json: expression must be the path of a built JavaScript job$/,
    );
    const ts = await tempWorkflow({ steps: [{ id: 'typed', expression: './job.ts' }] }, { 'job.ts': 'export default [];' });
    const error = await loadPlan(ts, captureLogger().logger).catch((e: unknown) => e as UserError);
    expect((error as UserError).message).toMatch(/step "typed" in .*: \.\/job\.ts is TypeScript; the runner runs built JavaScript$/);
    expect((error as UserError).hint).toMatch(/npm run build/);
  });

  it('refuses the old {jobs} shape, naming what it expects', async () => {
    expect(await loadError(await tempWorkflow({ jobs: [{ id: 'a', expression: './a.js' }] }))).toMatch(/has no "workflow" or "steps" key/);
  });

  it('keeps expression-less steps as pass-through triggers and exposes the cron expression', async () => {
    const plan = await loadPlan(fixture('triggers/workflow.json'), captureLogger().logger);
    expect(plan.triggers).toEqual([
      { kind: 'trigger', id: 'cron', type: 'cron', cron: '0 2 1 1,4,7,10 *', enabled: true, next: { init: true } },
      { kind: 'trigger', id: 'inbox', type: 'webhook', enabled: true, next: { fetch: true } },
    ]);
    expect(plan.steps.filter((s) => s.kind === 'job').map((s) => s.id)).toEqual(['init', 'fetch']);
  });

  it('names the file when the workflow is missing, unparsable or malformed', async () => {
    expect(await loadError(fixture('nowhere/workflow.json'))).toMatch(/cannot read workflow .*nowhere\/workflow\.json: file not found/);
    expect(await loadError(fixture('bad-input/unparsable.json'))).toMatch(/workflow .*unparsable\.json is not valid JSON/);
    expect(await loadError(await tempWorkflow('[1, 2]'))).toMatch(/workflow\.json must be a JSON object/);
    expect(await loadError(await tempWorkflow({ steps: [] }))).toMatch(/workflow\.json is invalid: steps: a workflow needs at least one step/);
    expect(await loadError(await tempWorkflow({ workflow: { steps: [{ id: 'a', next: 5 }] } }))).toMatch(/is invalid: workflow\.steps\.0\.next/);
  });

  it('names the expression file that does not exist', async () => {
    expect(await loadError(fixture('bad-input/missing-expression.json'))).toMatch(
      /step "ghost" in .*missing-expression\.json: expression file .*bad-input\/does-not-exist\.js not found/,
    );
  });

  it('rejects edges to unknown steps, cycles, bad conditions, duplicate ids and unknown start steps', async () => {
    expect(await loadError(fixture('bad-input/bad-edge.json'))).toMatch(/step "a" has an edge to unknown step "nowhere"/);
    const job = path.resolve(fixture('crash/ok.js'));
    expect(await loadError(await tempWorkflow({ steps: [{ id: 'a', expression: job, next: 'b' }, { id: 'b', expression: job, next: { a: true } }] }))).toMatch(
      /steps form a cycle: a -> b -> a/,
    );
    expect(await loadError(await tempWorkflow({ steps: [{ id: 'a', expression: job, next: { b: 'state.data.(' } }, { id: 'b', expression: job }] }))).toMatch(
      /edge a -> b has an invalid condition/,
    );
    expect(await loadError(await tempWorkflow({ steps: [{ id: 'a', expression: job }, { id: 'a', expression: job }] }))).toMatch(/step id "a" is used twice/);
    expect(await loadError(await tempWorkflow({ workflow: { steps: [{ id: 'a', expression: job }] }, options: { start: 'zz' } }))).toMatch(
      /options\.start names unknown step "zz"/,
    );
  });
});

describe('credentials', () => {
  it('replaces a credential id with its configuration and drops unmapped ids with a warning', async () => {
    const plan = await loadPlan(fixture('two-step/workflow.json'), captureLogger().logger);
    const map = await loadCredentialMap(fixture('two-step/creds.json'));
    const applied = applyCredentials(plan, map, captureLogger().logger);
    const first = applied.steps[0];
    expect(first?.kind === 'job' && first.configuration).toEqual({ apiKey: 'fixture-secret' });

    const { logger, lines } = captureLogger();
    const unmapped = applyCredentials(plan, {}, logger);
    expect(unmapped.steps[0]?.kind === 'job' && 'configuration' in unmapped.steps[0]).toBe(false);
    expect(lines.join('\n')).toMatch(/credential "fixture-credential" is not in the credential map/);
  });

  it('names a credentials file that is not JSON or not a map', async () => {
    await expect(loadCredentialMap(fixture('bad-input/not-json-credentials.txt'))).rejects.toThrow(/credentials file .*not-json-credentials\.txt is not valid JSON/);
    // V8's message would quote the file's text, which may be a password.
    const secret = await import('node:fs/promises').then((fs) => fs.readFile(fixture('bad-input/not-json-credentials.txt'), 'utf8'));
    const message = await loadCredentialMap(fixture('bad-input/not-json-credentials.txt')).then(() => '', (e: Error) => e.message);
    expect(message).toMatch(/at line \d+, column \d+$|unexpected end or token$/);
    expect(message).not.toContain(secret.trim().slice(0, 6));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'runner-creds-'));
    await writeFile(path.join(dir, 'c.json'), '{"primero": "not an object"}');
    await expect(loadCredentialMap(path.join(dir, 'c.json'))).rejects.toThrow(/credential "primero" must be an object/);
  });
});

describe('step selection', () => {
  it('maps --only to start = end and rejects unknown steps with the list of known ones', async () => {
    const plan = await loadPlan(fixture('two-step/workflow.json'), captureLogger().logger);
    expect(resolveStepRange(plan, { only: 'second' })).toEqual({ start: 'second', end: 'second' });
    expect(resolveStepRange(plan, { start: 'second' })).toEqual({ start: 'second' });
    expect(() => resolveStepRange(plan, { start: 'nope' })).toThrow('unknown step "nope" for --start');
    expect(() => resolveStepRange(plan, { end: 'nope' })).toThrow('unknown step "nope" for --end');
  });
});

describe('small rules', () => {
  it('expands adaptor shorthands like the OpenFn CLI', () => {
    expect(parseAdaptorSpecifier('primero')).toEqual({ name: '@openfn/language-primero' });
    expect(parseAdaptorSpecifier('http@7.2.10')).toEqual({ name: '@openfn/language-http', version: '7.2.10' });
    expect(parseAdaptorSpecifier('@openfn/language-postgresql@8.1.2')).toEqual({ name: '@openfn/language-postgresql', version: '8.1.2' });
    expect(parseAdaptorSpecifier('fixture=./a/b')).toEqual({ name: '@openfn/language-fixture', path: './a/b' });
  });
});
