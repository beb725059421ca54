import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const fixture = (p: string) => path.join('test/fixtures/runner', p);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a user would (through the launcher, no Node flags), never throwing on a non-zero exit. */
const cli = (...args: string[]): Promise<CliResult> => cliWith({}, ...args);

async function cliWith(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['bin/primero-ona.mjs', 'run', ...args], {
      env: { ...process.env, PRIMERO_ONA_LOG_LEVEL: 'info', ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'cli-run-'));
const stateFile = async (dir: string, state: object) => {
  const file = path.join(dir, 'state.json');
  await writeFile(file, JSON.stringify(state));
  return file;
};
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
/** The lines a user reads on stderr for a bad-input error: one message, one hint. */
const errorLines = (r: CliResult) => r.stderr.trim().split('\n').filter((l) => l.startsWith('primero-ona:') || l.startsWith('  '));

describe('primero-ona run', () => {
  it('runs the two-step workflow: state flows, the conditional edge is taken, configuration is stripped', async () => {
    const out = path.join(await tmp(), 'out.json');
    const r = await cli(fixture('two-step/workflow.json'), '-s', fixture('two-step/state.json'), '-c', fixture('two-step/creds.json'), '-o', out);
    expect(r.stderr).toContain('step first completed');
    expect(r.stderr).toContain('[second] doubling 5');
    expect(r.code).toBe(0);
    const state = await readJson(out);
    expect(state).toEqual({
      data: { count: 5, hadCredential: true, adaptorExecute: 'entered', doubled: 10 },
      adaptorExecute: 'completed',
      secondSawConfiguration: false,
    });
    expect(state).not.toHaveProperty('configuration');
    expect(await readFile(out, 'utf8')).not.toContain('fixture-secret');
  });

  it('writes output.json next to the workflow by default and strips configuration from the input too', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'workflow.json'), JSON.stringify({ steps: [{ id: 'only', expression: './job.js' }] }));
    await writeFile(path.join(dir, 'job.js'), 'export default [(s) => ({ ...s, sawUrl: s.configuration.url })];\n');
    await writeFile(path.join(dir, 'state.json'), JSON.stringify({ data: { a: 1 }, configuration: { url: 'http://secret.example' } }));
    const r = await cli(path.join(dir, 'workflow.json'), '-s', path.join(dir, 'state.json'));
    expect(r.code).toBe(0);
    expect(await readJson(path.join(dir, 'output.json'))).toEqual({ data: { a: 1 }, sawUrl: 'http://secret.example' });
  });

  it('prints the final state on stdout with -O and runs a single step with --only', async () => {
    const r = await cli(fixture('two-step/workflow.json'), '-O', '--only', 'second', '-s', fixture('two-step/state.json'));
    expect(r.code).toBe(0);
    // --only second: its input is the state file, so count is missing and doubled is NaN -> null in JSON
    expect(JSON.parse(r.stdout)).toEqual({ data: { start: 5, doubled: null }, adaptorExecute: 'completed', secondSawConfiguration: false });
  });

  it('exits non-zero with one line naming the step when a step throws; state.errors has it', async () => {
    const out = path.join(await tmp(), 'out.json');
    const r = await cli(fixture('failing/workflow.json'), '-o', out);
    expect(r.code).toBe(1);
    expect(errorLines(r)[0]).toBe('primero-ona: step "boom" failed: no cases could be fetched');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const state = await readJson(out);
    expect(state.errors).toMatchObject({ boom: { name: 'JobError', message: 'no cases could be fetched' } });
    expect(state.recovered).toBe(true);
  });

  it('exits non-zero when the run aborts (crash severity)', async () => {
    const out = path.join(await tmp(), 'out.json');
    const r = await cli(fixture('crash/workflow.json'), '-o', out);
    expect(r.code).toBe(1);
    expect(errorLines(r)[0]).toBe('primero-ona: step "crash" failed (run aborted): Failed to import module "@openfn/language-missing"');
    expect((await readJson(out)).errors).toHaveProperty('crash');
  });

  it('refuses a TypeScript job in one line that says to build it', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'workflow.json'), JSON.stringify({ workflow: { steps: [{ id: 'typed', expression: './job.ts' }] } }));
    await writeFile(path.join(dir, 'job.ts'), 'export default [(state: any) => state];\n');
    const r = await cli(path.join(dir, 'workflow.json'));
    expect(r.code).toBe(1);
    const [message, hint] = errorLines(r);
    expect(message).toMatch(/^primero-ona: step "typed" in .*workflow\.json: \.\/job\.ts is TypeScript; the runner runs built JavaScript$/);
    expect(hint).toMatch(/npm run build/);
  });

  it('stops a run past BATCH_TIMEOUT_SECONDS in one line naming the setting; nothing is written', async () => {
    const dir = await tmp();
    const r = await cliWith({ BATCH_TIMEOUT_SECONDS: '2' }, fixture('limits/workflow.json'), '-o', path.join(dir, 'out.json'), '-s', await stateFile(dir, { data: { mode: 'wait' } }));
    expect(r.code).toBe(1);
    expect(errorLines(r)[0]).toBe('primero-ona: the run stopped after 2 s in step "work" (BATCH_TIMEOUT_SECONDS)');
    await expect(readFile(path.join(dir, 'out.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  describe('bad input: one line naming the file, non-zero exit, no stack trace', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['missing workflow', [fixture('nowhere/workflow.json')], /^primero-ona: cannot read workflow test\/fixtures\/runner\/nowhere\/workflow\.json: file not found$/],
      ['unparsable workflow', [fixture('bad-input/unparsable.json')], /^primero-ona: workflow test\/fixtures\/runner\/bad-input\/unparsable\.json is not valid JSON: /],
      ['missing expression file', [fixture('bad-input/missing-expression.json')], /^primero-ona: step "ghost" in .*missing-expression\.json: expression file test\/fixtures\/runner\/bad-input\/does-not-exist\.js not found$/],
      ['credentials not JSON', [fixture('two-step/workflow.json'), '-c', fixture('bad-input/not-json-credentials.txt')], /^primero-ona: credentials file test\/fixtures\/runner\/bad-input\/not-json-credentials\.txt is not valid JSON: /],
      ['missing state file', [fixture('two-step/workflow.json'), '-s', fixture('two-step/nope.json')], /^primero-ona: cannot read state file test\/fixtures\/runner\/two-step\/nope\.json: file not found$/],
      ['unknown --only step', [fixture('two-step/workflow.json'), '--only', 'nope'], /^primero-ona: unknown step "nope" for --only$/],
      ['unknown --start step', [fixture('two-step/workflow.json'), '--start', 'nope'], /^primero-ona: unknown step "nope" for --start$/],
    ];
    it.each(cases)('%s', async (_name, args, expected) => {
      const r = await cli(...args);
      expect(r.code).toBe(1);
      const [message, hint, ...rest] = errorLines(r);
      expect(message).toMatch(expected);
      expect(hint).toMatch(/^  \S/);
      expect(rest).toEqual([]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it('shows the stack trace with --verbose', async () => {
      const r = await cli(fixture('bad-input/unparsable.json'), '--verbose');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/\n\s+at /);
    });
  });

  it('--cache-steps keeps each step output under .cli-cache/<workflow>/ (cleared first, git-ignored); --start without -s takes the upstream output', async () => {
    const dir = await tmp();
    // The two-step fixture, its paths made absolute, in a folder of its own.
    const src = path.resolve(fixture('two-step'));
    const plan = JSON.parse(await readFile(path.join(src, 'workflow.json'), 'utf8'));
    for (const step of plan.workflow.steps) {
      step.expression = path.join(src, step.expression);
      step.adaptors = step.adaptors.map((a: string) => a.replace('=../', `=${path.resolve(src, '..')}/`));
    }
    const workflow = path.join(dir, 'workflow.json');
    await writeFile(workflow, JSON.stringify(plan));
    const cache = path.join(dir, '.cli-cache');
    await mkdir(path.join(cache, 'two-step'), { recursive: true });
    await writeFile(path.join(cache, 'two-step/stale.json'), '{}');
    const r = await cli(workflow, '--cache-steps', '-s', fixture('two-step/state.json'), '-c', fixture('two-step/creds.json'), '-o', path.join(dir, 'out.json'));
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(path.join(cache, 'two-step'))).sort()).toEqual(['first.json', 'second.json']);
    expect(await readFile(path.join(cache, '.gitignore'), 'utf8')).toBe('*');
    const first = await readJson(path.join(cache, 'two-step/first.json'));
    expect(first.data).toMatchObject({ count: 5 });
    expect(first).not.toHaveProperty('configuration');
    expect(await readFile(path.join(cache, 'two-step/first.json'), 'utf8')).not.toContain('fixture-secret');
    // The second step alone, on the first step's cached output (count 5 -> doubled 10), no -s.
    const again = await cli(workflow, '--start', 'second', '-O');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/input of second: the cached output of step first/);
    expect(JSON.parse(again.stdout).data).toMatchObject({ count: 5, doubled: 10 });
    // The project's own .cli-cache/ folders are ignored by git.
    const { stdout } = await exec('git', ['check-ignore', '.cli-cache/workflow/fetch.json']);
    expect(stdout.trim()).toBe('.cli-cache/workflow/fetch.json');
  });
});
