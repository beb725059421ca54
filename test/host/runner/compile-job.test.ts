import { mkdir, mkdtemp, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { MAX_ENTRIES } from '../../../lib/host/runner/compile-disk-cache.ts';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileJob, createCompileCache } from '../../../lib/host/runner/compile-job.ts';
import { compileSteps } from '../../../lib/host/runner/compile-steps.ts';
import { loadPlan } from '../../../lib/host/runner/load-plan.ts';
import { createRunner } from '../../../lib/host/runner/runner.ts';
import { captureLogger, fixture } from '../../support/capture-logger.ts';

describe('compileJob', () => {
  it('bundles relative imports and zod into one ESM source, leaving @openfn/* to the linker', async () => {
    const { code, inputs, sourceMap } = await compileJob({ file: fixture('two-step/second.ts') }, createCompileCache());
    expect(code).toMatch(/from "@openfn\/language-fixture"/);
    expect(code).toContain('n * 2'); // lib/double.ts is inlined
    expect(code).not.toMatch(/from ["']\.\.?\//);
    expect([...inputs].sort()).toEqual([path.resolve(fixture('lib/double.ts')), path.resolve(fixture('two-step/second.ts'))]);
    expect(sourceMap).toHaveProperty('mappings');

    const zod = await compileJob({ file: fixture('zod-job/validate.ts') }, createCompileCache());
    expect(zod.code).not.toMatch(/from ["']zod/);
    expect(zod.code).toContain('invalid_type');
  });

  it('compiles each job once per process and again only when a bundled file changes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'runner-cache-'));
    const job = path.join(dir, 'job.ts');
    const helper = path.join(dir, 'helper.ts');
    await writeFile(helper, 'export const n = 1;\n');
    await writeFile(job, "import { n } from './helper.ts';\nexport default [(s: any) => ({ ...s, n })];\n");
    const cache = createCompileCache();

    const first = await compileJob({ file: job }, cache);
    const again = await compileJob({ file: job }, cache);
    expect(again).toBe(first);
    expect(cache.stats).toEqual({ builds: 1, hits: 1, diskHits: 0 });

    // Editing a bundled helper (not the job itself) must invalidate the entry.
    await writeFile(helper, 'export const n = 2;\n');
    const later = new Date(Date.now() + 5_000);
    await utimes(helper, later, later);
    const rebuilt = await compileJob({ file: job }, cache);
    expect(cache.stats).toEqual({ builds: 2, hits: 1, diskHits: 0 });
    expect(rebuilt.code).toContain('n = 2');

    // ...and so must editing the job file.
    await writeFile(job, "import { n } from './helper.ts';\nexport default [(s: any) => ({ ...s, m: n })];\n");
    const evenLater = new Date(Date.now() + 10_000);
    await utimes(job, evenLater, evenLater);
    expect((await compileJob({ file: job }, cache)).code).toContain('m: n');
    expect(cache.stats).toEqual({ builds: 3, hits: 1, diskHits: 0 });
  });

  it('keeps compiled jobs on disk for the next process, and rebuilds when the content of a bundled file changes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'runner-disk-'));
    const cacheDir = path.join(dir, 'cache');
    const job = path.join(dir, 'job.ts');
    const helper = path.join(dir, 'helper.ts');
    await writeFile(helper, 'export const n = 1;\n');
    await writeFile(job, "import { n } from './helper.ts';\nexport default [(s: any) => ({ ...s, n })];\n");

    const first = createCompileCache({ dir: cacheDir });
    const built = await compileJob({ file: job }, first);
    expect(first.stats).toEqual({ builds: 1, hits: 0, diskHits: 0 });

    // A new process (a new memory cache) finds it on disk: no esbuild.
    const second = createCompileCache({ dir: cacheDir });
    const stored = await compileJob({ file: job }, second);
    expect(second.stats).toEqual({ builds: 0, hits: 0, diskHits: 1 });
    expect(stored.code).toBe(built.code);
    expect(stored.sourceMap).toEqual(built.sourceMap);
    expect([...stored.inputs].sort()).toEqual([...built.inputs].sort());

    // Same length, same mtime, other content: still rebuilt (content hashes, not timestamps).
    const { mtime } = await stat(helper);
    await writeFile(helper, 'export const n = 7;\n');
    await utimes(helper, mtime, mtime);
    const third = createCompileCache({ dir: cacheDir });
    expect((await compileJob({ file: job }, third)).code).toContain('n = 7');
    expect(third.stats).toEqual({ builds: 1, hits: 0, diskHits: 0 });

    // A damaged entry is a miss, not an error.
    for (const f of await readdir(cacheDir)) await writeFile(path.join(cacheDir, f), '{"format": 1, "code": ');
    const fourth = createCompileCache({ dir: cacheDir });
    expect((await compileJob({ file: job }, fourth)).code).toContain('n = 7');
    expect(fourth.stats).toEqual({ builds: 1, hits: 0, diskHits: 0 });
  });

  it('keeps at most MAX_ENTRIES compiled jobs on disk, the newest', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'runner-prune-'));
    const cacheDir = path.join(dir, 'cache');
    await mkdir(cacheDir);
    const old = new Date(Date.now() - 3_600_000);
    for (let i = 0; i < MAX_ENTRIES; i++) {
      await writeFile(path.join(cacheDir, `old-${i}.json`), '{}');
      await utimes(path.join(cacheDir, `old-${i}.json`), old, old);
    }
    await writeFile(path.join(dir, 'job.ts'), 'export default [(s: any) => s];\n');
    await compileJob({ file: path.join(dir, 'job.ts') }, createCompileCache({ dir: cacheDir }));
    const left = await readdir(cacheDir);
    expect(left).toHaveLength(MAX_ENTRIES);
    expect(left.filter((n) => !n.startsWith('old-'))).toHaveLength(1);
    const next = createCompileCache({ dir: cacheDir });
    await compileJob({ file: path.join(dir, 'job.ts') }, next);
    expect(next.stats.diskHits).toBe(1);
  });

  it('compiles without a cache folder it cannot write', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'runner-nodisk-'));
    const blocker = path.join(dir, 'not-a-dir');
    await writeFile(blocker, 'a file where the cache folder would go');
    await writeFile(path.join(dir, 'job.ts'), 'export default [(s: any) => s];\n');
    const cache = createCompileCache({ dir: path.join(blocker, 'cache') });
    expect((await compileJob({ file: path.join(dir, 'job.ts') }, cache)).code).toContain('export');
    expect(cache.stats.builds).toBe(1);
  });

  it('reports a TypeScript syntax error with the file, line and column of the source', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'runner-broken-'));
    const job = path.join(dir, 'broken.ts');
    await writeFile(job, "const total: number = 1;\n\nexport default [(state: any) => state total];\n");
    await expect(compileJob({ file: job }, createCompileCache())).rejects.toThrow(new RegExp(`${job.replaceAll('/', '\\/')}:3:39: Expected "\\]" but found "total"`));
  });

  it('reports an unresolvable import with file and line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'runner-import-'));
    await writeFile(path.join(dir, 'job.ts'), "// a comment\nimport { x } from './missing.ts';\nexport default [x];\n");
    await expect(compileJob({ file: path.join(dir, 'job.ts') }, createCompileCache())).rejects.toThrow(/job\.ts:2:19: Could not resolve "\.\/missing\.ts"/);
  });

  it('names the step when a workflow step does not compile', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'runner-step-'));
    await writeFile(path.join(dir, 'workflow.json'), JSON.stringify({ steps: [{ id: 'fetch', expression: './fetch.ts' }] }));
    await writeFile(path.join(dir, 'fetch.ts'), 'export default [;\n');
    const plan = await loadPlan(path.join(dir, 'workflow.json'), captureLogger().logger);
    await expect(compileSteps(plan, captureLogger().logger, createCompileCache())).rejects.toThrow(/^step "fetch" does not compile: .*fetch\.ts:1:17: Unexpected ";"$/);
  });

  it('re-exports the step adaptor so the runtime uses its execute', async () => {
    const plan = await loadPlan(fixture('two-step/workflow.json'), captureLogger().logger);
    const compiled = await compileSteps(plan, captureLogger().logger, createCompileCache());
    expect(compiled.get('first')?.code).toMatch(/export \* from "@openfn\/language-fixture";\s*$/);
  });

  it('a runner compiles its jobs once, however many times it executes, and a second runner reuses them', async () => {
    const cache = createCompileCache();
    const runner = await createRunner({ workflowPath: fixture('two-step/workflow.json'), logger: captureLogger().logger, compileCache: cache });
    expect(cache.stats.builds).toBe(3);
    for (let i = 0; i < 3; i++) await runner.execute({ data: { start: i } });
    await createRunner({ workflowPath: fixture('two-step/workflow.json'), logger: captureLogger().logger, compileCache: cache });
    expect(cache.stats).toEqual({ builds: 3, hits: 3, diskHits: 0 });
  });
});
