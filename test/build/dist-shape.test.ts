import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse, type Node } from 'acorn';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKFLOW } from '../../lib/build/default-workflow.ts';
import { MAX_JOB_BYTES, MAX_JOBS_BYTES } from '../../lib/build/project.ts';

/**
 * What ships (dist/, built by the global setup), read as OpenFn's compiler
 * reads a job: acorn, latest ECMAScript, a module; and checked against the
 * rules of openfn-deployability.md §1.
 */
interface Step {
  id: string;
  adaptors?: string[];
  expression?: string;
}

/** workflow.json sits at the project's root; its expressions name dist/jobs/<job>.js. */
const rootDir = path.dirname(DEFAULT_WORKFLOW);
const workflow = JSON.parse(await readFile(DEFAULT_WORKFLOW, 'utf8')) as { workflow: { steps: Step[] } };
const jobs = workflow.workflow.steps.filter((s): s is Required<Step> => typeof s.expression === 'string');
const adaptorName = (spec: string) => spec.replace(/@[^@/]+$/, '');

type AnyNode = Node & Record<string, any>;
function* walk(node: unknown): Generator<AnyNode> {
  if (Array.isArray(node)) {
    for (const n of node) yield* walk(n);
  } else if (node && typeof node === 'object' && typeof (node as AnyNode).type === 'string') {
    yield node as AnyNode;
    for (const [key, value] of Object.entries(node)) if (key !== 'type' && value && typeof value === 'object') yield* walk(value);
  }
}

describe('dist/: what OpenFn runs', () => {
  it('has the four jobs of the design, one built file each, with pinned official adaptors', () => {
    expect(jobs.map((j) => j.id)).toEqual(['init', 'next-batch', 'fetch', 'upsert']);
    for (const j of jobs) {
      expect(j.adaptors).toHaveLength(1);
      expect(j.adaptors[0]).toMatch(/^@openfn\/language-(postgresql@8\.1\.2|primero@4\.1\.2|http@7\.3\.2)$/);
      expect(j.expression).toBe(`dist/jobs/${j.id}.js`);
    }
  });

  it('keeps every job small enough to compile on every platform run: each, next-batch, and all together', async () => {
    const sizes = Object.fromEntries(await Promise.all(jobs.map(async (j) => [j.id, (await stat(path.join(rootDir, j.expression))).size] as const)));
    expect(MAX_JOB_BYTES).toEqual({ init: 16 * 1024, fetch: 16 * 1024, upsert: 24 * 1024, 'next-batch': 6 * 1024 });
    expect(MAX_JOBS_BYTES).toBe(60 * 1024);
    for (const [id, bytes] of Object.entries(sizes)) expect(bytes, id).toBeLessThanOrEqual(MAX_JOB_BYTES[id]!);
    expect(Object.values(sizes).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(MAX_JOBS_BYTES);
  });

  describe.each(jobs.map((j) => [j.id, j] as const))('%s', (_id, job) => {
    const file = path.join(rootDir, job.expression);
    const adaptor = adaptorName(job.adaptors[0]!);

    it('parses as the compiler parses it, imports its one adaptor only, star-exports it, and ends `export default <identifier>`', async () => {
      const code = await readFile(file, 'utf8');
      const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' }) as AnyNode;
      const body = program.body as AnyNode[];
      const imports = body.filter((n) => n.type === 'ImportDeclaration').map((n) => n.source.value);
      expect(new Set(imports)).toEqual(new Set([adaptor]));
      expect(body.some((n) => n.type === 'ImportExpression')).toBe(false);
      const stars = body.filter((n) => n.type === 'ExportAllDeclaration').map((n) => n.source.value);
      expect(stars).toEqual([adaptor]);
      const last = body.at(-1)!;
      expect(last.type).toBe('ExportDefaultDeclaration');
      expect(last.declaration.type).toBe('Identifier');
      // Exactly one default export: the compiler's ensure-exports adds none.
      expect(body.filter((n) => n.type === 'ExportDefaultDeclaration')).toHaveLength(1);
      expect(body.some((n) => n.type === 'ExportNamedDeclaration' && n.specifiers?.some((s: AnyNode) => s.exported?.name === 'default'))).toBe(false);
    });

    it('has no optional catch binding, no dynamic import, no require', async () => {
      const code = await readFile(file, 'utf8');
      const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
      const nodes = [...walk(program)];
      expect(nodes.filter((n) => n.type === 'CatchClause' && n.param === null)).toHaveLength(0);
      expect(nodes.filter((n) => n.type === 'ImportExpression')).toHaveLength(0);
      expect(nodes.filter((n) => n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require')).toHaveLength(0);
    });

    it('is ES2018: it still parses when the parser stops at ECMAScript 2018', async () => {
      const code = await readFile(file, 'utf8');
      expect(() => parse(code, { ecmaVersion: 2018, sourceType: 'module' })).not.toThrow();
    });
  });
});
