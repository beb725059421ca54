/**
 * The stand-ins as the OpenFn runtime sees them: linked through their built
 * package folders, both as the CLI links them (dist/linked-adaptors) and as
 * installed packages (dist/adaptors), their `execute` wraps
 * the job (login, connection), and their errors are classified as the
 * official adaptors' are (AdaptorError: the runtime tells adaptor code by
 * `@openfn/language-` in the stack, which is why they are built under a
 * folder of that name, and why the CLI's pre-linked libraries are too).
 */
import run from '@openfn/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialDatabaseCredential } from '../../lib/db/official-credential.ts';
import { adaptorModules, type AdaptorLayout } from '../../lib/host/runner/adaptor-modules.ts';
import { startSimulator, type Simulator } from '../../dev/sim/server.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

type Errors = Record<string, { name: string; message: string; severity: string }>;
type Output = { data?: unknown; errors?: Errors; [key: string]: unknown };

async function runStep(layout: AdaptorLayout, adaptor: string, body: string, configuration: object): Promise<Output> {
  const expression = `import { ${body.match(/\b(getCases|sql|fn)\b/g)!.filter((v, i, a) => a.indexOf(v) === i).join(', ')} } from '${adaptor}';
export * from '${adaptor}';
export default [${body}];`;
  const plan = { workflow: { steps: [{ id: 'step', expression, adaptors: [adaptor], configuration }] }, options: {} };
  const runtimeRun = run as unknown as (plan: object, input: object, options: object) => Promise<Output>;
  return runtimeRun(plan, {}, { linker: { modules: adaptorModules({}, layout) } });
}

let sim: Simulator;
let db: TestDatabase;
beforeAll(async () => {
  sim = await startSimulator({ cases: 5, seed: 'link' });
  db = await createTestDatabase('embedded');
});
afterAll(async () => {
  await sim.stop();
  await db.drop();
});

describe.each(['linked', 'installed'] as const)('stand-ins under @openfn/runtime, %s', (layout) => {
  const primero = () => ({ url: sim.url, user: 'primero', password: 'primero', basicAuth: true });

  it('primero: the adaptor execute authenticates and cleans up; the final state has no auth', async () => {
    const out = await runStep(layout, '@openfn/language-primero', 'getCases({ per: 2 })', primero());
    expect(out.errors).toBeUndefined();
    expect(out.data).toHaveLength(2);
    expect(out.metadata).toMatchObject({ per: 2 });
    expect(out).not.toHaveProperty('auth');
    expect(out).not.toHaveProperty('configuration');
  });

  it('primero: a 503 is an AdaptorError carrying the official message, at the first request', async () => {
    sim.clearRequests();
    sim.queueResponses('503');
    const out = await runStep(layout, '@openfn/language-primero', 'getCases({ per: 2 })', primero());
    expect(out.errors?.step).toMatchObject({ name: 'AdaptorError', severity: 'fail' });
    expect(out.errors?.step?.message).toMatch(/^Server responded with:\n\{\n {2}"statusCode": 503/);
    expect(sim.requests.filter((r) => r.path === '/api/v2/cases')).toHaveLength(1);
  });

  it('postgresql: the adaptor execute connects from the official keys; a failing statement is an AdaptorError', async () => {
    const configuration = officialDatabaseCredential(db.url);
    const ok = await runStep(layout, '@openfn/language-postgresql', "sql('SELECT 41 + 1 AS answer')", configuration);
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual([{ answer: 42 }]);
    const bad = await runStep(layout, '@openfn/language-postgresql', "sql('SELECT nope')", configuration);
    expect(bad.errors?.step).toMatchObject({ name: 'AdaptorError', severity: 'fail' });
    expect(bad.errors?.step?.message).toContain('column "nope" does not exist');
  });
});
